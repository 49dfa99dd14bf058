"""Pure rules of a ticket (in-house or outsourced work, and the work orders a shop's technicians clock on to):
one table of legal steps, which side and which kind of ticket may take each, time logging and clocking, repair
order numbers, assignment, and pricing at the rates a partner accepted."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from handoff.auth.policy import Role
from handoff.errors import Conflict, Forbidden, Invalid


class TicketStatus(StrEnum):
    OPEN = "open"  # in house, or waiting to be outsourced
    OFFERED = "offered"  # outsourced to a partner, waiting for its answer
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"  # the work is done; the owner closes it
    PENDING_APPROVAL = "pending_approval"  # a gated partner's completed work, waiting for an owner admin
    READY_TO_SUBMIT = "ready_to_submit"  # a work order whose unit is ready: the shop finalizes (invoices) it
    CLOSED = "closed"
    CANCELLED = "cancelled"


class TicketKind(StrEnum):
    TICKET = "ticket"  # work the owner logs, does in house or outsources
    WORK_ORDER = "work_order"  # a repair order: approved labour a technician clocked on to


class Side(StrEnum):
    OWNER = "owner"  # the owner's staff
    PARTNER = "partner"  # the partner the ticket is outsourced to: its members or its system


class TicketAction(StrEnum):
    """The steps of a ticket; which side may take which is the ticket's transition table."""

    OUTSOURCE = "outsource"
    WITHDRAW = "withdraw"
    ACCEPT = "accept"
    DECLINE = "decline"
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    COMPLETE = "complete"
    CLOSE = "close"
    REOPEN = "reopen"
    CANCEL = "cancel"
    UNIT_READY = "unit-ready"  # a work order's technician marks the unit ready: it waits to be submitted
    APPROVE = "approve"  # an owner admin approves a gated partner's completed work: closed
    REJECT = "reject"  # an owner admin sends it back, with a reason: in progress again


_OWNER = frozenset({Side.OWNER})
_PARTNER = frozenset({Side.PARTNER})
_BOTH = _OWNER | _PARTNER
_TICKETS = frozenset({TicketKind.TICKET})
_WORK_ORDERS = frozenset({TicketKind.WORK_ORDER})
_ALL_KINDS = frozenset(TicketKind)

# The one table of legal steps: (status, step) -> (new status, the sides that may take it, the kinds of ticket
# it applies to). A work order is in-house by nature: it is never offered to a partner, and it ends in "ready
# to submit" (the shop invoices it) rather than completed and closed.
TRANSITIONS: dict[
    tuple[TicketStatus, TicketAction], tuple[TicketStatus, frozenset[Side], frozenset[TicketKind]]
] = {
    (TicketStatus.OPEN, TicketAction.OUTSOURCE): (TicketStatus.OFFERED, _OWNER, _TICKETS),
    (TicketStatus.OFFERED, TicketAction.WITHDRAW): (TicketStatus.OPEN, _OWNER, _TICKETS),
    (TicketStatus.ACCEPTED, TicketAction.WITHDRAW): (TicketStatus.OPEN, _OWNER, _TICKETS),
    (TicketStatus.OFFERED, TicketAction.ACCEPT): (TicketStatus.ACCEPTED, _PARTNER, _TICKETS),
    (TicketStatus.OFFERED, TicketAction.DECLINE): (TicketStatus.OPEN, _PARTNER, _TICKETS),
    (TicketStatus.OPEN, TicketAction.START): (TicketStatus.IN_PROGRESS, _OWNER, _TICKETS),  # in-house work
    (TicketStatus.ACCEPTED, TicketAction.START): (TicketStatus.IN_PROGRESS, _PARTNER, _TICKETS),
    (TicketStatus.IN_PROGRESS, TicketAction.PAUSE): (TicketStatus.ON_HOLD, _BOTH, _ALL_KINDS),
    (TicketStatus.ON_HOLD, TicketAction.RESUME): (TicketStatus.IN_PROGRESS, _BOTH, _ALL_KINDS),
    (TicketStatus.IN_PROGRESS, TicketAction.COMPLETE): (TicketStatus.COMPLETED, _BOTH, _TICKETS),
    (TicketStatus.COMPLETED, TicketAction.CLOSE): (TicketStatus.CLOSED, _OWNER, _TICKETS),
    (TicketStatus.COMPLETED, TicketAction.REOPEN): (TicketStatus.IN_PROGRESS, _OWNER, _TICKETS),
    (TicketStatus.OPEN, TicketAction.CANCEL): (TicketStatus.CANCELLED, _OWNER, _TICKETS),
    (TicketStatus.OFFERED, TicketAction.CANCEL): (TicketStatus.CANCELLED, _OWNER, _TICKETS),
    (TicketStatus.ACCEPTED, TicketAction.CANCEL): (TicketStatus.CANCELLED, _OWNER, _TICKETS),
    (TicketStatus.ON_HOLD, TicketAction.CANCEL): (TicketStatus.CANCELLED, _OWNER, _ALL_KINDS),
    (TicketStatus.IN_PROGRESS, TicketAction.UNIT_READY): (
        TicketStatus.READY_TO_SUBMIT,
        _OWNER,
        _WORK_ORDERS,
    ),
    (TicketStatus.READY_TO_SUBMIT, TicketAction.REOPEN): (TicketStatus.IN_PROGRESS, _OWNER, _WORK_ORDERS),
    (TicketStatus.PENDING_APPROVAL, TicketAction.APPROVE): (TicketStatus.CLOSED, _OWNER, _TICKETS),
    (TicketStatus.PENDING_APPROVAL, TicketAction.REJECT): (TicketStatus.IN_PROGRESS, _OWNER, _TICKETS),
}
# Steps only an owner admin takes (the policy's ticket:approve).
APPROVING = frozenset({TicketAction.APPROVE, TicketAction.REJECT})

# Which sides take a step in some status: a side outside it is refused (403) whatever the ticket's state.
SIDES_OF_STEP: dict[TicketAction, frozenset[Side]] = {
    step: frozenset().union(*(sides for (_, s), (_, sides, _) in TRANSITIONS.items() if s is step))
    for step in TicketAction
}
# Steps after which the ticket no longer belongs to the partner it was outsourced to.
RELEASING = frozenset({TicketAction.WITHDRAW, TicketAction.DECLINE})
# Steps that commit the owner (to a partner, a rate, or an outcome): dispatchers and admins, not every staff.
DISPATCHING = frozenset(
    {
        TicketAction.OUTSOURCE,
        TicketAction.WITHDRAW,
        TicketAction.CLOSE,
        TicketAction.REOPEN,
        TicketAction.CANCEL,
    }
)
# Statuses a ticket is still worked in: assignment lists show these, and only these take an assignee.
ACTIVE = frozenset(
    {
        TicketStatus.OPEN,
        TicketStatus.OFFERED,
        TicketStatus.ACCEPTED,
        TicketStatus.IN_PROGRESS,
        TicketStatus.ON_HOLD,
        TicketStatus.COMPLETED,
        TicketStatus.PENDING_APPROVAL,
    }
)
NEEDS_NOTE = frozenset(
    {
        TicketAction.DECLINE,
        TicketAction.WITHDRAW,
        TicketAction.CANCEL,
        TicketAction.REOPEN,
        TicketAction.REJECT,
    }
)
# Time and costs are logged while work happens, and until the owner closes the ticket.
EARLIEST_TIME_ZONE_AHEAD = timedelta(hours=14)
LOGGABLE = frozenset({TicketStatus.IN_PROGRESS, TicketStatus.ON_HOLD, TicketStatus.COMPLETED})


def take(
    status: TicketStatus, step: TicketAction, side: Side, kind: TicketKind = TicketKind.TICKET
) -> TicketStatus:
    """The status after `side` takes `step`, or 409 for a step the status, the side or the kind of ticket
    does not allow."""
    noun = "work order" if kind is TicketKind.WORK_ORDER else "ticket"
    if side not in SIDES_OF_STEP[step]:  # authorization before state: a partner closing is refused, not told
        raise Forbidden(f"the {side.value} does not {step.value} tickets")
    rule = TRANSITIONS.get((status, step))
    if rule is None or kind not in rule[2] or side not in rule[1]:
        raise Conflict(
            f"a {noun} that is {status.value} cannot take the step '{step.value}'", code="illegal_transition"
        )
    return rule[0]


def step_to(status: TicketStatus, target: TicketStatus, side: Side) -> TicketAction:
    """The one step that moves `side` from `status` to `target` (a partner system reports statuses, not
    steps; only tickets are outsourced); 409 when there is none."""
    for (source, step), (after, sides, kinds) in TRANSITIONS.items():
        if source is status and after is target and side in sides and TicketKind.TICKET in kinds:
            return step
    raise Conflict(
        f"the {side.value} cannot move a ticket from {status.value} to {target.value}",
        code="illegal_transition",
    )


def gated(after: TicketStatus, step: TicketAction, side: Side, requires_admin_approval: bool) -> TicketStatus:
    """A partner linked with `require_admin_approval`: its completion waits for an owner admin's approval."""
    if step is TicketAction.COMPLETE and side is Side.PARTNER and requires_admin_approval:
        return TicketStatus.PENDING_APPROVAL
    return after


def check_close(requires_admin_approval: bool, closer_may_approve: bool) -> None:
    """A partner linked with `require_admin_approval`: its work counts as closed only when an owner admin
    closes it."""
    if requires_admin_approval and not closer_may_approve:
        raise Conflict(
            "work by this partner is closed only with an owner admin's approval",
            code="admin_approval_required",
        )


def check_loggable(status: TicketStatus) -> None:
    if status not in LOGGABLE:
        raise Conflict(
            f"time and costs are logged on work in progress, on hold or completed, not {status.value}",
            code="illegal_transition",
        )


def check_work_date(work_date: date, now: datetime) -> None:
    """No work in the future, wherever the worker is: the latest local date on Earth is UTC+14."""
    if work_date > (now + EARLIEST_TIME_ZONE_AHEAD).date():
        raise Invalid("work_date", "cannot be in the future")


@dataclass(frozen=True)
class Terms:
    """What the owner offers and the partner accepts: work is billed at these rates."""

    hourly_rate_cents: int
    currency: str


def labour_cents(minutes: int, terms: Terms | None) -> int:
    """Minutes at the hourly rate, rounded half up to the cent; in-house work (no terms) bills nothing."""
    if terms is None:
        return 0
    return (minutes * terms.hourly_rate_cents * 2 + 60) // 120


# ---- work orders: clocking, repair order numbers, estimated against clocked time -------------------------

CLOCKABLE = frozenset({TicketStatus.IN_PROGRESS})
MAX_ENTRY = timedelta(hours=24)  # a corrected entry; an entry clocked off late is as long as it really was


def check_clockable(status: TicketStatus) -> None:
    if status not in CLOCKABLE:
        raise Conflict(
            f"technicians clock on to a work order in progress, not one that is {status.value}",
            code="illegal_transition",
        )


def check_not_clocked_on(current_ticket: str | None, current_ro: int | None) -> None:
    """One job at a time: clocking on elsewhere is refused (clock off first), so no two entries of one
    technician ever run at once."""
    if current_ticket is not None:
        where = f"repair order {current_ro}" if current_ro else f"ticket {current_ticket}"
        raise Conflict(
            f"the technician is clocked on to {where}; clock off there first", code="already_clocked_on"
        )


def next_repair_order(last: int) -> int:
    """Repair order numbers run 1, 2, 3, ... per tenant; a number is taken only by a work order that opens."""
    return last + 1


def clock_start(now: datetime, last_stop: datetime | None) -> datetime:
    """When a new entry starts: now, but never before the technician's previous entry ended (a clock that
    stepped back must not make two entries overlap)."""
    return max(now, last_stop) if last_stop else now


def seconds_between(start: datetime, stop: datetime) -> int:
    return max(0, int((stop - start).total_seconds()))


def minutes_of(seconds: int) -> int:
    """Clocked seconds shown as whole minutes, half up."""
    return (seconds + 30) // 60


@dataclass(frozen=True)
class Span:
    """A clocked time entry: `stop` is None while the technician is still on it."""

    entry_id: str
    start: datetime
    stop: datetime | None


CORRECTABLE = frozenset({TicketStatus.IN_PROGRESS, TicketStatus.ON_HOLD})


def check_correctable(status: TicketStatus) -> None:
    """Clocked time is corrected while the work order is worked; once ready to submit (what the shop
    invoices) or cancelled it stands as it is: reopen it to correct it."""
    if status not in CORRECTABLE:
        raise Conflict(
            f"the time of a work order that is {status.value} is no longer corrected; reopen it first",
            code="read_only",
        )


def check_correction(start: datetime, stop: datetime, now: datetime) -> None:
    if stop <= start:
        raise Invalid("stopped_at", "must be after started_at")
    if stop > now:
        raise Invalid("stopped_at", "cannot be in the future")
    if stop - start > MAX_ENTRY:
        raise Invalid("stopped_at", "an entry is at most 24 hours; split longer work into entries")


def check_no_overlap(entry_id: str, start: datetime, stop: datetime, neighbours: Iterable[Span]) -> None:
    """`neighbours`: the technician's other entries around this time, in any order. Entries never overlap,
    so they end in the order they start: of those starting before `stop`, only the latest can reach past
    `start`."""
    earlier = sorted(
        (s for s in neighbours if s.entry_id != entry_id and s.start < stop),
        key=lambda s: s.start,
        reverse=True,
    )
    if earlier and (earlier[0].stop is None or earlier[0].stop > start):
        raise Conflict(
            f"the technician's entry {earlier[0].entry_id} overlaps this time", code="time_overlap"
        )


def variance_minutes(estimated_hours: str, clocked_seconds: int) -> tuple[int, int, int]:
    """(estimated, clocked, clocked minus estimated) in minutes, for a line of a work order."""
    estimated = int((Decimal(estimated_hours) * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    clocked = minutes_of(clocked_seconds)
    return estimated, clocked, clocked - estimated


# ---- assignment -----------------------------------------------------------------------------------------

# Who a ticket is assigned to inside the tenant.
ASSIGNABLE_ROLES = frozenset({Role.TECHNICIAN, Role.DISPATCHER, Role.PARTNER})


def check_assignee(roles: frozenset[Role] | None, field: str = "assignee_id") -> None:
    if roles is None:
        raise Invalid(field, "not an active member of this tenant")
    if not roles & ASSIGNABLE_ROLES:
        raise Invalid(field, "tickets are assigned to technicians, dispatchers and partner-role members")


def check_assignable(status: TicketStatus, outsourced_to: str | None) -> None:
    """A ticket is assigned to a member while it is worked, and only while no partner company holds it."""
    if status not in ACTIVE:
        raise Conflict(f"a ticket that is {status.value} takes no assignee", code="illegal_transition")
    if outsourced_to is not None:
        raise Conflict(
            "this ticket is outsourced to a partner company; withdraw it before assigning it to a member",
            code="outsourced",
        )
