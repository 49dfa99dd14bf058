"""Request and response models for estimates. Totals are only ever outputs."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from handoff.estimates.domain import MAX_LABOUR_LINES, MAX_PARTS_PER_LINE
from handoff.ids import ULID_PATTERN
from handoff.schema import PartOut, PatchModel, ReadModel, WriteModel

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Id = Annotated[str, StringConstraints(pattern=ULID_PATTERN)]
Money = Annotated[int, Field(ge=0, le=10**10, description="Minor units of the estimate's currency")]


class EstimateAction(StrEnum):
    """What a caller may do to an estimate (expiry is the deadline's)."""

    SUBMIT = "submit"
    APPROVE = "approve"
    DECLINE = "decline"
    DISPUTE = "dispute"
    ACKNOWLEDGE_DISPUTE = "acknowledge-dispute"
    RESUBMIT = "resubmit"
    REVISE = "revise"
    NOTE = "note"


def _plain(places: str) -> Any:
    """Decimals kept in one form (1.5 and 1.50 are the same hours, 1E+2 is 100.00), so versions compare."""
    return lambda value: value.quantize(Decimal(places))


Hours = Annotated[
    Decimal,
    Field(gt=0, le=1000, max_digits=6, decimal_places=2, allow_inf_nan=False),
    AfterValidator(_plain("0.01")),
]
Quantity = Annotated[
    Decimal,
    Field(gt=0, le=100_000, max_digits=9, decimal_places=3, allow_inf_nan=False),
    AfterValidator(_plain("0.001")),
]


class PartIn(WriteModel):
    part_id: Id | None = Field(
        default=None, description="Keep an existing part's id so versions diff by part"
    )
    part_number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    description: Text
    quantity: Quantity
    unit_price: Money


class LabourLineIn(WriteModel):
    line_id: Id | None = Field(
        default=None, description="Keep an existing line's id so versions diff by line"
    )
    description: Text
    hours: Hours
    hourly_rate: Money | None = Field(
        default=None,
        description="None: the shop's rate card's rate for `work_type` (its standard rate without one), in "
        "force today, in the estimate's currency",
    )
    work_type: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,39}$")] | None = Field(
        default=None, description="A kind of work with its own rate on the shop's rate card"
    )
    labour_code: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)] | None
    ) = None
    parts: list[PartIn] = Field(
        default=[], max_length=MAX_PARTS_PER_LINE, description="Parts under this line"
    )


class EstimateCreate(WriteModel):
    unit_id: Id
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(
        description="ISO 4217, e.g. EUR"
    )
    labour_lines: list[LabourLineIn] = Field(max_length=MAX_LABOUR_LINES)


class EstimatePatch(PatchModel):
    """A draft's (or a disputed estimate's) lines, replaced as a whole."""

    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    labour_lines: list[LabourLineIn] | None = Field(default=None, max_length=MAX_LABOUR_LINES)


class DisputedItem(WriteModel):
    line_id: Id | None = None
    part_id: Id | None = None
    side: Literal["labour", "parts"] | None = Field(
        default=None, description="The whole labour or parts side"
    )
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]

    @model_validator(mode="after")
    def _names_one_thing(self) -> "DisputedItem":
        if sum(x is not None for x in (self.line_id, self.part_id, self.side)) != 1:
            raise ValueError("name exactly one of line_id, part_id or side")
        return self


class EstimateStep(WriteModel):
    note: Note | None = Field(default=None, description="Shown to both sides; decline: the reason")
    line_ids: list[Id] | None = Field(
        default=None,
        max_length=MAX_LABOUR_LINES,
        description="approve: only these labour lines (default: all)",
    )
    items: list[DisputedItem] = Field(default=[], max_length=30, description="dispute: what and why")


class LabourLineOut(ReadModel):
    line_id: str
    description: str
    hours: Decimal
    hourly_rate: int
    work_type: str | None = None
    labour_code: str | None
    total: int
    parts: list[PartOut]


class TotalsOut(ReadModel):
    labour: int
    parts: int
    subtotal: int
    tax_rate_bp: int
    tax: int
    grand_total: int


class EstimateOut(ReadModel):
    estimate_id: str
    customer_id: str
    unit_id: str
    booking_id: str | None
    status: str = Field(description="draft, awaiting_customer, disputed, approved, declined or expired")
    currency: str
    labour_lines: list[LabourLineOut]
    totals: TotalsOut
    submitted_version: int = Field(description="The newest frozen version (0: never submitted)")
    approved_version: int | None
    approved_line_ids: list[str] | None
    dispute: dict[str, Any] | None
    version: int = Field(description="The object's version, for If-Match")
    created_at: datetime
    updated_at: datetime


class EstimatePage(ReadModel):
    items: list[EstimateOut]
    next_cursor: str | None


class EstimateSummary(ReadModel):
    estimate_id: str
    status: str
    submitted_version: int
    updated_at: datetime


class EstimateSummaryPage(ReadModel):
    items: list[EstimateSummary]
    next_cursor: str | None


class VersionOut(ReadModel):
    estimate_id: str
    version: int
    currency: str
    labour_lines: list[LabourLineOut]
    totals: TotalsOut
    submitted_at: datetime
    submitted_by: str


class VersionPage(ReadModel):
    items: list[VersionOut]
    next_cursor: str | None


class DiffOut(ReadModel):
    estimate_id: str
    version: int
    against: int
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[dict[str, Any]]
    total_deltas: dict[str, int]


class HistoryOut(ReadModel):
    estimate_id: str
    entries: list[dict[str, Any]] = Field(
        description="Every submission, dispute, acknowledgement, adjustment, "
        "decision and expiry: who, when, what"
    )
