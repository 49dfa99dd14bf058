"""Request and response models of billing: partner invoices, a shop's invoices and credit notes, rate
cards."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from handoff.schema import ReadModel, TenantId, WriteModel

Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
InvoiceStatusName = Literal["draft", "sent", "approved", "disputed", "rejected"]


class DisputedLine(WriteModel):
    source_id: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        description="The line's `source_id` (the time entry or cost it bills)"
    )
    note: Note


class PartnerInvoiceStep(WriteModel):
    """send: an `adjustment_cents` (a discount below 0, an extra above) with its `note`, or none; dispute:
    `items` with a note per line; reject: a `note`; escalate (an approver below the total): an optional
    `note` for the approver above."""

    adjustment_cents: int | None = Field(default=None, ge=-100_000_000_000, le=100_000_000_000)
    note: Note | None = None
    items: list[DisputedLine] | None = Field(default=None, min_length=1, max_length=200)


class InvoiceLineOut(ReadModel):
    kind: Literal["labour", "cost"]
    source_id: str
    description: str
    quantity: str = Field(description="Hours (labour) or the cost's quantity")
    unit_cents: int = Field(description="The accepted hourly rate, or the unit cost (before the markup)")
    amount_cents: int
    work_date: str


class PartnerInvoiceOut(ReadModel):
    invoice_id: str
    owner_id: str
    servicer_id: str
    ticket_id: str
    title: str
    currency: str
    status: InvoiceStatusName
    number: str | None = Field(description="Given when it is first sent: per partner and series, no gaps")
    lines: list[InvoiceLineOut]
    computed_cents: int = Field(description="The work at the accepted terms")
    adjustment_cents: int
    adjustment_note: str | None
    total_cents: int
    not_to_exceed_cents: int | None
    over_nte: bool = Field(description="Over the not-to-exceed amount: never approved automatically")
    auto_approved: bool
    dispute: dict[str, object] | None
    endorsements: list[dict[str, object]] = Field(
        description="Approvers whose limit is below the total who passed it up (since it was last sent)"
    )
    history: list[dict[str, object]]
    version: int
    created_at: datetime
    updated_at: datetime


class PartnerInvoicePage(ReadModel):
    items: list[PartnerInvoiceOut]
    next_cursor: str | None


class InvoiceCreate(WriteModel):
    work_order_id: Annotated[str, StringConstraints(pattern=r"^[0-9A-HJKMNP-TV-Z]{26}$")] = Field(
        description="A work order waiting in ready_to_submit"
    )


class CreditLine(WriteModel):
    source_id: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        description="The invoice line's `source_id`"
    )
    amount_cents: int = Field(ge=1, le=100_000_000_000, description="How much of the line to credit")


class InvoiceStep(WriteModel):
    """dispute (the customer) and credit (the shop): a `note`, the reason; the other steps take an optional
    note. credit: `credit_lines`, how much of which lines (none: everything not credited yet)."""

    note: Note | None = None
    credit_lines: list[CreditLine] | None = Field(default=None, min_length=1, max_length=200)


class TaxOut(ReadModel):
    name: str
    rate_bp: int
    applies_to: list[str] = Field(description="The kinds of line it taxes")
    taxable_cents: int = Field(description="The lines of the kinds it applies to")
    amount_cents: int


class ShopLineOut(ReadModel):
    kind: Literal["labour", "part"]
    source_id: str
    description: str
    quantity: str = Field(description="Clocked hours (labour) or the approved quantity (part)")
    unit_cents: int = Field(description="The approved rate or unit price")
    amount_cents: int
    estimated_cents: int = Field(description="What the approved estimate priced this line at")
    differs_from_estimate: bool


class InvoiceOut(ReadModel):
    invoice_id: str
    kind: Literal["invoice", "credit_note"]
    credits_invoice_id: str | None = Field(description="A credit note: the finalized invoice it corrects")
    work_order_id: str
    customer_id: str
    unit_id: str
    ro_number: int | None
    currency: str
    status: Literal["draft", "submitted", "disputed", "revised", "finalized"]
    number: str | None = Field(description="Given at finalization: per shop and series, no gaps")
    needs_authorization: bool = Field(description="The customer authorizes (finalizes) it")
    lines: list[ShopLineOut]
    subtotal_cents: int
    tax_rate_bp: int | None = Field(description="The tenant's flat rate, where no shop rate card taxes it")
    taxes: list[TaxOut] = Field(description="Each tax rule: what it taxed and how much")
    tax_date: str | None = Field(description="Its tax point: the day whose shop rate card taxes it")
    tax_cents: int
    total_cents: int
    credited_cents: int = Field(description="An invoice: what its credit notes took off, taxes included")
    differs_from_estimate: bool
    dispute: dict[str, object] | None
    history: list[dict[str, object]]
    version: int
    created_at: datetime
    updated_at: datetime


class InvoicePage(ReadModel):
    items: list[InvoiceOut]
    next_cursor: str | None


# ---- rate cards ----------------------------------------------------------------------------------------


WorkType = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,39}$")]
RateCents = Annotated[int, Field(ge=0, le=10_000_000, description="An hourly rate, in minor units")]
RateName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
LineKind = Literal["labour", "part", "cost"]


def _every_kind() -> list[LineKind]:
    return ["labour", "part", "cost"]


class TaxRuleIn(WriteModel):
    name: RateName = Field(description="As the invoice shows it, e.g. VAT")
    rate_bp: int = Field(ge=0, le=10_000, description="In basis points (2000 = 20 %)")
    applies_to: list[LineKind] = Field(
        default_factory=_every_kind,
        min_length=1,
        max_length=3,
        description="The kinds of line it taxes",
    )


class RatesIn(WriteModel):
    """One version of the rates: what work done from `effective_from` (today or later; today by default)
    bills at."""

    effective_from: date | None = Field(default=None, description="Today or later; default today (UTC)")
    hourly_rate_cents: RateCents = Field(description="The standard labour rate per hour")
    rates: dict[WorkType, RateCents] = Field(
        default_factory=dict, max_length=20, description="Hourly rates of other work types (overtime, ...)"
    )
    markup_bp: int = Field(default=0, ge=0, le=10_000, description="Markup on costs, in basis points")
    default_nte_cents: int | None = Field(
        default=None, ge=1, le=100_000_000_000, description="A partner's card: each job's not-to-exceed"
    )
    tax_rules: list[TaxRuleIn] = Field(default_factory=list, max_length=5)
    note: Note | None = Field(default=None, description="Why the rates changed")


class RateCardCreate(RatesIn):
    """`shop`: the shop's own work (its invoices' taxes); `partner` with `servicer_id`: what a linked
    partner's work bills at when it is offered a ticket without terms of its own. One card per scope."""

    scope: Literal["shop", "partner"]
    servicer_id: TenantId | None = Field(default=None, description="partner: the linked partner instance")
    name: RateName
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(description="ISO 4217")

    @model_validator(mode="after")
    def _servicer_with_partner_scope(self) -> "RateCardCreate":
        if (self.scope == "partner") != (self.servicer_id is not None):
            raise ValueError("servicer_id names the partner of a partner's card, and only of one")
        return self


class RateVersionOut(ReadModel):
    number: int
    effective_from: str
    hourly_rate_cents: int
    rates: dict[str, int]
    markup_bp: int
    default_nte_cents: int | None
    tax_rules: list[dict[str, object]]
    note: str | None
    created_by: str
    created_at: datetime


class RateCardSummary(ReadModel):
    rate_card_id: str
    scope: Literal["shop", "partner"]
    servicer_id: str | None
    name: str
    currency: str
    latest_version: int = Field(description="The number of the version made last")
    latest_from: str = Field(description="The day the version made last takes effect")
    version: int


class RateCardOut(RateCardSummary):
    in_force: RateVersionOut | None = Field(description="The version in force on the day asked (today)")
    versions: list[RateVersionOut] = Field(description="The latest versions first (up to 20)")
    created_at: datetime
    updated_at: datetime


class RateCardPage(ReadModel):
    items: list[RateCardSummary]
    next_cursor: str | None
