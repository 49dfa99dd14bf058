"""Pure rules of a ticket: one table of legal steps and who may take each, time logging, and pricing at the
rates a partner accepted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from handoff.errors import Conflict, Invalid


class Status(StrEnum):
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


class Step(StrEnum):
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
TRANSITIONS: dict[tuple[Status, Step], tuple[Status, frozenset[Side]]] = {
    (Status.OPEN, Step.OUTSOURCE): (Status.OFFERED, _OWNER),
    (Status.OFFERED, Step.WITHDRAW): (Status.OPEN, _OWNER),
    (Status.ACCEPTED, Step.WITHDRAW): (Status.OPEN, _OWNER),
    (Status.OFFERED, Step.ACCEPT): (Status.ACCEPTED, _PARTNER),
    (Status.OFFERED, Step.DECLINE): (Status.OPEN, _PARTNER),
    (Status.OPEN, Step.START): (Status.IN_PROGRESS, _OWNER),  # in-house work
    (Status.ACCEPTED, Step.START): (Status.IN_PROGRESS, _PARTNER),
    (Status.IN_PROGRESS, Step.PAUSE): (Status.ON_HOLD, _BOTH),
    (Status.ON_HOLD, Step.RESUME): (Status.IN_PROGRESS, _BOTH),
    (Status.IN_PROGRESS, Step.COMPLETE): (Status.COMPLETED, _BOTH),
    (Status.COMPLETED, Step.CLOSE): (Status.CLOSED, _OWNER),
    (Status.COMPLETED, Step.REOPEN): (Status.IN_PROGRESS, _OWNER),
    (Status.OPEN, Step.CANCEL): (Status.CANCELLED, _OWNER),
    (Status.OFFERED, Step.CANCEL): (Status.CANCELLED, _OWNER),
    (Status.ACCEPTED, Step.CANCEL): (Status.CANCELLED, _OWNER),
    (Status.ON_HOLD, Step.CANCEL): (Status.CANCELLED, _OWNER),
}

# Steps after which the ticket no longer belongs to the partner it was outsourced to.
RELEASING = frozenset({Step.WITHDRAW, Step.DECLINE})
NEEDS_NOTE = frozenset({Step.DECLINE, Step.WITHDRAW, Step.CANCEL, Step.REOPEN})
# Time and costs are logged while work happens, and until the owner closes the ticket.
LOGGABLE = frozenset({Status.IN_PROGRESS, Status.ON_HOLD, Status.COMPLETED})


def take(status: Status, step: Step, side: Side) -> Status:
    """The status after `side` takes `step`, or 409 for a step the status or the side does not allow."""
    rule = TRANSITIONS.get((status, step))
    if rule is None:
        raise Conflict(f"a ticket that is {status.value} cannot be {step.value}ed", code="illegal_transition")
    after, sides = rule
    if side not in sides:
        raise Conflict(f"the {side.value} cannot {step.value} this ticket", code="illegal_transition")
    return after


def step_to(status: Status, target: Status, side: Side) -> Step:
    """The one step that moves `side` from `status` to `target` (a partner system reports statuses, not
    steps); 409 when there is none."""
    for (source, step), (after, sides) in TRANSITIONS.items():
        if source is status and after is target and side in sides:
            return step
    raise Conflict(
        f"the {side.value} cannot move a ticket from {status.value} to {target.value}",
        code="illegal_transition",
    )


def check_close(requires_admin_approval: bool, closer_is_admin: bool) -> None:
    """A partner linked with `require_admin_approval`: its work counts as closed only when an owner admin
    closes it."""
    if requires_admin_approval and not closer_is_admin:
        raise Conflict(
            "work by this partner is closed only with an owner admin's approval",
            code="admin_approval_required",
        )


def check_loggable(status: Status) -> None:
    if status not in LOGGABLE:
        raise Conflict(
            f"time and costs are logged on work in progress, on hold or completed, not {status.value}",
            code="illegal_transition",
        )


def check_work_date(work_date: date, today: date) -> None:
    if work_date > today:
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
