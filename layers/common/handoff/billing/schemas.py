"""Request and response models of billing: partner invoices."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from handoff.schema import ReadModel, WriteModel

Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
InvoiceStatusName = Literal["draft", "sent", "approved", "disputed", "rejected"]


class DisputedLine(WriteModel):
    source_id: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        description="The line's `source_id` (the time entry or cost it bills)"
    )
    note: Note


class PartnerInvoiceStep(WriteModel):
    """send: an `adjustment_cents` (a discount below 0, an extra above) with its `note`, or none; dispute:
    `items` with a note per line; reject: a `note`."""

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


class InvoiceStep(WriteModel):
    """dispute (the customer): a `note`; the other steps take an optional note."""

    note: Note | None = None


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
    tax_rate_bp: int
    tax_cents: int
    total_cents: int
    differs_from_estimate: bool
    dispute: dict[str, object] | None
    history: list[dict[str, object]]
    version: int
    created_at: datetime
    updated_at: datetime


class InvoicePage(ReadModel):
    items: list[InvoiceOut]
    next_cursor: str | None
