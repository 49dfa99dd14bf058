"""Pure rules of a ticket (in-house or outsourced work, and the work orders a shop's technicians clock on to):
one table of legal steps, which side and which kind of ticket may take each, time logging and clocking, repair
order numbers, assignment, and pricing at the rates a partner accepted."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

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
    INVOICED = "invoiced"  # a work order's invoice was finalized: closed (its workflow's step, no person's)


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
    # Accepting takes the terms on the table: the partner the owner's, or the owner the partner's counter.
    (TicketStatus.OFFERED, TicketAction.ACCEPT): (TicketStatus.ACCEPTED, _BOTH, _TICKETS),
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
    (TicketStatus.READY_TO_SUBMIT, TicketAction.INVOICED): (TicketStatus.CLOSED, _OWNER, _WORK_ORDERS),
    (TicketStatus.PENDING_APPROVAL, TicketAction.APPROVE): (TicketStatus.CLOSED, _OWNER, _TICKETS),
    (TicketStatus.PENDING_APPROVAL, TicketAction.REJECT): (TicketStatus.IN_PROGRESS, _OWNER, _TICKETS),
}
# Steps only an owner admin takes (the policy's ticket:approve).
APPROVING = frozenset({TicketAction.APPROVE, TicketAction.REJECT})
# Steps only the owner's own workflows take: a finalized invoice closes its work order, no one by hand.
SYSTEM_STEPS = frozenset({TicketAction.INVOICED})

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
        TicketAction.ACCEPT,  # the owner accepting a partner's counter
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


def rates_of(doc: Mapping[str, Any] | None) -> tuple[tuple[str, int], ...]:
    """Work types' hourly rates as terms hold them: (work type, rate), sorted by work type."""
    return tuple(sorted((str(k), int(v)) for k, v in (doc or {}).items()))


@dataclass(frozen=True)
class RateStep:
    """A scheduled change of the rates, as offered: the work done from `effective_from` bills at these."""

    effective_from: str
    hourly_rate_cents: int
    rates: tuple[tuple[str, int], ...] = ()
    markup_bp: int = 0

    def to_doc(self) -> dict[str, Any]:
        return {
            "effective_from": self.effective_from,
            "hourly_rate_cents": self.hourly_rate_cents,
            "rates": dict(self.rates),
            "markup_bp": self.markup_bp,
        }

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> RateStep:
        return cls(
            effective_from=str(doc["effective_from"]),
            hourly_rate_cents=int(doc["hourly_rate_cents"]),
            rates=rates_of(doc.get("rates")),
            markup_bp=int(doc.get("markup_bp") or 0),
        )


@dataclass(frozen=True)
class Terms:
    """What one side offers and the other accepts: the standard hourly rate and the rates of other work
    types, the markup on costs, a not-to-exceed amount, the currency and free-text conditions. The terms
    finally accepted are what the work bills at."""

    hourly_rate_cents: int
    currency: str
    rates: tuple[tuple[str, int], ...] = ()  # (work type, hourly rate), sorted by work type
    markup_bp: int = 0
    not_to_exceed_cents: int | None = None
    conditions: str | None = None
    rate_card_id: str | None = None  # offered from the owner's rate card (for the record)
    schedule: tuple[RateStep, ...] = ()  # the card's changes already scheduled when it was offered, by day

    def on(self, day: str) -> Terms:
        """The terms a day's work bills at: the last scheduled step in force that day, else these rates; the
        not-to-exceed amount and conditions stay as accepted."""
        steps = sorted((s for s in self.schedule if s.effective_from <= day), key=lambda s: s.effective_from)
        if not steps:
            return self
        step = steps[-1]  # of one day's steps, the last scheduled
        return replace(
            self, hourly_rate_cents=step.hourly_rate_cents, rates=step.rates, markup_bp=step.markup_bp
        )

    def rate_for(self, work_type: str | None) -> int:
        """The hourly rate of a work type (none: the standard rate); a type the terms do not name is 422."""
        if work_type is None:
            return self.hourly_rate_cents
        for name, cents in self.rates:
            if name == work_type:
                return cents
        raise Invalid("work_type", "the accepted terms name no rate for this work type")

    def to_doc(self) -> dict[str, Any]:
        return {
            "hourly_rate_cents": self.hourly_rate_cents,
            "currency": self.currency,
            "rates": dict(self.rates),
            "markup_bp": self.markup_bp,
            "not_to_exceed_cents": self.not_to_exceed_cents,
            "conditions": self.conditions,
            **({"rate_card_id": self.rate_card_id} if self.rate_card_id else {}),
            **({"schedule": [step.to_doc() for step in self.schedule]} if self.schedule else {}),
        }

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Terms:
        nte = doc.get("not_to_exceed_cents")
        return cls(
            hourly_rate_cents=int(doc["hourly_rate_cents"]),
            currency=str(doc["currency"]),
            rates=rates_of(doc.get("rates")),
            markup_bp=int(doc.get("markup_bp") or 0),
            not_to_exceed_cents=int(nte) if nte is not None else None,
            conditions=doc.get("conditions"),
            rate_card_id=doc.get("rate_card_id"),
            schedule=tuple(RateStep.from_doc(step) for step in doc.get("schedule") or ()),
        )


def _half_up(numerator: int, denominator: int) -> int:
    return (numerator * 2 + denominator) // (denominator * 2)


def labour_cents(minutes: int, terms: Terms | None, work_type: str | None = None) -> int:
    """Minutes at the work type's hourly rate, rounded half up to the cent; in-house work (no terms) bills
    nothing."""
    if terms is None:
        return 0
    return _half_up(minutes * terms.rate_for(work_type), 60)


def cost_cents(quantity: Decimal, unit_cost_cents: int) -> int:
    """What a cost line cost: quantity times unit cost, half up to the cent."""
    return int((quantity * unit_cost_cents).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def billed_cost_cents(cost: int, terms: Terms | None) -> int:
    """A cost as billed: with the accepted markup (basis points), half up to the cent; in house, nothing."""
    if terms is None:
        return 0
    return _half_up(cost * (10_000 + terms.markup_bp), 10_000)


@dataclass(frozen=True)
class TimeWorked:
    """A partner's time entry as it bills (what billing reads of a ticket)."""

    entry_id: str
    minutes: int
    work_type: str | None
    work_date: str
    amount_cents: int  # at the rate in force when it was logged
    rate_cents: int | None = None  # that rate (None: logged before entries kept it)


@dataclass(frozen=True)
class CostSpent:
    """A partner's cost line as it bills."""

    cost_id: str
    description: str
    quantity: Decimal
    unit_cost_cents: int
    work_date: str
    billed_cents: int  # with the markup in force when it was logged


@dataclass(frozen=True)
class OrderLine:
    """A work order's line as the shop invoices it: approved labour (its estimated hours and approved rate),
    the time clocked on it, and its approved parts."""

    line_id: str
    work_id: str  # the work required it came from: unique on the work order (line ids are the estimate's)
    description: str
    estimated_hours: Decimal
    hourly_rate: int
    clocked_seconds: int
    parts: tuple[tuple[str, Decimal, int], ...]  # (description, quantity, unit price)


# ---- offers: the terms negotiated round by round until one side accepts what the other proposed -----------


class OfferStatus(StrEnum):
    PENDING = "pending"  # waiting for the answer of the side whose turn it is
    ACCEPTED = "accepted"
    DECLINED = "declined"  # the partner turned the work down
    REJECTED = "rejected"  # the owner ended the negotiation on the partner's counter
    EXPIRED = "expired"  # not answered within its acceptance window: back to the owner
    WITHDRAWN = "withdrawn"  # the owner took the work back, or the link ended


class OfferAction(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    COUNTER = "counter"
    REJECT = "reject"


MAX_ROUNDS = 20  # every round is kept on the offer; a negotiation past this is refused
# The one table of answers: the sides that may give each, whether it must be that side's turn, and the
# offer's status after it. A counter keeps the offer pending and hands the turn to the other side.
ANSWERS: dict[OfferAction, tuple[frozenset[Side], bool, OfferStatus]] = {
    OfferAction.ACCEPT: (_BOTH, True, OfferStatus.ACCEPTED),
    OfferAction.COUNTER: (_BOTH, True, OfferStatus.PENDING),
    OfferAction.DECLINE: (_PARTNER, False, OfferStatus.DECLINED),  # the partner may back out any time
    OfferAction.REJECT: (_OWNER, True, OfferStatus.REJECTED),
}
# The ticket's step each ending answer takes (a counter takes none: the ticket stays offered).
TICKET_STEP_OF_ANSWER = {
    OfferAction.ACCEPT: TicketAction.ACCEPT,
    OfferAction.DECLINE: TicketAction.DECLINE,
    OfferAction.REJECT: TicketAction.WITHDRAW,
}
NEEDS_REASON = frozenset({OfferAction.DECLINE, OfferAction.REJECT})


def other(side: Side) -> Side:
    return Side.PARTNER if side is Side.OWNER else Side.OWNER


def answer(status: OfferStatus, turn: Side, rounds: int, action: OfferAction, side: Side) -> OfferStatus:
    """The offer's status after `side` gives this answer: 403 for a side that never gives it, 409 for an
    offer no longer open, an answer out of turn, or one round too many."""
    sides, on_turn, after = ANSWERS[action]
    if side not in sides:
        raise Forbidden(f"the {side.value} does not {action.value} offers")
    if status is not OfferStatus.PENDING:
        raise Conflict(f"this offer is {status.value}; it takes no more answers", code="offer_closed")
    if on_turn and turn is not side:
        raise Conflict(
            f"this offer waits for the {turn.value}'s answer to the latest terms", code="not_your_turn"
        )
    if action is OfferAction.COUNTER and rounds >= MAX_ROUNDS:
        raise Conflict(
            f"an offer is negotiated in at most {MAX_ROUNDS} rounds; accept, decline or reject it",
            code="too_many_rounds",
        )
    return after


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


# ---- search: a few designed index entries per ticket, one Query per search --------------------------------

MAX_TITLE_WORDS = 12
_WORD = re.compile(r"[^\W_]+")


def title_words(title: str) -> list[str]:
    """The words a title is found by: whole words, case-insensitive, two letters or more, the first twelve
    distinct ones."""
    found: list[str] = []
    for word in _WORD.findall(title.casefold()):
        if len(word) >= 2 and word not in found:
            found.append(word)
    return found[:MAX_TITLE_WORDS]


@dataclass(frozen=True)
class SearchView:
    """What one side's search finds a ticket by: its status, the member it is assigned to on that side, the
    partner holding it (the owner's side only), its location and the words of its title."""

    status: str
    assignee: str | None
    partner: str | None
    location: str | None
    words: tuple[str, ...]
    organization: str | None = None  # the partner organization of its assignee (the owner's side only)

    def facets(self) -> list[str]:
        """The index partitions the ticket is listed in, for this side: every one a search may start from."""
        found = ["all", f"s={self.status}"]
        found += [f"a={self.assignee}"] if self.assignee else []
        found += [f"p={self.partner}"] if self.partner else []
        found += [f"l={self.location}"] if self.location else []
        found += [f"o={self.organization}"] if self.organization else []
        return found + [f"w={word}" for word in self.words]


@dataclass(frozen=True)
class SearchFilters:
    status: str | None = None
    assignee: str | None = None
    partner: str | None = None
    location: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None  # exclusive
    updated_from: datetime | None = None
    updated_to: datetime | None = None  # exclusive
    words: tuple[str, ...] = ()
    organization: str | None = None

    def start(self) -> str:
        """The partition a search reads: the most selective filter it names (a title word, the longest
        first; then an assignee, a location, a partner, a status); with none, every ticket of the side."""
        if self.words:
            return f"w={max(self.words, key=len)}"
        for prefix, value in (
            ("a", self.assignee),
            ("o", self.organization),
            ("l", self.location),
            ("p", self.partner),
            ("s", self.status),
        ):
            if value:
                return f"{prefix}={value}"
        return "all"

    def matches(self, view: SearchView, created_at: datetime, updated_at: datetime) -> bool:
        """Whether a ticket read from the start partition meets every other filter too."""
        return (
            (self.status is None or view.status == self.status)
            and (self.assignee is None or view.assignee == self.assignee)
            and (self.partner is None or view.partner == self.partner)
            and (self.location is None or view.location == self.location)
            and (self.organization is None or view.organization == self.organization)
            and all(word in view.words for word in self.words)
            and (self.created_from is None or created_at >= self.created_from)
            and (self.created_to is None or created_at < self.created_to)
            and (self.updated_from is None or updated_at >= self.updated_from)
            and (self.updated_to is None or updated_at < self.updated_to)
        )


# ---- not-to-exceed ---------------------------------------------------------------------------------------


class NteStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class NteAction(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


NTE_ANSWERS = {NteAction.APPROVE: NteStatus.APPROVED, NteAction.REJECT: NteStatus.REJECTED}


def nte_flags(before: int, after: int, not_to_exceed: int | None) -> tuple[bool, bool]:
    """Whether an entry leaves the billable total over the not-to-exceed amount, and whether it is the entry
    that crossed it."""
    if not_to_exceed is None:
        return False, False
    return after > not_to_exceed, before <= not_to_exceed < after


def check_nte_increase(current: int | None, requested: int, pending: bool) -> None:
    if current is None:
        raise Conflict("this work has no not-to-exceed amount to raise", code="no_nte")
    if pending:
        raise Conflict(
            "a request to raise the not-to-exceed amount already waits for an answer", code="pending"
        )
    if requested <= current:
        raise Invalid("requested_cents", f"must be more than the current not-to-exceed amount ({current})")


def answer_nte(status: NteStatus, action: NteAction, note: str | None) -> NteStatus:
    if status is not NteStatus.PENDING:
        raise Conflict(f"this request was {status.value} already", code="illegal_transition")
    if action is NteAction.REJECT and not note:
        raise Invalid("note", "give a reason to reject")
    return NTE_ANSWERS[action]
