"""Request and response models of billing: partner invoices."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from handoff.schema import WriteModel

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


class InvoiceLineOut(BaseModel):
    kind: Literal["labour", "cost"]
    source_id: str
    description: str
    quantity: str = Field(description="Hours (labour) or the cost's quantity")
    unit_cents: int = Field(description="The accepted hourly rate, or the unit cost (before the markup)")
    amount_cents: int
    work_date: str


class PartnerInvoiceOut(BaseModel):
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


class PartnerInvoicePage(BaseModel):
    items: list[PartnerInvoiceOut]
    next_cursor: str | None
