"""Pure rules of a ticket: one table of legal steps and who may take each, time logging, and pricing at the
rates a partner accepted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from handoff.errors import Conflict, Invalid


class TicketStatus(StrEnum):
    OPEN = "open"  # in house, or waiting to be outsourced
    OFFERED = "offered"  # outsourced to a partner, waiting for its answer
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"  # the work is done; the owner closes it
    CLOSED = "closed"
    CANCELLED = "cancelled"


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


_OWNER = frozenset({Side.OWNER})
_PARTNER = frozenset({Side.PARTNER})
_BOTH = _OWNER | _PARTNER

# The one table of legal steps: (status, step) -> (new status, the sides that may take it).
TRANSITIONS: dict[tuple[TicketStatus, TicketAction], tuple[TicketStatus, frozenset[Side]]] = {
    (TicketStatus.OPEN, TicketAction.OUTSOURCE): (TicketStatus.OFFERED, _OWNER),
    (TicketStatus.OFFERED, TicketAction.WITHDRAW): (TicketStatus.OPEN, _OWNER),
    (TicketStatus.ACCEPTED, TicketAction.WITHDRAW): (TicketStatus.OPEN, _OWNER),
    (TicketStatus.OFFERED, TicketAction.ACCEPT): (TicketStatus.ACCEPTED, _PARTNER),
    (TicketStatus.OFFERED, TicketAction.DECLINE): (TicketStatus.OPEN, _PARTNER),
    (TicketStatus.OPEN, TicketAction.START): (TicketStatus.IN_PROGRESS, _OWNER),  # in-house work
    (TicketStatus.ACCEPTED, TicketAction.START): (TicketStatus.IN_PROGRESS, _PARTNER),
    (TicketStatus.IN_PROGRESS, TicketAction.PAUSE): (TicketStatus.ON_HOLD, _BOTH),
    (TicketStatus.ON_HOLD, TicketAction.RESUME): (TicketStatus.IN_PROGRESS, _BOTH),
    (TicketStatus.IN_PROGRESS, TicketAction.COMPLETE): (TicketStatus.COMPLETED, _BOTH),
    (TicketStatus.COMPLETED, TicketAction.CLOSE): (TicketStatus.CLOSED, _OWNER),
    (TicketStatus.COMPLETED, TicketAction.REOPEN): (TicketStatus.IN_PROGRESS, _OWNER),
    (TicketStatus.OPEN, TicketAction.CANCEL): (TicketStatus.CANCELLED, _OWNER),
    (TicketStatus.OFFERED, TicketAction.CANCEL): (TicketStatus.CANCELLED, _OWNER),
    (TicketStatus.ACCEPTED, TicketAction.CANCEL): (TicketStatus.CANCELLED, _OWNER),
    (TicketStatus.ON_HOLD, TicketAction.CANCEL): (TicketStatus.CANCELLED, _OWNER),
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
NEEDS_NOTE = frozenset(
    {TicketAction.DECLINE, TicketAction.WITHDRAW, TicketAction.CANCEL, TicketAction.REOPEN}
)
# Time and costs are logged while work happens, and until the owner closes the ticket.
EARLIEST_TIME_ZONE_AHEAD = timedelta(hours=14)
LOGGABLE = frozenset({TicketStatus.IN_PROGRESS, TicketStatus.ON_HOLD, TicketStatus.COMPLETED})


def take(status: TicketStatus, step: TicketAction, side: Side) -> TicketStatus:
    """The status after `side` takes `step`, or 409 for a step the status or the side does not allow."""
    rule = TRANSITIONS.get((status, step))
    if rule is None:
        raise Conflict(
            f"a ticket that is {status.value} cannot take the step '{step.value}'", code="illegal_transition"
        )
    after, sides = rule
    if side not in sides:
        raise Conflict(f"the {side.value} cannot {step.value} this ticket", code="illegal_transition")
    return after


def step_to(status: TicketStatus, target: TicketStatus, side: Side) -> TicketAction:
    """The one step that moves `side` from `status` to `target` (a partner system reports statuses, not
    steps); 409 when there is none."""
    for (source, step), (after, sides) in TRANSITIONS.items():
        if source is status and after is target and side in sides:
            return step
    raise Conflict(
        f"the {side.value} cannot move a ticket from {status.value} to {target.value}",
        code="illegal_transition",
    )


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
