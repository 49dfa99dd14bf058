"""A ticket's costs."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from handoff.schema import ReadModel, WriteModel
from handoff.tickets.schemas import Id, Title

# ---- costs and attachments ---------------------------------------------------------------------------------

Quantity = Annotated[Decimal, Field(gt=0, le=100_000, max_digits=9, decimal_places=3)]


class CostCreate(WriteModel):
    category: Literal["materials", "travel", "other"]
    description: Title
    quantity: Quantity
    unit_cost_cents: int = Field(ge=0, le=100_000_000, description="What one unit cost, in minor units")
    work_date: date = Field(description="The day of the cost")
    receipt_id: Id | None = Field(
        default=None, description="An attachment of this ticket (purpose receipt) that proves it"
    )


class CostOut(ReadModel):
    cost_id: str
    ticket_id: str
    category: str
    description: str
    quantity: Decimal
    unit_cost_cents: int
    cost_cents: int = Field(description="Quantity times unit cost")
    billed_cents: int = Field(description="With the accepted markup (in house: nothing is billed)")
    currency: str | None
    work_date: date
    receipt_id: str | None
    by: str
    company_id: str
    created_at: datetime


class CostPage(ReadModel):
    items: list[CostOut]
    next_cursor: str | None
