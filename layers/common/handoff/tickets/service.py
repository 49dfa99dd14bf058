"""Use cases for tickets: the owner creates and outsources them, the partner accepts and works them (its
members in the app, or its system through signed updates), the owner closes them. Every change is staged on
the ticket in memory and committed with its activity entries and events in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from handoff.auth.access import Access
from handoff.auth.policy import Action, is_allowed
from handoff.errors import Forbidden, Invalid, NotFound
from handoff.events.envelope import Actor, Envelope, new_event, user_actor
from handoff.ids import utc_now
from handoff.links import repository as links
from handoff.links.domain import LinkStatus
from handoff.locations import repository as locations
from handoff.tickets import domain
from handoff.tickets import repository as repo
from handoff.tickets.domain import Side, Terms, TicketAction, TicketStatus
from handoff.tickets.schemas import (
    ActivityOut,
    ActivityPage,
    NoteCreate,
    TicketCreate,
    TicketOut,
    TicketPage,
    TicketStep,
    TimeEntryCreate,
)

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


def doer_of(access: Access) -> Doer:
    if access.servicer is not None:
        company = access.servicer.servicer_id
        return Doer(Side.PARTNER, access.user_id, company, user_actor(access.user_id, company))
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
    return Doer(Side.PARTNER, f"system:{servicer_id}", servicer_id, actor)


def ticket_out(item: repo.TicketItem, doer: Doer) -> TicketOut:
    terms = item.terms
    history = item.history
    if doer.side is Side.PARTNER:  # its own assignments only: nothing of another partner
        history = [h for h in history if h.get("servicer_id") == doer.company_id]
    return TicketOut(
        ticket_id=item.ticket_id,
        owner_id=item.tenant_id,
        title=item.title,
        description=item.description,
        location_id=item.location_id,
        status=item.status,
        servicer_id=item.servicer_id,
        terms={"hourly_rate_cents": terms.hourly_rate_cents, "currency": terms.currency} if terms else None,
        logged_minutes=int(item.logged_minutes),
        billable_cents=int(item.billable_cents),
        history=history,
        version=int(item.version or 0),
        created_at=item.created_at,
        updated_at=item.updated_at,
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


def _change(
    item: repo.TicketItem,
    type: str,
    doer: Doer,
    kind: str,
    partner: str | None,
    event_data: dict[str, Any],
    **fields: Any,
) -> Change:
    """An activity entry and its event, both shared with `partner` (the partner whose assignment the change
    belongs to), or with no one."""
    activity = repo.new_activity(item, kind, doer.by, doer.company_id, assignment=partner, **fields)
    event = new_event(
        source=SOURCE,
        type=type,
        tenant_id=item.tenant_id,
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
        shared_with=[partner] if partner else [],
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
    if doer.side is Side.OWNER and step in domain.DISPATCHING and not doer.may_dispatch:
        raise Forbidden(f"your roles in this tenant do not allow you to {step.value} tickets")
    after = domain.take(TicketStatus(item.status), step, doer.side)
    if step in domain.NEEDS_NOTE and not note:
        raise Invalid("note", f"give a reason to {step.value}")
    if step is TicketAction.OUTSOURCE:
        _check_outsourcing(item, servicer_id, terms)
        item.assign(servicer_id, terms)
    elif step in domain.RELEASING:
        item.assign(None, None)
    elif step is TicketAction.CLOSE:
        link = links.get_link(item.tenant_id, assigned) if assigned else None
        domain.check_close(bool(link and link.require_admin_approval), doer.may_approve)
    item.status = after.value
    partner = assigned if step in domain.RELEASING else item.servicer_id
    item.record(step.value, doer.by, doer.company_id, note, assignment=partner)
    facts = {"step": step.value, "note": note}
    change = _change(item, EVENT_OF_STEP[step], doer, "step", partner, facts, step=step.value, text=note)
    change.needs_link = servicer_id if step is TicketAction.OUTSOURCE else None
    return change


def _check_outsourcing(item: repo.TicketItem, servicer_id: str | None, terms: Terms | None) -> None:
    if servicer_id is None:
        raise Invalid("servicer_id", "name the partner instance to outsource to")
    if terms is None:
        raise Invalid("terms", "name the rates the partner's work bills at")
    link = links.get_link(item.tenant_id, servicer_id)
    if link is None or link.status != LinkStatus.ACTIVE.value:
        raise Invalid("servicer_id", "not an actively linked partner instance")
    if item.location_id and not link.grant().may_see_location(item.location_id):
        raise Invalid("servicer_id", "this partner is restricted to approved locations; this is not one")
    if link.restricted_locations and not item.location_id:
        raise Invalid("servicer_id", "this partner is restricted to approved locations; give the ticket one")


def stage_time(item: repo.TicketItem, doer: Doer, entry: TimeEntryCreate) -> Change:
    domain.check_loggable(TicketStatus(item.status))
    domain.check_work_date(entry.work_date, utc_now())
    # The company doing the work (the partner, or the owner in house) logs what its totals bill; the owner's
    # staff may log their own time on outsourced work too, as a cost that bills nothing and stays theirs.
    worker = doer.company_id == (item.servicer_id or item.tenant_id)
    amount = domain.labour_cents(entry.minutes, item.terms) if worker else 0
    if worker:
        item.logged_minutes = int(item.logged_minutes) + entry.minutes
        item.billable_cents = int(item.billable_cents) + amount
    day = entry.work_date.isoformat()
    return _change(
        item,
        "TicketTimeLogged",
        doer,
        "time",
        item.servicer_id if worker else None,
        {"minutes": entry.minutes, "work_date": day, "amount_cents": amount},
        minutes=entry.minutes,
        work_date=day,
        amount_cents=amount,
        text=entry.note,
    )


def stage_note(item: repo.TicketItem, doer: Doer, note: NoteCreate) -> Change:
    if note.internal and doer.side is Side.PARTNER:
        raise Invalid("internal", "only the owner's staff keep notes internal")
    partner = None if note.internal else item.servicer_id
    facts = {"text": None if note.internal else note.text, "internal": note.internal}
    return _change(
        item, "TicketNoteAdded", doer, "note", partner, facts, text=note.text, internal=note.internal
    )


def commit(item: repo.TicketItem, doer: Doer, changes: list[Change], **extra: Any) -> None:
    """One transaction. A partner's change, and an outsourcing, hold only while the link is active at the
    moment of the write (a revocation racing with it wins)."""
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


def create(access: Access, body: TicketCreate) -> TicketOut:
    doer = doer_of(access)
    if body.location_id and locations.get_location(access.tenant, body.location_id) is None:
        raise Invalid("location_id", "no such location")
    item = repo.new_ticket(access.tenant, body.title, body.description, body.location_id, access.user_id)
    item.record("create", doer.by, doer.company_id, None, assignment=None)
    created = _change(item, "TicketCreated", doer, "step", None, {"step": "create"}, step="create")
    commit(item, doer, [created])
    return ticket_out(item, doer)


def get(access: Access, ticket_id: str) -> TicketOut:
    doer = doer_of(access)
    return ticket_out(visible(access.tenant, ticket_id, doer), doer)


def list_(access: Access, status: TicketStatus | None, limit: int, cursor: str | None) -> TicketPage:
    doer = doer_of(access)
    if doer.side is Side.PARTNER:
        page = repo.outsourced(
            doer.company_id, access.tenant, status.value if status else None, limit, cursor
        )
    else:
        page = repo.board(access.tenant, (status or TicketStatus.OPEN).value, limit, cursor)
    return TicketPage(items=[ticket_out(t, doer) for t in page.items], next_cursor=page.next_cursor)


def act(access: Access, ticket_id: str, step: TicketAction, body: TicketStep) -> TicketOut:
    doer = doer_of(access)
    item = visible(access.tenant, ticket_id, doer)
    terms = Terms(body.terms.hourly_rate_cents, body.terms.currency) if body.terms else None
    if step is not TicketAction.OUTSOURCE and (body.servicer_id or body.terms):
        raise Invalid("servicer_id" if body.servicer_id else "terms", "only outsourcing names a partner")
    change = stage_step(item, step, doer, body.note, servicer_id=body.servicer_id, terms=terms)
    commit(item, doer, [change])
    return ticket_out(item, doer)


def log_time(access: Access, ticket_id: str, body: TimeEntryCreate) -> ActivityOut:
    return _add_entry(access, ticket_id, lambda item, doer: stage_time(item, doer, body))


def add_note(access: Access, ticket_id: str, body: NoteCreate) -> ActivityOut:
    return _add_entry(access, ticket_id, lambda item, doer: stage_note(item, doer, body))


def _add_entry(
    access: Access, ticket_id: str, stage: Callable[[repo.TicketItem, Doer], Change]
) -> ActivityOut:
    doer = doer_of(access)
    item = visible(access.tenant, ticket_id, doer)
    change = stage(item, doer)
    commit(item, doer, [change])
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
        created_at=item.created_at,
    )
