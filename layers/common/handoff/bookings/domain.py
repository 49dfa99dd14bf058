"""Pure rules of a booking request: one table of legal steps, who may take each, and slot checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from handoff.errors import Conflict, Forbidden, Invalid


class Status(StrEnum):
    REQUESTED = "requested"
    NEGOTIATING = "negotiating"  # a suggested slot waits for the other side's answer
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    EXPIRED = "expired"


class Side(StrEnum):
    SHOP = "shop"
    CUSTOMER = "customer"
    SYSTEM = "system"


class Step(StrEnum):
    DECLINE = "decline"
    SUGGEST = "suggest"
    ACCEPT = "accept"
    REJECT = "reject"
    CONFIRM = "confirm"
    CONFIRM_WITH_ESTIMATE = "confirm-with-estimate"
    EXPIRE = "expire"


# The one table of legal steps: (status, step) -> new status.
TRANSITIONS: dict[tuple[Status, Step], Status] = {
    (Status.REQUESTED, Step.DECLINE): Status.DECLINED,
    (Status.NEGOTIATING, Step.DECLINE): Status.DECLINED,
    (Status.REQUESTED, Step.SUGGEST): Status.NEGOTIATING,
    (Status.NEGOTIATING, Step.SUGGEST): Status.NEGOTIATING,  # a counter-suggestion
    (Status.NEGOTIATING, Step.ACCEPT): Status.CONFIRMED,
    (Status.NEGOTIATING, Step.REJECT): Status.REQUESTED,
    (Status.REQUESTED, Step.CONFIRM): Status.CONFIRMED,
    (Status.REQUESTED, Step.CONFIRM_WITH_ESTIMATE): Status.CONFIRMED,
    (Status.NEGOTIATING, Step.EXPIRE): Status.EXPIRED,
}

# Who may take a step. Answering a suggestion (accept, reject) is for the side that did not make it; a
# counter-suggestion too.
SIDES: dict[Step, frozenset[Side]] = {
    Step.DECLINE: frozenset({Side.SHOP}),
    Step.SUGGEST: frozenset({Side.SHOP, Side.CUSTOMER}),
    Step.ACCEPT: frozenset({Side.SHOP, Side.CUSTOMER}),
    Step.REJECT: frozenset({Side.SHOP, Side.CUSTOMER}),
    Step.CONFIRM: frozenset({Side.SHOP}),
    Step.CONFIRM_WITH_ESTIMATE: frozenset({Side.SHOP}),
    Step.EXPIRE: frozenset({Side.SYSTEM}),
}
ANSWERS = frozenset({Step.ACCEPT, Step.REJECT})
# A negotiation ends in a decision: past this many steps only the steps that settle the booking remain, which
# also keeps the booking (its history inside) far below DynamoDB's 400 KB item limit.
MAX_STEPS = 40
SETTLING = frozenset({Step.DECLINE, Step.ACCEPT, Step.CONFIRM, Step.CONFIRM_WITH_ESTIMATE, Step.EXPIRE})


@dataclass(frozen=True)
class Booking:
    status: Status
    slot: datetime
    pending_slot: datetime | None = None
    suggested_by: Side | None = None
    steps_taken: int = 0


def take(booking: Booking, step: Step, side: Side, *, slot: datetime | None, now: datetime) -> Booking:
    """The booking after `side` takes `step`, or the reason it may not (409 illegal step, 422 bad slot)."""
    if side not in SIDES[step]:  # who may never take a step hears so before anything of the booking's state
        raise Forbidden(f"the {side.value} does not {step.value} bookings")
    after = TRANSITIONS.get((booking.status, step))
    if after is None:
        raise Conflict(
            f"a {booking.status.value} booking cannot take the step '{step.value}'", code="illegal_transition"
        )
    if booking.steps_taken >= MAX_STEPS and step not in SETTLING:
        raise Conflict(
            "this booking has been negotiated long enough: accept, confirm or decline it",
            code="negotiation_exhausted",
        )
    if (
        booking.status is Status.NEGOTIATING
        and step in ANSWERS | {Step.SUGGEST}
        and side is booking.suggested_by
    ):
        raise Conflict("wait for the other side to answer your suggestion", code="illegal_transition")
    if step is Step.SUGGEST:
        if slot is None:
            raise Invalid("slot", "a suggestion names a slot")
        check_future(slot, now)
        return Booking(after, booking.slot, pending_slot=slot, suggested_by=side)
    if step is Step.ACCEPT:
        assert booking.pending_slot is not None
        return Booking(after, booking.pending_slot)
    return Booking(after, booking.slot)


def check_future(slot: datetime, now: datetime) -> None:
    if slot.tzinfo is None:
        raise Invalid("slot", "give a time zone, e.g. 2026-12-01T09:00:00+01:00")
    if slot <= now:
        raise Invalid("slot", "must be in the future")
