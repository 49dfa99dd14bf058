"""Pure rules of billing: what a partner's invoice holds (its time at the accepted rates, its costs with the
accepted markup), the one table of its legal steps, auto-approval, approver limits and invoice numbers (no AWS
here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from handoff.errors import Conflict, Forbidden, Invalid
from handoff.tickets.domain import CostSpent, Terms, TimeWorked


@dataclass(frozen=True)
class Line:
    kind: str  # labour | cost
    source_id: str  # the time entry or cost line it bills
    description: str
    quantity: str  # hours (labour, exact decimal) or the cost's quantity
    unit_cents: int  # the hourly rate, or the unit cost with the markup applied to the line
    amount_cents: int
    work_date: str

    def to_doc(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "source_id": self.source_id,
            "description": self.description,
            "quantity": self.quantity,
            "unit_cents": self.unit_cents,
            "amount_cents": self.amount_cents,
            "work_date": self.work_date,
        }


def invoice_lines(
    terms: Terms, time: Sequence[TimeWorked], costs: Sequence[CostSpent], billed: frozenset[str] = frozenset()
) -> list[Line]:
    """One line per time entry (minutes at its work type's rate) and per cost (quantity times unit cost, with
    the markup), at what each billed when it was logged — the rate in force when the work was done — and
    none for what an earlier invoice of the ticket billed already (`billed`: their source ids)."""
    rates = dict(terms.rates)
    lines = [
        Line(
            kind="labour",
            source_id=t.entry_id,
            description=f"Labour ({t.work_type or 'standard'})",
            quantity=str((Decimal(t.minutes) / 60).quantize(Decimal("0.01"))),
            unit_cents=rates.get(t.work_type, terms.hourly_rate_cents)
            if t.work_type
            else terms.hourly_rate_cents,
            amount_cents=t.amount_cents,
            work_date=t.work_date,
        )
        for t in sorted(time, key=lambda t: (t.work_date, t.entry_id))
        if t.entry_id not in billed
    ]
    lines += [
        Line(
            kind="cost",
            source_id=c.cost_id,
            description=c.description,
            quantity=str(c.quantity),
            unit_cents=c.unit_cost_cents,
            amount_cents=c.billed_cents,
            work_date=c.work_date,
        )
        for c in sorted(costs, key=lambda c: (c.work_date, c.cost_id))
        if c.cost_id not in billed
    ]
    return lines


class InvoiceStatus(StrEnum):
    DRAFT = "draft"  # computed; the partner reviews it
    SENT = "sent"  # waiting for the owner
    APPROVED = "approved"
    DISPUTED = "disputed"  # back to the partner, with the owner's line notes
    REJECTED = "rejected"


class InvoiceSide(StrEnum):
    PARTNER = "partner"
    OWNER = "owner"


class InvoiceAction(StrEnum):
    SEND = "send"
    APPROVE = "approve"
    DISPUTE = "dispute"
    REJECT = "reject"


_PARTNER, _OWNER = InvoiceSide.PARTNER, InvoiceSide.OWNER
# The one table of legal steps: (status, action) -> (new status, the side that takes it).
TRANSITIONS: dict[tuple[InvoiceStatus, InvoiceAction], tuple[InvoiceStatus, InvoiceSide]] = {
    (InvoiceStatus.DRAFT, InvoiceAction.SEND): (InvoiceStatus.SENT, _PARTNER),
    (InvoiceStatus.DISPUTED, InvoiceAction.SEND): (InvoiceStatus.SENT, _PARTNER),
    (InvoiceStatus.SENT, InvoiceAction.APPROVE): (InvoiceStatus.APPROVED, _OWNER),
    (InvoiceStatus.SENT, InvoiceAction.DISPUTE): (InvoiceStatus.DISPUTED, _OWNER),
    (InvoiceStatus.SENT, InvoiceAction.REJECT): (InvoiceStatus.REJECTED, _OWNER),
}
SIDE_OF_ACTION = {action: side for (_, action), (_, side) in TRANSITIONS.items()}


def take(status: InvoiceStatus, action: InvoiceAction, side: InvoiceSide) -> InvoiceStatus:
    """The status after the step, or why not: the other side's step is 403, a step the status does not take
    is 409."""
    if SIDE_OF_ACTION[action] is not side:
        raise Forbidden(f"the {SIDE_OF_ACTION[action].value} {action.value}s a partner invoice")
    found = TRANSITIONS.get((status, action))
    if found is None:
        raise Conflict(
            f"a partner invoice that is {status.value} cannot be {action.value}", code="illegal_transition"
        )
    return found[0]


def total(computed_cents: int, adjustment_cents: int) -> int:
    amount = computed_cents + adjustment_cents
    if amount < 0:
        raise Invalid("adjustment_cents", "the invoice would total less than nothing")
    return amount


def auto_approves(computed_cents: int, total_cents: int, not_to_exceed: int | None, disputed: bool) -> bool:
    """Sent as computed, within a not-to-exceed amount the owner agreed to, and never disputed: the owner has
    nothing to check. Without a not-to-exceed amount, or after a dispute, a person approves."""
    return (
        not disputed
        and total_cents == computed_cents
        and not_to_exceed is not None
        and total_cents <= not_to_exceed
    )


def check_approver(limit_cents: int | None, total_cents: int) -> None:
    """An approver with a limit approves up to it; above it, someone whose limit covers the amount does."""
    if limit_cents is not None and total_cents > limit_cents:
        raise Forbidden(
            f"this invoice ({total_cents}) is above your approval limit ({limit_cents}): an approver whose "
            "limit covers it approves it",
            code="over_approval_limit",
        )


def invoice_number(series: str, number: int) -> str:
    """`<series>-<six digits>`: numbers of a series run 1, 2, 3 ... without gaps."""
    return f"{series}-{number:06d}"
