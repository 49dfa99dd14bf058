"""Pure rules of billing: what a partner's invoice holds (its time at the accepted rates, its costs with the
accepted markup), the one table of its legal steps, auto-approval, approver limits and invoice numbers; a
shop's invoices, their taxes and credit notes; the versions of rate cards (no AWS here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from handoff.errors import Conflict, Forbidden, Invalid

if TYPE_CHECKING:  # annotations only: the billing function loads the tickets model when a route needs it
    from handoff.tickets.domain import CostSpent, OrderLine, Terms, TimeWorked


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
    lines = [
        Line(
            kind="labour",
            source_id=t.entry_id,
            description=f"Labour ({t.work_type or 'standard'})",
            quantity=str((Decimal(t.minutes) / 60).quantize(Decimal("0.01"))),
            # An entry logged before entries kept their rate: its day's, as the terms schedule it.
            unit_cents=t.rate_cents
            if t.rate_cents is not None
            else terms.on(t.work_date).rate_for(t.work_type),
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
    ESCALATE = "escalate"  # an approver whose limit is below the total passes it up, endorsed


_PARTNER, _OWNER = InvoiceSide.PARTNER, InvoiceSide.OWNER
# The one table of legal steps: (status, action) -> (new status, the side that takes it).
TRANSITIONS: dict[tuple[InvoiceStatus, InvoiceAction], tuple[InvoiceStatus, InvoiceSide]] = {
    (InvoiceStatus.DRAFT, InvoiceAction.SEND): (InvoiceStatus.SENT, _PARTNER),
    (InvoiceStatus.DISPUTED, InvoiceAction.SEND): (InvoiceStatus.SENT, _PARTNER),
    (InvoiceStatus.SENT, InvoiceAction.APPROVE): (InvoiceStatus.APPROVED, _OWNER),
    (InvoiceStatus.SENT, InvoiceAction.DISPUTE): (InvoiceStatus.DISPUTED, _OWNER),
    (InvoiceStatus.SENT, InvoiceAction.REJECT): (InvoiceStatus.REJECTED, _OWNER),
    (InvoiceStatus.SENT, InvoiceAction.ESCALATE): (InvoiceStatus.SENT, _OWNER),
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


def check_escalation(
    limit_cents: int | None, total_cents: int, endorsed_by: Sequence[str], user_id: str
) -> None:
    """Only an approver whose limit is below the total passes it up, once: one whose limit covers it decides
    it (approve, dispute or reject)."""
    if limit_cents is None or total_cents <= limit_cents:
        raise Conflict(
            "your approval limit covers this invoice: approve, dispute or reject it", code="within_your_limit"
        )
    if user_id in endorsed_by:
        raise Conflict("you passed this invoice up already", code="already_escalated")


def invoice_number(series: str, number: int) -> str:
    """`<series>-<six digits>`: numbers of a series run 1, 2, 3 ... without gaps."""
    return f"{series}-{number:06d}"


# ---- shop -> customer invoices ----------------------------------------------------------------------------


def _money(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def shop_lines(lines: Sequence[OrderLine]) -> list[dict[str, object]]:
    """Labour at the clocked hours and the approved rate, parts at the approved prices; each labour line names
    what the estimate approved, and whether the work differs from it."""
    out: list[dict[str, object]] = []
    for line in lines:
        hours = (Decimal(line.clocked_seconds) / 3600).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        amount, estimated = _money(hours * line.hourly_rate), _money(line.estimated_hours * line.hourly_rate)
        out.append(
            {
                "kind": "labour",
                "source_id": line.work_id,
                "description": line.description,
                "quantity": str(hours),
                "unit_cents": line.hourly_rate,
                "amount_cents": amount,
                "estimated_cents": estimated,
                "differs_from_estimate": amount != estimated,
            }
        )
        for index, (description, quantity, unit_price) in enumerate(line.parts):
            out.append(
                {
                    "kind": "part",
                    "source_id": f"{line.work_id}:{index}",
                    "description": description,
                    "quantity": str(quantity),
                    "unit_cents": unit_price,
                    "amount_cents": _money(quantity * unit_price),
                    "estimated_cents": _money(quantity * unit_price),
                    "differs_from_estimate": False,
                }
            )
    return out


def tax_cents(subtotal: int, tax_rate_bp: int) -> int:
    return _money(Decimal(subtotal) * tax_rate_bp / 10_000)


LINE_KINDS = ("labour", "part", "cost")


@dataclass(frozen=True)
class TaxRule:
    """A tax and the kinds of line it applies to (VAT on all; a parts-only sales tax; labour exempt)."""

    name: str
    rate_bp: int
    applies_to: tuple[str, ...]

    def to_doc(self) -> dict[str, object]:
        return {"name": self.name, "rate_bp": self.rate_bp, "applies_to": list(self.applies_to)}

    @classmethod
    def from_doc(cls, doc: Mapping[str, object]) -> TaxRule:
        kinds = doc.get("applies_to") or LINE_KINDS
        assert isinstance(kinds, (list, tuple))
        return cls(str(doc["name"]), int(str(doc["rate_bp"])), tuple(str(k) for k in kinds))


def flat_tax(tax_rate_bp: int) -> tuple[TaxRule, ...]:
    """Where the shop has no rate card: its tenant's one tax rate on every line (none at 0)."""
    return (TaxRule("Tax", tax_rate_bp, LINE_KINDS),) if tax_rate_bp else ()


def _taxable(rule: TaxRule, lines: Sequence[Mapping[str, object]]) -> int:
    return sum(int(str(line["amount_cents"])) for line in lines if line["kind"] in rule.applies_to)


def _tax(rule: TaxRule, taxable: int, amount: int) -> dict[str, object]:
    return {**rule.to_doc(), "taxable_cents": taxable, "amount_cents": amount}


def taxes(rules: Sequence[TaxRule], lines: Sequence[Mapping[str, object]]) -> list[dict[str, object]]:
    """Each rule on the lines of the kinds it applies to, rounded half up per rule."""
    out: list[dict[str, object]] = []
    for rule in rules:
        taxable = _taxable(rule, lines)
        out.append(_tax(rule, taxable, tax_cents(taxable, rule.rate_bp)))
    return out


def credit_taxes(
    charged: Sequence[Mapping[str, object]],
    credited: Sequence[Sequence[int]],
    lines: Sequence[Mapping[str, object]],
) -> tuple[list[dict[str, object]], list[list[int]]]:
    """The taxes a credit note gives back, rule by rule as the invoice charged them: what the credits so far
    make of the rule's tax, less what earlier credits gave back — so the notes of an invoice never give back
    more than it charged, and crediting everything gives back exactly that. Returns the note's taxes and
    what is credited of each rule after it (taxable, tax)."""
    given: list[dict[str, object]] = []
    after: list[list[int]] = []
    for index, doc in enumerate(charged):
        rule = TaxRule.from_doc(doc)
        charged_taxable, charged_tax = int(str(doc["taxable_cents"])), int(str(doc["amount_cents"]))
        before_taxable, before_tax = (
            (int(credited[index][0]), int(credited[index][1])) if index < len(credited) else (0, 0)
        )
        taxable = _taxable(rule, lines)
        total_taxable = before_taxable + taxable
        total_tax = (
            charged_tax
            if total_taxable >= charged_taxable
            else min(tax_cents(total_taxable, rule.rate_bp), charged_tax)
        )
        given.append(_tax(rule, taxable, total_tax - before_tax))
        after.append([total_taxable, total_tax])
    return given, after


def credit_lines(
    lines: Sequence[Mapping[str, object]],
    credited: Mapping[str, int],
    asked: Sequence[tuple[str, int]] | None,
) -> list[dict[str, object]]:
    """The lines of a credit note: the amounts asked of the invoice's lines (none asked: everything not yet
    credited), never more of a line than is left of it (422 naming the item)."""
    by_source = {str(line["source_id"]): line for line in lines}
    left = {
        source: int(str(line["amount_cents"])) - credited.get(source, 0) for source, line in by_source.items()
    }
    wanted = asked if asked is not None else [(s, cents) for s, cents in left.items() if cents > 0]
    out: list[dict[str, object]] = []
    for index, (source, cents) in enumerate(wanted):
        if source not in by_source:
            raise Invalid(f"credit_lines.{index}.source_id", "the invoice has no such line")
        if cents > left[source]:
            raise Invalid(
                f"credit_lines.{index}.amount_cents", f"only {left[source]} of this line is left to credit"
            )
        left[source] -= cents  # a line named twice is credited once in all
        line = by_source[source]
        out.append(
            {
                "kind": line["kind"],
                "source_id": source,
                "description": f"Credit: {line['description']}",
                "quantity": "1",
                "unit_cents": cents,
                "amount_cents": cents,
                "estimated_cents": cents,
                "differs_from_estimate": False,
            }
        )
    if not out:
        raise Conflict("everything on this invoice is credited already", code="fully_credited")
    return out


# ---- rate cards: versions in force from a day ----------------------------------------------------------


class RateScope(StrEnum):
    SHOP = "shop"  # the shop's own work for its customers
    PARTNER = "partner"  # what a linked partner's work bills at


def scope_key(scope: RateScope, servicer_id: str | None) -> str:
    return f"partner#{servicer_id}" if scope is RateScope.PARTNER else scope.value


SCHEDULE_DAYS = 731  # how far ahead a version may be scheduled (a mistake far ahead is corrected in time)


def check_version_date(effective_from: date, today: date) -> None:
    """A version takes effect today or later, within two years: what was done before a day keeps the rates
    it was done at. On a day with several versions, the newest is the one in force; a version may come
    before one scheduled later (each applies from its own day)."""
    if effective_from < today:
        raise Invalid(
            "effective_from",
            "a version takes effect today or later: past work keeps the rates it was done at",
        )
    if (effective_from - today).days > SCHEDULE_DAYS:
        raise Invalid("effective_from", "schedule a version at most two years ahead")


class ShopStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # waiting for the customer's authorization
    DISPUTED = "disputed"
    REVISED = "revised"  # recomputed after a dispute: the shop submits it again
    FINALIZED = "finalized"  # numbered and immutable; a correction is a credit note


class ShopAction(StrEnum):
    SUBMIT = "submit"
    AUTHORIZE = "authorize"
    DISPUTE = "dispute"
    REVISE = "revise"
    FINALIZE = "finalize"
    CREDIT = "credit"  # a credit note against a finalized invoice, which itself never changes


class ShopSide(StrEnum):
    SHOP = "shop"
    CUSTOMER = "customer"


_SHOP, _CUSTOMER = ShopSide.SHOP, ShopSide.CUSTOMER
# The one table of a shop invoice's steps: (status, action) -> (new status, who takes it).
SHOP_TRANSITIONS: dict[tuple[ShopStatus, ShopAction], tuple[ShopStatus, ShopSide]] = {
    (ShopStatus.DRAFT, ShopAction.SUBMIT): (ShopStatus.SUBMITTED, _SHOP),
    (ShopStatus.REVISED, ShopAction.SUBMIT): (ShopStatus.SUBMITTED, _SHOP),
    (ShopStatus.SUBMITTED, ShopAction.AUTHORIZE): (ShopStatus.FINALIZED, _CUSTOMER),
    (ShopStatus.SUBMITTED, ShopAction.DISPUTE): (ShopStatus.DISPUTED, _CUSTOMER),
    (ShopStatus.DISPUTED, ShopAction.REVISE): (ShopStatus.REVISED, _SHOP),
    (ShopStatus.SUBMITTED, ShopAction.REVISE): (ShopStatus.REVISED, _SHOP),  # the shop takes it back
    (ShopStatus.DRAFT, ShopAction.FINALIZE): (ShopStatus.FINALIZED, _SHOP),
    (ShopStatus.REVISED, ShopAction.FINALIZE): (ShopStatus.FINALIZED, _SHOP),
    (ShopStatus.SUBMITTED, ShopAction.FINALIZE): (ShopStatus.FINALIZED, _SHOP),
    (ShopStatus.FINALIZED, ShopAction.CREDIT): (ShopStatus.FINALIZED, _SHOP),
}
SHOP_SIDE_OF = {action: side for (_, action), (_, side) in SHOP_TRANSITIONS.items()}


def take_shop_step(
    status: ShopStatus, action: ShopAction, side: ShopSide, needs_authorization: bool
) -> ShopStatus:
    """The status after the step. Where the customer requires its authorization, the shop only submits and
    the customer authorizes (the shop finalizing is 409); where it does not, the shop finalizes directly."""
    if SHOP_SIDE_OF[action] is not side:
        raise Forbidden(f"the {SHOP_SIDE_OF[action].value} {action.value}s an invoice")
    found = SHOP_TRANSITIONS.get((status, action))
    if found is None and status is ShopStatus.FINALIZED:
        raise Conflict("a finalized invoice does not change; a correction is a credit note", code="finalized")
    if found is None and action is ShopAction.CREDIT:
        raise Conflict("only a finalized invoice is credited; change this one instead", code="not_finalized")
    if found is None:
        raise Conflict(
            f"an invoice that is {status.value} cannot be {action.value}d", code="illegal_transition"
        )
    if action is ShopAction.FINALIZE and needs_authorization:
        raise Conflict(
            "this customer authorizes its invoices: submit it, the customer finalizes it",
            code="authorization_required",
        )
    if action is ShopAction.CREDIT:
        return found[0]
    if action in (ShopAction.SUBMIT, ShopAction.AUTHORIZE, ShopAction.DISPUTE) and not needs_authorization:
        raise Conflict("this customer does not authorize its invoices: finalize it", code="no_authorization")
    return found[0]
