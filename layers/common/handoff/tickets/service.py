"""Use cases for tickets: the owner creates and outsources them, the partner accepts and works them (its
members in the app, or its system through signed updates), the owner closes them. Every change is staged on
the ticket in memory and committed with its activity entries and events in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from handoff.accounts import public as accounts
from handoff.auth.access import Access
from handoff.auth.policy import Action, is_allowed
from handoff.errors import Conflict, Forbidden, Invalid, NotFound, check_live, check_version
from handoff.events.envelope import Actor, Envelope, new_event, user_actor
from handoff.ids import utc_now
from handoff.links import public as links
from handoff.links.domain import LinkStatus
from handoff.locations import public as locations
from handoff.partners.domain import check_partner_user
from handoff.portal import public as portal
from handoff.tickets import domain
from handoff.tickets import repository as repo
from handoff.tickets.domain import Side, Terms, TicketAction, TicketKind, TicketStatus
from handoff.tickets.schemas import (
    ActivityOut,
    ActivityPage,
    AssignIn,
    NoteCreate,
    TicketCreate,
    TicketOut,
    TicketPage,
    TicketPatch,
    TimeEntryCreate,
)
from handoff.workflows import ROUTING_ANSWERS

SOURCE = "handoff.tickets"
TICKET_NOT_FOUND = "ticket not found"
EVENT_OF_STEP = {
    TicketAction.OUTSOURCE: "TicketOutsourced",
    TicketAction.WITHDRAW: "TicketWithdrawn",
    TicketAction.ACCEPT: "TicketAccepted",
    TicketAction.DECLINE: "TicketDeclined",
    TicketAction.START: "TicketStarted",
    TicketAction.PAUSE: "TicketPaused",
    TicketAction.RESUME: "TicketResumed",
    TicketAction.COMPLETE: "TicketCompleted",
    TicketAction.CLOSE: "TicketClosed",
    TicketAction.REOPEN: "TicketReopened",
    TicketAction.CANCEL: "TicketCancelled",
    TicketAction.UNIT_READY: "UnitReady",
    TicketAction.APPROVE: "TicketApproved",
    TicketAction.REJECT: "TicketRejected",
    TicketAction.INVOICED: "WorkOrderInvoiced",
}


@dataclass(frozen=True)
class Doer:
    """Who changes a ticket: a side, the user or system, and the instance they act for."""

    side: Side
    by: str
    company_id: str
    actor: Actor
    may_dispatch: bool = False  # outsource, withdraw, close, reopen, cancel (the policy's ticket:dispatch)
    may_approve: bool = False  # close work that needs an owner admin's approval (ticket:approve)
    answers_offers: bool = False  # a partner's: accept, counter and decline the work offered to it


def doer_of(access: Access) -> Doer:
    if access.servicer is not None:
        company = access.servicer.servicer_id
        actor = user_actor(access.user_id, company)
        return Doer(Side.PARTNER, access.user_id, company, actor, answers_offers=access.answers_offers)
    return Doer(
        Side.OWNER,
        access.user_id,
        access.tenant,
        user_actor(access.user_id, access.tenant),
        may_dispatch=is_allowed(Action.TICKET_DISPATCH, access.roles),
        may_approve=is_allowed(Action.TICKET_APPROVE, access.roles),
    )


def partner_system(servicer_id: str) -> Doer:
    actor = Actor(kind="partner_system", id=servicer_id, tenant_id=servicer_id)
    return Doer(Side.PARTNER, f"system:{servicer_id}", servicer_id, actor, answers_offers=True)


def system(tenant_id: str, name: str) -> Doer:
    """The owner's own workflows (deadlines): they dispatch what their timer decides."""
    actor = Actor(kind="system", id=name, tenant_id=tenant_id)
    return Doer(Side.OWNER, f"system:{name}", tenant_id, actor, may_dispatch=True)


def terms_out(terms: Terms | None) -> dict[str, Any] | None:
    return terms.to_doc() if terms else None


def ticket_out(item: repo.TicketItem, doer: Doer) -> TicketOut:
    terms = item.terms
    history = item.history
    if doer.side is Side.PARTNER:  # its own assignments only: nothing of another partner
        history = [h for h in history if h.get("servicer_id") == doer.company_id]
    lines = None
    if item.lines is not None:
        lines = []
        for line in item.lines:
            estimated, clocked, variance = domain.variance_minutes(
                line["hours"], int(line["clocked_seconds"])
            )
            lines.append(
                {
                    **{k: v for k, v in line.items() if k != "clocked_seconds"},
                    "estimated_minutes": estimated,
                    "clocked_minutes": clocked,
                    "variance_minutes": variance,
                }
            )
    clocked_on = [{"technician_id": user, **running} for user, running in (item.clocked_on or {}).items()]
    return TicketOut.model_validate(
        {
            "ticket_id": item.ticket_id,
            "owner_id": item.tenant_id,
            "kind": item.kind,
            "title": item.title,
            "description": item.description,
            "location_id": item.location_id,
            "priority": item.priority,
            "due_date": item.due_date,
            "assignee_id": item.assignee_id if doer.side is Side.OWNER else item.partner_assignee_id,
            "team_id": item.team_id if doer.side is Side.OWNER else None,
            "not_to_exceed_cents": item.not_to_exceed_cents,
            "routing_layer": int(item.routing_layer)
            if item.routing_layer is not None and doer.side is Side.OWNER
            else None,
            "status": item.status,
            "ro_number": int(item.ro_number) if item.ro_number is not None else None,
            "unit_id": item.unit_id,
            "customer_id": item.customer_id,
            "estimate_id": item.estimate_id,
            "estimate_version": int(item.estimate_version) if item.estimate_version is not None else None,
            "lines": lines,
            "clocked_on": clocked_on,
            "servicer_id": item.servicer_id,
            "offer_id": item.offer_id,
            "terms": terms_out(terms),
            "logged_minutes": int(item.logged_minutes),
            "labour_cents": int(item.labour_cents),
            "cost_cents": int(item.cost_cents),
            "billable_cents": item.billable_cents,
            "history": history,
            "version": int(item.version or 0),
            "created_at": item.created_at,
            "updated_at": item.updated_at,
        }
    )


def visible(tenant_id: str, ticket_id: str, doer: Doer) -> repo.TicketItem:
    """The ticket, if this doer may see it: the owner's staff see all, a partner what is outsourced to it."""
    item = repo.get_ticket(tenant_id, ticket_id)
    if item is None or (doer.side is Side.PARTNER and item.servicer_id != doer.company_id):
        raise NotFound(TICKET_NOT_FOUND)
    return item


@dataclass
class Change:
    """What one staged change adds to the ticket's transaction: its activity entry and its event."""

    activity: repo.ActivityItem
    event: Envelope
    needs_link: str | None = None  # a partner whose link must still be active when this commits


def change_of(
    item: repo.TicketItem,
    type: str,
    doer: Doer,
    kind: str,
    partner: str | None,
    event_data: dict[str, Any],
    *,
    private: bool = False,
    **fields: Any,
) -> Change:
    """An activity entry and its event, both shared with `partner` (the partner whose assignment the change
    belongs to), or with no one. `private`: the doer's company keeps it (an internal note or file): the
    event is its own, never the other side's."""
    activity = repo.new_activity(item, kind, doer.by, doer.company_id, assignment=partner, **fields)
    activity.internal = private or bool(activity.internal)
    event = new_event(
        source=SOURCE,
        type=type,
        tenant_id=doer.company_id if private else item.tenant_id,
        entity_type="ticket",
        entity_id=item.ticket_id,
        version=(item.version or 0) + 1,
        actor=doer.actor,
        data={
            "title": item.title,
            "status": item.status,
            "location_id": item.location_id,
            "servicer_id": item.servicer_id,
            "entry_id": activity.entry_id,
            **event_data,
        },
        shared_with=[partner] if partner and not private else [],
    )
    return Change(activity, event)


# ---- staging: each change is made on the ticket in memory; the caller commits them in one transaction ------


def stage_step(
    item: repo.TicketItem,
    step: TicketAction,
    doer: Doer,
    note: str | None,
    *,
    servicer_id: str | None = None,
    terms: Terms | None = None,
) -> Change:
    assigned = item.servicer_id
    if step in domain.SYSTEM_STEPS and doer.actor.kind != "system":
        raise Forbidden("a work order is closed by its finalized invoice, not by hand")
    if doer.side is Side.OWNER and step in domain.DISPATCHING and not doer.may_dispatch:
        raise Forbidden(f"your roles in this tenant do not allow you to {step.value} tickets")
    if doer.side is Side.OWNER and step in domain.APPROVING and not doer.may_approve:
        raise Forbidden(f"only the owner's admins {step.value} a partner's work")
    after = domain.take(TicketStatus(item.status), step, doer.side, TicketKind(item.kind))
    if step is TicketAction.COMPLETE and assigned:
        link = links.grant(item.tenant_id, assigned)
        after = domain.gated(after, step, doer.side, bool(link and link.flags.require_admin_approval))
    asked_at = int(item.version or 0) + 1 if after is TicketStatus.PENDING_APPROVAL else None
    answered = int(item.approval_version or 0) if step in domain.APPROVING else None
    if step in domain.NEEDS_NOTE and not note:
        raise Invalid("note", f"give a reason to {step.value}")
    if step is TicketAction.OUTSOURCE:
        _check_outsourcing(item, servicer_id, terms)
        item.assign(servicer_id, terms)
        item.assignee_id, item.assignee_org_id = None, None  # the company holds it now
    elif step in domain.RELEASING:
        item.assign(None, None)
    elif step is TicketAction.CLOSE:
        link = links.grant(item.tenant_id, assigned) if assigned else None
        domain.check_close(bool(link and link.flags.require_admin_approval), doer.may_approve)
    item.status = after.value
    partner = assigned if step in domain.RELEASING else item.servicer_id
    item.record(step.value, doer.by, doer.company_id, note, assignment=partner)
    facts: dict[str, Any] = {"step": step.value, "note": note}
    event_type = EVENT_OF_STEP[step]
    if asked_at is not None:  # the completion waits for an owner admin: its deadline runs from this event
        item.approval_version, event_type = asked_at, "TicketApprovalRequested"
    if answered is not None:
        facts["approval_version"] = answered  # the wait this answer ends
    change = change_of(item, event_type, doer, "step", partner, facts, step=step.value, text=note)
    change.needs_link = servicer_id if step is TicketAction.OUTSOURCE else None
    return change


def _check_outsourcing(item: repo.TicketItem, servicer_id: str | None, terms: Terms | None) -> None:
    if servicer_id is None:
        raise Invalid("servicer_id", "name the partner instance to outsource to")
    if terms is None:
        raise Invalid("terms", "name the rates the partner's work bills at, or give the partner a rate card")
    link = links.grant(item.tenant_id, servicer_id)
    if link is None or link.status is not LinkStatus.ACTIVE:
        raise Invalid("servicer_id", "not an actively linked partner instance")
    if item.location_id and not link.may_see_location(item.location_id):
        raise Invalid("servicer_id", "this partner is restricted to approved locations; this is not one")
    if link.flags.restricted_locations and not item.location_id:
        raise Invalid("servicer_id", "this partner is restricted to approved locations; give the ticket one")


def terms_on(item: repo.TicketItem, work_date: date) -> Terms | None:
    """What a day's work bills at: the accepted terms, with the rate changes they scheduled in force that
    day (a rate card's, as it was offered)."""
    terms = item.terms
    return terms.on(work_date.isoformat()) if terms is not None else None


def stage_time(item: repo.TicketItem, doer: Doer, entry: TimeEntryCreate) -> Change:
    if item.is_work_order:
        raise Conflict(
            "a work order's time is clocked (clock on and off, or a dispatcher's correction), not logged",
            code="clocked_time_only",
        )
    domain.check_loggable(TicketStatus(item.status))
    domain.check_work_date(entry.work_date, utc_now())
    # The company doing the work (the partner, or the owner in house) logs what its totals bill; the owner's
    # staff may log their own time on outsourced work too, as a cost that bills nothing and stays theirs.
    worker = is_worker(item, doer)
    terms = terms_on(item, entry.work_date) if worker else None
    amount = domain.labour_cents(entry.minutes, terms, entry.work_type)
    rate = terms.rate_for(entry.work_type) if terms is not None else None
    if worker:
        item.logged_minutes = int(item.logged_minutes) + entry.minutes
        item.labour_cents = int(item.labour_cents) + amount
    day = entry.work_date.isoformat()
    facts = {"minutes": entry.minutes, "work_date": day, "work_type": entry.work_type, "amount_cents": amount}
    return change_of(
        item,
        "TicketTimeLogged",
        doer,
        "time",
        item.servicer_id if worker else None,
        facts,
        minutes=entry.minutes,
        work_date=day,
        work_type=entry.work_type,
        amount_cents=amount,
        rate_cents=rate,
        text=entry.note,
    )


def flag_nte(item: repo.TicketItem, doer: Doer, before_cents: int, change: Change) -> list[Change]:
    """Time or a cost that leaves the billable total over the not-to-exceed amount is flagged on entry; the
    entry that crosses it also raises `NteExceeded`, shared with the partner."""
    if item.billable_cents == before_cents:
        return [change]  # bills nothing (the owner's own time on outsourced work): nothing to flag
    over, crossed = domain.nte_flags(before_cents, item.billable_cents, item.not_to_exceed_cents)
    if over:
        change.activity.over_nte = True
        change.event.data["over_nte"] = True
    if not crossed:
        return [change]
    facts = {"not_to_exceed_cents": item.not_to_exceed_cents, "billable_cents": item.billable_cents}
    exceeded = change_of(item, "NteExceeded", doer, "step", item.servicer_id, facts, step="nte-exceeded")
    return [change, exceeded]


def is_worker(item: repo.TicketItem, doer: Doer) -> bool:
    """The company doing the work: the partner holding it, or the owner in house."""
    return doer.company_id == (item.servicer_id or item.tenant_id)


def shared_with(item: repo.TicketItem, doer: Doer, internal: bool) -> str | None:
    """The partner an entry belongs to: the one holding the ticket, unless the owner keeps it internal (a
    partner's internal entry is its own, so it stays on its assignment)."""
    if internal and doer.side is Side.OWNER:
        return None
    return item.servicer_id


def stage_note(item: repo.TicketItem, doer: Doer, note: NoteCreate) -> Change:
    """Shared with the other side, or internal: kept with the company that wrote it (its text never leaves
    it, not even in the event)."""
    facts = {"text": note.text, "internal": note.internal}
    return change_of(
        item,
        "TicketNoteAdded",
        doer,
        "note",
        shared_with(item, doer, note.internal),
        facts,
        private=note.internal,
        text=note.text,
    )


def add_clocked(order: repo.TicketItem, work_id: str, seconds: int) -> None:
    """Clocked seconds on one line of a work order; the order's logged minutes follow."""
    lines = [dict(line) for line in order.lines or []]
    for line in lines:
        if line["work_id"] == work_id:
            line["clocked_seconds"] = int(line["clocked_seconds"]) + seconds
    order.lines = lines
    order.logged_minutes = domain.minutes_of(sum(int(line["clocked_seconds"]) for line in lines))


def stage_clock_off(
    order: repo.TicketItem, doer: Doer, clocks: dict[str, repo.ClockItem], *, reason: str
) -> tuple[list[Change], tuple[repo.ActivityItem, ...], tuple[repo.ClockItem, ...]]:
    """Stops these technicians' running entries on the work order now: each entry, its line's clocked
    time, and the technician's clock."""
    now = utc_now()
    running = {user: order.clocked_on[user] for user in clocks}
    found = repo.get_entries(order.tenant_id, order.ticket_id, [r["entry_id"] for r in running.values()])
    by_id = {e.entry_id: e for e in found}
    changes: list[Change] = []
    for user, clock in clocks.items():
        entry = by_id[running[user]["entry_id"]]
        assert entry.started_at is not None
        stop = max(now, entry.started_at)
        seconds = domain.seconds_between(entry.started_at, stop)
        entry.stopped_at, entry.seconds, entry.minutes = stop, seconds, domain.minutes_of(seconds)
        add_clocked(order, running[user]["work_id"], seconds)
        clock.ticket_id, clock.entry_id, clock.ro_number, clock.last_stopped_at = None, None, None, stop
        clock.remember(entry.entry_id, entry.started_at, stop)
        order.record("clock-off", doer.by, doer.company_id, None, assignment=None)
        facts = {
            "technician_id": user,
            "clock_entry_id": entry.entry_id,
            "work_id": entry.work_id,
            "ro_number": int(order.ro_number or 0),
            "started_at": entry.started_at.isoformat(),
            "stopped_at": stop.isoformat(),
            "minutes": domain.minutes_of(seconds),
            "reason": reason,
        }
        changes.append(change_of(order, "TechnicianClockedOff", doer, "step", None, facts, step="clock-off"))
    order.clocked_on = {u: r for u, r in (order.clocked_on or {}).items() if u not in clocks}
    return changes, tuple(by_id.values()), tuple(clocks.values())


def _works_of(order: repo.TicketItem, status: str) -> tuple[repo.WorkRequiredItem, ...]:
    works = repo.get_works(order.tenant_id, [line["work_id"] for line in order.lines or []])
    for work in works:
        work.status = status
    return tuple(works)


def stage_work_order_step(
    order: repo.TicketItem, step: TicketAction, doer: Doer
) -> tuple[list[Change], dict[str, Any]]:
    """What a step does beyond the status of a work order. Unit ready: whoever is still clocked on is
    clocked off, the work required is done (off the board), and the order waits to be submitted. Reopen:
    its work is back on the board, in progress. Cancel: its work is open again."""
    if step in (TicketAction.UNIT_READY, TicketAction.REOPEN, TicketAction.CANCEL):
        repo.load_work_order(order)
    if step is TicketAction.UNIT_READY:
        clocks = {user: repo.get_clock(order.tenant_id, user) for user in order.clocked_on or {}}
        changes, entries, stopped = (
            stage_clock_off(order, doer, clocks, reason="unit-ready") if clocks else ([], (), ())
        )
        done = tuple((w, "in_progress") for w in _works_of(order, "done"))
        ready = change_of(
            order,
            "WorkOrderReadyToSubmit",
            doer,
            "step",
            None,
            {
                "ro_number": int(order.ro_number or 0),
                "unit_id": order.unit_id,
                "customer_id": order.customer_id,
            },
            step="ready-to-submit",
        )
        return [*changes, ready], {"changed_entries": entries, "clocks": stopped, "work": done}
    if step is TicketAction.REOPEN:
        # Imported here: only reopening a work order asks billing, and the tickets API starts without it.
        from handoff.billing import public as billing

        invoiced = billing.stage_not_invoiced(order.tenant_id, order.ticket_id)  # 409 once finalized
        return [], {"work": tuple((w, "done") for w in _works_of(order, "in_progress")), "also": (invoiced,)}
    if order.clocked_on and step in (TicketAction.PAUSE, TicketAction.CANCEL):
        raise Conflict(
            "technicians are clocked on to this work order; clock them off first", code="clocked_on"
        )
    if step is TicketAction.CANCEL:  # its work goes back on the board, for another work order
        released = _works_of(order, "open")
        for work in released:
            work.work_order_id = None
        return [], {"work": tuple((w, "in_progress") for w in released)}
    return [], {}


def _end_routing_wait(item: repo.TicketItem, changes: list[Change]) -> None:
    """An answer ends a routed ticket's wait: its event names the round whose deadline it stops."""
    if not item.routing_waiting or any(c.event.type == "TicketRouted" for c in changes):
        return
    answers = ROUTING_ANSWERS - {"TicketRouted"}
    answer = next((c for c in changes if c.event.type in answers), None)
    if answer is not None:
        item.routing_waiting = False
        answer.event.data["ended_routing_round"] = int(item.routing_round)


def commit(item: repo.TicketItem, doer: Doer, changes: list[Change], **extra: Any) -> None:
    """One transaction. A partner's change, and an outsourcing, hold only while the link is active at the
    moment of the write (a revocation racing with it wins); an answer to a routed ticket ends its wait."""
    _end_routing_wait(item, changes)
    partner = doer.company_id if doer.side is Side.PARTNER else None
    partner = next((c.needs_link for c in changes if c.needs_link), partner)
    repo.save(
        item,
        [c.event for c in changes],
        entries=tuple(c.activity for c in changes),
        active_link=(item.tenant_id, partner) if partner else None,
        **extra,
    )


# ---- API use cases ----------------------------------------------------------------------------------------


def stage_create(access: Access, body: TicketCreate) -> tuple[repo.TicketItem, Doer, Change]:
    doer = doer_of(access)
    if body.location_id:
        _check_live_location(access.tenant, body.location_id)
    if body.customer_id:
        check_live("customer_id", portal.customer_is_live(access.tenant, body.customer_id), "customer")
    item = repo.new_ticket(access.tenant, body.title, body.description, body.location_id, access.user_id)
    item.priority, item.due_date = body.priority, body.due_date.isoformat() if body.due_date else None
    item.customer_id = body.customer_id
    item.record("create", doer.by, doer.company_id, None, assignment=None)
    facts = {"step": "create", "customer_id": body.customer_id}
    return item, doer, change_of(item, "TicketCreated", doer, "step", None, facts, step="create")


def get(access: Access, ticket_id: str) -> TicketOut:
    doer = doer_of(access)
    return ticket_out(visible(access.tenant, ticket_id, doer), doer)


def list_(
    access: Access, status: TicketStatus | None, assignee: str | None, limit: int, cursor: str | None
) -> TicketPage:
    doer = doer_of(access)
    if assignee is not None:
        if doer.side is Side.PARTNER:
            raise Invalid("assignee", "a partner's members list what is outsourced to them", location="query")
        user = access.user_id if assignee == "me" else assignee
        if user != access.user_id and not doer.may_dispatch:
            raise Forbidden("only dispatchers and admins list another member's assigned tickets")
        page = repo.assigned(access.tenant, user, status.value if status else None, limit, cursor)
    elif doer.side is Side.PARTNER:
        page = repo.outsourced(
            doer.company_id, access.tenant, status.value if status else None, limit, cursor
        )
    else:
        page = repo.board(access.tenant, (status or TicketStatus.OPEN).value, limit, cursor)
    return TicketPage(items=[ticket_out(t, doer) for t in page.items], next_cursor=page.next_cursor)


def assign_member(access: Access, item: repo.TicketItem, body: AssignIn) -> TicketOut:
    """To a member of the tenant, reassigning it from another."""
    doer = doer_of(access)
    assert body.assignee_id is not None
    if doer.side is Side.PARTNER:
        return _assign_partner_member(item, doer, body.assignee_id, body.note)
    worker = accounts.workers(access.tenant, [body.assignee_id]).get(body.assignee_id)
    domain.check_assignee(worker.roles if worker else None)
    assert worker is not None
    check_partner_user(worker.roles, worker.partner_org_id, "assignee_id")
    previous = item.assignee_id
    domain.check_assignable(TicketStatus(item.status), item.servicer_id)
    if previous == body.assignee_id:
        return ticket_out(item, doer)  # already theirs: nothing to record
    item.assignee_id, item.assignee_org_id = body.assignee_id, worker.partner_org_id
    item.record("assign", doer.by, doer.company_id, body.note, assignment=None)
    facts: dict[str, Any] = {
        "assignee_kind": "member",
        "assignee_id": body.assignee_id,
        "previous_assignee_id": previous,
        "note": body.note,
    }
    commit(
        item,
        doer,
        [change_of(item, "TicketAssigned", doer, "step", None, facts, step="assign", text=body.note)],
    )
    return ticket_out(item, doer)


def _assign_partner_member(
    item: repo.TicketItem, doer: Doer, assignee_id: str, note: str | None
) -> TicketOut:
    """A partner company hands the work it holds to one of its own members: its admins and those allowed to
    accept work do; the member then finds it among their assignments."""
    if not doer.answers_offers:
        raise Forbidden(
            "only your company's admins, and the members they allow to accept work, assign its work",
            code="may_not_accept_work",
        )
    domain.check_assignee(accounts.live_roles(doer.company_id, assignee_id))
    domain.check_assignable(TicketStatus(item.status), None)
    previous = item.partner_assignee_id
    if previous == assignee_id:
        return ticket_out(item, doer)
    item.partner_assignee_id = assignee_id
    item.record("assign", doer.by, doer.company_id, note, assignment=item.servicer_id)
    facts: dict[str, Any] = {
        "assignee_kind": "partner_member",
        "assignee_id": assignee_id,
        "previous_assignee_id": previous,
        "note": note,
    }
    change = change_of(
        item, "TicketAssigned", doer, "step", item.servicer_id, facts, step="assign", text=note
    )
    commit(item, doer, [change])
    return ticket_out(item, doer)


def update(access: Access, ticket_id: str, patch: TicketPatch, expected_version: int | None) -> TicketOut:
    doer = doer_of(access)
    item = visible(access.tenant, ticket_id, doer)
    check_version(expected_version, item.version)
    if (
        TicketStatus(item.status) not in domain.ACTIVE
        and TicketStatus(item.status) is not TicketStatus.READY_TO_SUBMIT
    ):
        raise Conflict(f"a ticket that is {item.status} is no longer edited", code="read_only")
    fields = patch.model_fields_set
    if "location_id" in fields:
        _check_location(item, patch.location_id)
        item.location_id = patch.location_id
    if "title" in fields and patch.title is not None:
        item.title = patch.title
    if "description" in fields:
        item.description = patch.description
    if "priority" in fields and patch.priority is not None:
        item.priority = patch.priority
    if "due_date" in fields:
        item.due_date = patch.due_date.isoformat() if patch.due_date else None
    changed = sorted(fields)
    item.record("update", doer.by, doer.company_id, None, assignment=item.servicer_id)
    facts = {"changed": changed}
    commit(
        item, doer, [change_of(item, "TicketUpdated", doer, "step", item.servicer_id, facts, step="update")]
    )
    return ticket_out(item, doer)


def _check_live_location(tenant_id: str, location_id: str) -> None:
    live = locations.is_live(tenant_id, location_id)
    check_live("location_id", live, "location", hint="; restore it or choose another")


def _check_location(item: repo.TicketItem, location_id: str | None) -> None:
    """A location that exists; while outsourced to a partner restricted to approved locations, one of
    those (and never none)."""
    if location_id is not None:
        _check_live_location(item.tenant_id, location_id)
    if item.servicer_id is None:
        return
    link = links.grant(item.tenant_id, item.servicer_id)
    if link is None or not link.flags.restricted_locations:
        return
    if location_id is None or not link.may_see_location(location_id):
        raise Invalid(
            "location_id", "the partner this ticket is outsourced to works only at its approved locations"
        )


def log_time(access: Access, ticket_id: str, body: TimeEntryCreate) -> ActivityOut:
    return _add_entry(access, ticket_id, lambda item, doer: stage_time(item, doer, body))


def add_note(access: Access, ticket_id: str, body: NoteCreate) -> ActivityOut:
    return _add_entry(access, ticket_id, lambda item, doer: stage_note(item, doer, body))


def _add_entry(
    access: Access, ticket_id: str, stage: Callable[[repo.TicketItem, Doer], Change]
) -> ActivityOut:
    doer = doer_of(access)
    item = visible(access.tenant, ticket_id, doer)
    before = item.billable_cents
    change = stage(item, doer)
    commit(item, doer, flag_nte(item, doer, before, change))
    return activity_out(change.activity)


def list_activity(access: Access, ticket_id: str, limit: int, cursor: str | None) -> ActivityPage:
    doer = doer_of(access)
    visible(access.tenant, ticket_id, doer)
    partner = doer.company_id if doer.side is Side.PARTNER else None
    page = repo.activity(access.tenant, ticket_id, partner, limit, cursor)
    return ActivityPage(items=[activity_out(a) for a in page.items], next_cursor=page.next_cursor)


def activity_out(item: repo.ActivityItem) -> ActivityOut:
    return ActivityOut(
        entry_id=item.entry_id,
        kind=item.kind,
        by=item.by,
        company_id=item.company_id,
        minutes=int(item.minutes) if item.minutes is not None else None,
        work_date=item.day,
        amount_cents=int(item.amount_cents) if item.amount_cents is not None else None,
        text=item.text,
        internal=bool(item.internal),
        step=item.step,
        technician_id=item.technician_id,
        work_id=item.work_id,
        started_at=item.started_at,
        stopped_at=item.stopped_at,
        corrections=item.corrections,
        work_type=item.work_type,
        offer_id=item.offer_id,
        cost_id=item.cost_id,
        attachment_id=item.attachment_id,
        routing=item.routing,
        over_nte=bool(item.over_nte),
        created_at=item.created_at,
    )


# ---- the approval's deadlines (from the Step Functions workflow, through the bus) ------------------------


def approval_deadline(kind: str, tenant_id: str, ticket_id: str, version: int) -> str:
    """A reminder or the escalation of one completion's approval: only if that very completion still waits
    (an approval or a rejection made the timer stale). The owner's admins hear of it (webhooks, events)."""
    item = repo.get_ticket(tenant_id, ticket_id)
    if item is None or item.status != TicketStatus.PENDING_APPROVAL.value or item.approval_version != version:
        return "stale"
    event_type, stage = (
        ("TicketApprovalReminderDue", "reminder")
        if kind == "reminder"
        else ("TicketApprovalEscalated", "escalation")
    )
    approval = system(tenant_id, "ticket-approval")
    change = change_of(
        item, event_type, approval, "step", None, {"approval_version": version}, step=f"approval-{stage}"
    )
    item.record(f"approval-{stage}", approval.by, tenant_id, None, assignment=None)
    commit(item, approval, [change])
    return stage
