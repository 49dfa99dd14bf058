"""Request and response models of the tickets context, including the signed updates partner systems post."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field, StringConstraints, model_validator

from handoff.ids import ULID_PATTERN
from handoff.schema import PartOut, PatchModel, TenantId, WriteModel
from handoff.tickets.domain import TicketStatus

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
NoteText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Id = Annotated[str, StringConstraints(pattern=ULID_PATTERN)]
Minutes = Annotated[int, Field(ge=1, le=24 * 60, description="Minutes worked, at most a day per entry")]


Priority = Literal["low", "normal", "high", "urgent"]


class TermsIn(WriteModel):
    hourly_rate_cents: int = Field(ge=0, le=10_000_000, description="The partner's labour rate per hour")
    currency: Currency = Field(description="ISO 4217, e.g. EUR")


class TicketCreate(WriteModel):
    title: Title
    description: Description | None = None
    location_id: Id | None = Field(default=None, description="Where the work is done")
    priority: Priority = "normal"
    due_date: date | None = None


class TicketPatch(PatchModel):
    """Title, description, priority, due date and location; `null` clears the description, the due date or
    the location."""

    clearable: ClassVar[frozenset[str]] = frozenset({"description", "due_date", "location_id"})

    title: Title | None = None
    description: Description | None = None
    priority: Priority | None = None
    due_date: date | None = None
    location_id: Id | None = Field(default=None, description="Where the work is done")


class AssignIn(WriteModel):
    """A member of this tenant (`assignee_id`), or a linked partner company (`servicer_id` with `terms`:
    the ticket is outsourced to it, as the outsource step does)."""

    assignee_id: Id | None = Field(
        default=None, description="A technician, dispatcher or partner-role member"
    )
    servicer_id: TenantId | None = Field(default=None, description="A linked partner instance")
    terms: TermsIn | None = Field(default=None, description="With servicer_id: the rates its work bills at")
    note: NoteText | None = None

    @model_validator(mode="after")
    def _one_assignee(self) -> AssignIn:
        if (self.assignee_id is None) == (self.servicer_id is None):
            raise ValueError("name exactly one of assignee_id (a member) or servicer_id (a partner company)")
        if self.terms is not None and self.servicer_id is None:
            raise ValueError("terms go with servicer_id")
        return self


class ClockOn(WriteModel):
    technician_id: Id | None = Field(
        default=None, description="A dispatcher clocks a technician on; absent: the caller clocks on"
    )
    work_order_id: Id | None = Field(
        default=None,
        description="Add this work required to an open work order of the same unit; absent: the work's "
        "own work order, or a new one",
    )


class ClockOff(WriteModel):
    technician_id: Id | None = Field(
        default=None, description="A dispatcher clocks a technician off; absent: the caller clocks off"
    )


def _in_utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


# Any offset is taken and kept in UTC: entries are ordered (and checked for overlap) on one clock.
UtcDatetime = Annotated[AwareDatetime, AfterValidator(_in_utc)]


class TimeEntryCorrection(WriteModel):
    started_at: UtcDatetime | None = None
    stopped_at: UtcDatetime | None = None
    reason: NoteText = Field(description="Why the clocked time was wrong (kept in the entry's audit trail)")

    @model_validator(mode="after")
    def _changes_something(self) -> TimeEntryCorrection:
        if self.started_at is None and self.stopped_at is None:
            raise ValueError("name started_at, stopped_at or both")
        return self


class TicketStep(WriteModel):
    servicer_id: TenantId | None = Field(default=None, description="outsource: the linked partner instance")
    terms: TermsIn | None = Field(
        default=None, description="outsource: the rates the partner's work bills at"
    )
    note: NoteText | None = Field(
        default=None, description="Shown to both sides; decline, withdraw, cancel and reopen: the reason"
    )


class TimeEntryCreate(WriteModel):
    minutes: Minutes
    work_date: date = Field(description="The day the work was done")
    note: NoteText | None = None


class NoteCreate(WriteModel):
    text: NoteText
    internal: bool = Field(
        default=False, description="Owner staff only: kept from the partner the ticket is outsourced to"
    )


class TermsOut(BaseModel):
    hourly_rate_cents: int
    currency: str


class WorkOrderLineOut(BaseModel):
    work_id: str
    estimate_id: str
    estimate_version: int
    line_id: str
    description: str
    labour_code: str | None
    hours: Decimal = Field(description="The approved estimate's hours")
    parts: list[PartOut]
    estimated_minutes: int
    clocked_minutes: int = Field(description="Clocked by technicians (staff only)")
    variance_minutes: int = Field(description="Clocked minus estimated: over (positive) or under")


class ClockedOnOut(BaseModel):
    technician_id: str
    entry_id: str
    work_id: str
    started_at: datetime


class TicketOut(BaseModel):
    ticket_id: str
    owner_id: str
    kind: str = Field(description="ticket, or work_order (a repair order of approved labour)")
    title: str
    description: str | None
    location_id: str | None
    priority: str
    due_date: date | None
    assignee_id: str | None = Field(description="The member it is assigned to")
    status: str = Field(
        description="open, offered (waiting for the partner), accepted, in_progress, on_hold, completed, "
        "ready_to_submit (a work order whose unit is ready), closed or cancelled"
    )
    ro_number: int | None = Field(description="A work order's repair order number")
    unit_id: str | None
    customer_id: str | None
    estimate_id: str | None
    estimate_version: int | None
    lines: list[WorkOrderLineOut] | None = Field(description="A work order's approved labour lines")
    clocked_on: list[ClockedOnOut] = Field(description="Technicians clocked on to it now")
    servicer_id: str | None = Field(description="The partner the ticket is outsourced to")
    terms: TermsOut | None
    logged_minutes: int = Field(description="Time the current assignee logged")
    billable_cents: int = Field(description="That time at the accepted rate")
    history: list[dict[str, object]] = Field(
        description="The latest steps (up to 20); the whole trail is in the ticket's activity"
    )
    version: int
    created_at: datetime
    updated_at: datetime


class TicketPage(BaseModel):
    items: list[TicketOut]
    next_cursor: str | None


class ActivityOut(BaseModel):
    entry_id: str
    kind: Literal["step", "time", "note", "clock"]
    by: str
    company_id: str = Field(description="The instance whose user or system made the entry")
    minutes: int | None = None
    work_date: date | None = None
    amount_cents: int | None = None
    text: str | None = Field(default=None, description="A note's text, a time entry's or a step's note")
    internal: bool = False
    step: str | None = Field(default=None, description="A step entry: create, outsource, accept, ...")
    technician_id: str | None = Field(default=None, description="A clocked entry: whose time it is")
    work_id: str | None = None
    started_at: datetime | None = None
    stopped_at: datetime | None = None
    corrections: list[dict[str, object]] | None = None
    created_at: datetime


class ActivityPage(BaseModel):
    items: list[ActivityOut]
    next_cursor: str | None


class PartnerUpdate(WriteModel):
    """A partner system's update of one ticket outsourced to it, signed like our webhooks."""

    partner_id: TenantId = Field(description="The partner instance whose system signs this update")
    ticket_id: Id
    status: TicketStatus | None = Field(default=None, description="The status the partner's work is in now")
    reason: NoteText | None = Field(
        default=None, description="Why, when the status declines the ticket (back to open)"
    )
    time_entries: list[TimeEntryCreate] = Field(default_factory=list, max_length=20)
    notes: list[NoteText] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _says_something(self) -> PartnerUpdate:
        if self.status is None and not self.time_entries and not self.notes:
            raise ValueError("name a status, time entries or notes")
        return self


class PartnerUpdateOut(BaseModel):
    ticket_id: str
    status: str
    version: int
    applied: list[str] = Field(description="What the update changed, in order")


class InboundSecret(BaseModel):
    servicer_id: str
    secret: str = Field(description="whsec_…: shown once; the partner's system signs its updates with it")
    previous_secret_expires_at: datetime | None


class RotateInboundSecret(WriteModel):
    overlap_seconds: int = Field(
        default=86_400, ge=0, le=7 * 86_400, description="How long the previous secret still verifies"
    )


class WorkRequiredOut(BaseModel):
    work_id: str
    estimate_id: str
    estimate_version: int
    line_id: str
    unit_id: str
    customer_id: str
    description: str
    hours: Decimal
    labour_code: str | None
    parts: list[PartOut]
    status: str = Field(description="open, or in_progress on a work order")
    work_order_id: str | None
    created_at: datetime


class WorkRequiredPage(BaseModel):
    items: list[WorkRequiredOut]
    next_cursor: str | None


class WorkOrderStatusLine(BaseModel):
    description: str
    labour_code: str | None


class WorkOrderStatus(BaseModel):
    """What the customer's portal users see of a work order: where it stands, not who worked how long."""

    ticket_id: str
    ro_number: int
    unit_id: str
    status: str
    lines: list[WorkOrderStatusLine]
    created_at: datetime
    updated_at: datetime


class WorkOrderStatusPage(BaseModel):
    items: list[WorkOrderStatus]
    next_cursor: str | None
