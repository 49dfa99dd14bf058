"""Use cases of the service board and work orders: approved labour waits as work required; a technician's
first clock-on opens a work order with the tenant's next repair order number; technicians clock on and off
(one job at a time, entries never overlapping); a dispatcher corrects an entry (audited); the unit is marked
ready and the work order waits in "ready to submit". Each use case reads, decides with the domain's rules,
and commits once; one that lost a race (the counter, a version) runs again from fresh reads."""

from __future__ import annotations

from typing import Any

from handoff.accounts import public as accounts
from handoff.auth.access import Access
from handoff.auth.policy import Action, is_allowed
from handoff.errors import Conflict, Forbidden, Invalid, NotFound
from handoff.ids import utc_now
from handoff.portal import public as portal
from handoff.store import reads
from handoff.tickets import domain
from handoff.tickets import repository as repo
from handoff.tickets.domain import TicketAction, TicketStatus
from handoff.tickets.schemas import ActivityOut, TicketOut
from handoff.tickets.schemas.work_orders import (
    ClockOff,
    ClockOn,
    TimeEntryCorrection,
    WorkOrderStatus,
    WorkOrderStatusLine,
    WorkOrderStatusPage,
    WorkRequiredOut,
    WorkRequiredPage,
)
from handoff.tickets.service import (
    Change,
    Doer,
    activity_out,
    add_clocked,
    change_of,
    commit,
    doer_of,
    stage_clock_off,
    stage_step,
    system,
    ticket_out,
    visible,
)

WORK_NOT_FOUND = "work required not found"
LIVE_WORK = ("open", "in_progress")
OPEN_STEP = "open-work-order"  # a work order opens with its first clock-on, never through the step route


# ---- the service board -----------------------------------------------------------------------------------


def work_out(item: repo.WorkRequiredItem) -> WorkRequiredOut:
    line = item.line
    return WorkRequiredOut.model_validate(
        {
            "work_id": item.work_id,
            "estimate_id": item.estimate_id,
            "estimate_version": int(item.estimate_version),
            "line_id": item.line_id,
            "unit_id": item.unit_id,
            "customer_id": item.customer_id,
            "description": line["description"],
            "hours": line["hours"],
            "labour_code": line.get("labour_code"),
            "parts": line.get("parts", []),
            "status": item.status,
            "work_order_id": item.work_order_id,
            "created_at": item.created_at,
        }
    )


def board(access: Access, unit_id: str | None, limit: int, cursor: str | None) -> WorkRequiredPage:
    """The service board (oldest first), or one unit's work required: one Query each."""
    if unit_id is not None:
        portal.visible_unit(access, unit_id)  # 404 for a unit that is not there
        page = repo.unit_work(access.tenant, unit_id, limit, cursor)
    else:
        page = repo.work_board(access.tenant, limit, cursor)
    return WorkRequiredPage(items=[work_out(w) for w in page.items], next_cursor=page.next_cursor)


def unit_work_orders(access: Access, unit_id: str, limit: int, cursor: str | None) -> WorkOrderStatusPage:
    """A unit's work orders, newest first, as the customer may see them: status and lines, never the
    technicians' time or the shop's notes."""
    portal.visible_unit(access, unit_id)  # 404 for another customer's unit, exactly like a missing one
    page = repo.unit_work_orders(access.tenant, unit_id, limit, cursor)
    items = [
        WorkOrderStatus(
            ticket_id=t.ticket_id,
            ro_number=int(t.ro_number or 0),
            unit_id=t.unit_id or unit_id,
            status=t.status,
            lines=[
                WorkOrderStatusLine(description=line["description"], labour_code=line.get("labour_code"))
                for line in t.lines or []
            ],
            created_at=t.created_at,
            updated_at=t.updated_at,
        )
        for t in page.items
    ]
    return WorkOrderStatusPage(items=items, next_cursor=page.next_cursor)


# ---- who is clocked ---------------------------------------------------------------------------------------


def _technician(access: Access, doer: Doer, technician_id: str | None, *, clocking_on: bool = True) -> str:
    """The caller, or (for a dispatcher) the technician named: a live member who clocks on to work. Clocking
    off asks no more than being on the job: a technician deactivated meanwhile can still be clocked off."""
    technician = technician_id or access.user_id
    if technician == access.user_id:
        return technician  # the policy let the caller clock
    if not doer.may_dispatch:
        raise Forbidden("only dispatchers and admins clock other technicians on and off")
    if not clocking_on:
        return technician
    roles = accounts.live_roles(access.tenant, technician)
    if roles is None or not is_allowed(Action.WORK_CLOCK, roles):
        raise Invalid("technician_id", "not a live member of this tenant who clocks on to work orders")
    return technician


def _line_of(work: repo.WorkRequiredItem) -> dict[str, Any]:
    line = work.line
    return {
        "work_id": work.work_id,
        "estimate_id": work.estimate_id,
        "estimate_version": int(work.estimate_version),
        "line_id": work.line_id,
        "description": line["description"],
        "labour_code": line.get("labour_code"),
        "hours": line["hours"],
        "parts": line.get("parts", []),
        "clocked_seconds": 0,
    }


# ---- clock on ---------------------------------------------------------------------------------------------


def clock_on(access: Access, work_id: str, body: ClockOn) -> TicketOut:
    doer = doer_of(access)
    technician = _technician(access, doer, body.technician_id)
    return reads.retry_on_conflict(lambda: _clock_on(access, doer, work_id, technician, body.work_order_id))


def _clock_on(access: Access, doer: Doer, work_id: str, technician: str, into: str | None) -> TicketOut:
    tenant_id = access.tenant
    work = repo.get_work(tenant_id, work_id)
    if work is None or work.status not in LIVE_WORK:
        raise NotFound(WORK_NOT_FOUND)
    clock = repo.get_clock(tenant_id, technician)
    domain.check_not_clocked_on(clock.ticket_id, int(clock.ro_number) if clock.ro_number else None)
    changes: list[Change] = []
    counter: tuple[int, int] | None = None
    moved: tuple[tuple[repo.WorkRequiredItem, str], ...] = ()
    if work.work_order_id is not None:
        if into is not None and into != work.work_order_id:
            raise Conflict(f"this work is on work order {work.work_order_id}", code="on_another_work_order")
        order = repo.get_ticket(tenant_id, work.work_order_id)
        assert order is not None, "work required on a work order names a work order that exists"
        domain.check_clockable(TicketStatus(order.status))
    else:
        if into is not None:
            order = _open_order_of_unit(tenant_id, into, work)
        else:
            last = repo.last_repair_order(tenant_id)
            number = domain.next_repair_order(last)
            title = f"RO {number}: {work.line['description']}"[:200]
            order = repo.new_work_order(tenant_id, work, number, title, access.user_id)
            counter = (last, number)
            order.record(OPEN_STEP, doer.by, doer.company_id, None, assignment=None)
            changes.append(
                change_of(
                    order,
                    "WorkOrderOpened",
                    doer,
                    "step",
                    None,
                    {
                        "ro_number": number,
                        "unit_id": work.unit_id,
                        "customer_id": work.customer_id,
                        "estimate_id": work.estimate_id,
                        "estimate_version": int(work.estimate_version),
                    },
                    step=OPEN_STEP,
                )
            )
        order.lines = [*(order.lines or []), _line_of(work)]
        work.status, work.work_order_id = "in_progress", order.ticket_id
        moved = ((work, "open"),)
    started = domain.clock_start(utc_now(), clock.last_stopped_at)
    entry_change = change_of(
        order,
        "TechnicianClockedOn",
        doer,
        "clock",
        None,
        {
            "technician_id": technician,
            "work_id": work.work_id,
            "ro_number": int(order.ro_number or 0),
            "started_at": started.isoformat(),
        },
        technician_id=technician,
        work_id=work.work_id,
        started_at=started,
    )
    entry_change.activity.place_clocked()
    changes.append(entry_change)
    order.clocked_on = {
        **(order.clocked_on or {}),
        technician: {
            "entry_id": entry_change.activity.entry_id,
            "work_id": work.work_id,
            "started_at": started.isoformat(),
        },
    }
    order.record("clock-on", doer.by, doer.company_id, None, assignment=None)
    clock.ticket_id, clock.entry_id, clock.ro_number = (
        order.ticket_id,
        entry_change.activity.entry_id,
        order.ro_number,
    )
    commit(order, doer, changes, work=moved, clocks=(clock,), repair_order=counter)
    return ticket_out(order, doer)


def _open_order_of_unit(tenant_id: str, order_id: str, work: repo.WorkRequiredItem) -> repo.TicketItem:
    order = repo.get_ticket(tenant_id, order_id)
    if order is None or not order.is_work_order:
        raise Invalid("work_order_id", "no such work order")
    if order.unit_id != work.unit_id:
        raise Invalid("work_order_id", "that work order repairs another unit")
    domain.check_clockable(TicketStatus(order.status))
    return order


# ---- clock off --------------------------------------------------------------------------------------------


def clock_off(access: Access, ticket_id: str, body: ClockOff) -> TicketOut:
    doer = doer_of(access)
    technician = _technician(access, doer, body.technician_id, clocking_on=False)
    return reads.retry_on_conflict(lambda: _clock_off(access, doer, ticket_id, technician))


def _clock_off(access: Access, doer: Doer, ticket_id: str, technician: str) -> TicketOut:
    order = visible(access.tenant, ticket_id, doer)
    clock = repo.get_clock(access.tenant, technician)
    if clock.ticket_id != order.ticket_id or technician not in (order.clocked_on or {}):
        raise Conflict("the technician is not clocked on to this work order", code="not_clocked_on")
    changes, entries, clocks = stage_clock_off(order, doer, {technician: clock}, reason="clock-off")
    commit(order, doer, changes, changed_entries=entries, clocks=clocks)
    return ticket_out(order, doer)


# ---- corrections ------------------------------------------------------------------------------------------


def correct(access: Access, ticket_id: str, entry_id: str, body: TimeEntryCorrection) -> ActivityOut:
    doer = doer_of(access)
    return reads.retry_on_conflict(lambda: _correct(access, doer, ticket_id, entry_id, body))


def _correct(
    access: Access, doer: Doer, ticket_id: str, entry_id: str, body: TimeEntryCorrection
) -> ActivityOut:
    order = visible(access.tenant, ticket_id, doer)
    domain.check_correctable(TicketStatus(order.status))
    entry = repo.get_entry(access.tenant, ticket_id, entry_id)
    if entry is None or entry.kind != "clock":
        raise NotFound("time entry not found")
    assert entry.technician_id and entry.started_at
    if entry.stopped_at is None:
        raise Conflict("the technician is still clocked on to this entry; clock off first", code="running")
    start = body.started_at or entry.started_at
    stop = body.stopped_at or entry.stopped_at
    domain.check_correction(start, stop, utc_now())
    spans = {
        e.entry_id: domain.Span(e.entry_id, e.started_at, e.stopped_at)
        for e in repo.entries_before(access.tenant, entry.technician_id, stop)
        if e.started_at is not None
    }
    clock = repo.get_clock(access.tenant, entry.technician_id)
    # What the clock remembers is current, where the index may lag a change made a moment ago.
    spans.update({i: domain.Span(i, begin, end) for i, begin, end in clock.recent_spans()})
    if clock.entry_id and clock.entry_id != entry.entry_id:
        running = repo.get_entry(access.tenant, clock.ticket_id or "", clock.entry_id)
        if running is not None and running.started_at is not None:
            spans[running.entry_id] = domain.Span(running.entry_id, running.started_at, None)
    domain.check_no_overlap(entry.entry_id, start, stop, spans.values())
    seconds = domain.seconds_between(start, stop)
    delta = seconds - int(entry.seconds or 0)
    audit = {
        "by": access.user_id,
        "at": utc_now().isoformat(),
        "reason": body.reason,
        "old": {"started_at": entry.started_at.isoformat(), "stopped_at": entry.stopped_at.isoformat()},
        "new": {"started_at": start.isoformat(), "stopped_at": stop.isoformat()},
    }
    entry.started_at, entry.stopped_at = start, stop
    entry.seconds, entry.minutes = seconds, domain.minutes_of(seconds)
    entry.corrections = [*(entry.corrections or []), audit]
    clock.remember(entry.entry_id, start, stop)
    entry.place_clocked()
    assert entry.work_id
    add_clocked(order, entry.work_id, delta)
    order.record("correct-time", doer.by, doer.company_id, body.reason, assignment=None)
    facts = {"technician_id": entry.technician_id, **audit, "corrected_entry_id": entry.entry_id}
    change = change_of(
        order, "TimeEntryCorrected", doer, "step", None, facts, step="correct-time", text=body.reason
    )
    # The technician's clock moves too (its version): two corrections of one technician's time never both
    # commit unseen, so neither can create an overlap the other's check missed.
    commit(order, doer, [change], changed_entries=(entry,), clocks=(clock,))
    return activity_out(entry)


def invoiced(tenant_id: str, work_order_id: str, invoice_id: str, number: str | None) -> str:
    """Told by the bus that a work order's invoice was finalized: the work order closes (once; one that is
    no longer ready to submit — closed already, or reopened — is left as it is)."""

    def close() -> str:
        order = repo.get_ticket(tenant_id, work_order_id)
        if order is None or not order.is_work_order or order.status != TicketStatus.READY_TO_SUBMIT.value:
            return "stale"
        doer = system(tenant_id, "invoicing")
        change = stage_step(order, TicketAction.INVOICED, doer, f"invoice {number or invoice_id}")
        change.event.data.update(invoice_id=invoice_id, invoice_number=number)
        commit(order, doer, [change])
        return "closed"

    return reads.retry_on_conflict(close)
