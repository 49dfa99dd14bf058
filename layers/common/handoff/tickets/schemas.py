"""Request and response models of the tickets context, including the signed updates partner systems post."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, AwareDatetime, Field, StringConstraints, model_validator

from handoff.ids import ULID_PATTERN
from handoff.schema import PartOut, PatchModel, ReadModel, TenantId, WriteModel
from handoff.tickets.domain import OfferStatus, TicketStatus
from handoff.tickets.terms import TermsIn, WorkType

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
NoteText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Id = Annotated[str, StringConstraints(pattern=ULID_PATTERN)]
Minutes = Annotated[int, Field(ge=1, le=24 * 60, description="Minutes worked, at most a day per entry")]


Priority = Literal["low", "normal", "high", "urgent"]


class TicketCreate(WriteModel):
    """`team_id` routes it: someone of the team's first layer takes it (see the team)."""

    title: Title
    description: Description | None = None
    location_id: Id | None = Field(default=None, description="Where the work is done")
    priority: Priority = "normal"
    due_date: date | None = None
    customer_id: Id | None = Field(default=None, description="The customer the work is for")
    team_id: Id | None = Field(default=None, description="The team that works it: routing picks the assignee")


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
    """A member of this tenant (`assignee_id`), a linked partner company (`servicer_id` with `terms`: the
    ticket is outsourced to it, as the outsource step does), or a team (`team_id`: routing picks someone of
    its first layer)."""

    assignee_id: Id | None = Field(
        default=None, description="A technician, dispatcher or partner-role member"
    )
    servicer_id: TenantId | None = Field(default=None, description="A linked partner instance")
    terms: TermsIn | None = Field(default=None, description="With servicer_id: the rates its work bills at")
    team_id: Id | None = Field(default=None, description="A team: routing picks the assignee")
    note: NoteText | None = None

    @model_validator(mode="after")
    def _one_assignee(self) -> "AssignIn":
        if sum(x is not None for x in (self.assignee_id, self.servicer_id, self.team_id)) != 1:
            raise ValueError(
                "name exactly one of assignee_id (a member), servicer_id (a partner company) or team_id"
            )
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
    def _changes_something(self) -> "TimeEntryCorrection":
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
    work_type: WorkType | None = Field(
        default=None, description="Bills at the accepted terms' rate of this work type; absent: standard"
    )
    note: NoteText | None = None


class NoteCreate(WriteModel):
    text: NoteText
    internal: bool = Field(
        default=False, description="Owner staff only: kept from the partner the ticket is outsourced to"
    )


class RateStepOut(ReadModel):
    effective_from: str
    hourly_rate_cents: int
    rates: dict[str, int]
    markup_bp: int


class TermsOut(ReadModel):
    hourly_rate_cents: int
    rates: dict[str, int]
    markup_bp: int
    not_to_exceed_cents: int | None
    currency: str
    conditions: str | None
    rate_card_id: str | None = Field(default=None, description="Offered from the owner's rate card")
    schedule: list[RateStepOut] = Field(
        default_factory=list,
        description="Rate changes these terms schedule: the work done from each step's day bills at it",
    )


class WorkOrderLineOut(ReadModel):
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


class ClockedOnOut(ReadModel):
    technician_id: str
    entry_id: str
    work_id: str
    started_at: datetime


class TicketOut(ReadModel):
    ticket_id: str
    owner_id: str
    kind: str = Field(description="ticket, or work_order (a repair order of approved labour)")
    title: str
    description: str | None
    location_id: str | None
    priority: str
    due_date: date | None
    assignee_id: str | None = Field(
        description="The member it is assigned to (a partner sees the member of its own it assigned it to)"
    )
    team_id: str | None = Field(default=None, description="The team it is routed in (the owner's side)")
    not_to_exceed_cents: int | None = Field(
        default=None, description="The most the work may bill: the accepted terms', or as the owner raised it"
    )
    routing_layer: int | None = Field(default=None, description="The team's escalation layer holding it")
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
    offer_id: str | None = Field(description="The offer of the current outsourcing")
    terms: TermsOut | None = Field(
        description="While offered, the terms on the table (the latest round); then the terms accepted"
    )
    logged_minutes: int = Field(description="Time the current assignee logged")
    labour_cents: int = Field(description="That time at the accepted rates")
    cost_cents: int = Field(description="The costs it logged, as they cost")
    billable_cents: int = Field(description="Labour, and the costs with the accepted markup")
    history: list[dict[str, object]] = Field(
        description="The latest steps (up to 20); the whole trail is in the ticket's activity"
    )
    version: int
    created_at: datetime
    updated_at: datetime


class TicketPage(ReadModel):
    items: list[TicketOut]
    next_cursor: str | None


class RoutingOut(ReadModel):
    """A RoutingDecision: the team, the layer that took the request, who (a member or the preferred vendor),
    and why; `skipped`: earlier layers with no one to take it."""

    team_id: str
    round: int
    via: Literal["partner_user", "technician", "vendor", "nobody"]
    layer: int
    assignee_id: str | None
    servicer_id: str | None
    reason: str
    skipped: list[int]
    response_minutes: int | None
    trigger: Literal["created", "assigned", "escalated", "deadline"]


class ActivityOut(ReadModel):
    entry_id: str
    kind: Literal["step", "time", "note", "clock", "offer", "cost", "attachment", "routing"]
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
    work_type: str | None = None
    offer_id: str | None = Field(default=None, description="An offer entry: the offer it answers")
    cost_id: str | None = None
    attachment_id: str | None = None
    routing: RoutingOut | None = Field(default=None, description="A routing entry: who took it, and why")
    over_nte: bool = Field(default=False, description="Time or a cost that left the total over the NTE")
    created_at: datetime


class ActivityPage(ReadModel):
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
    def _says_something(self) -> "PartnerUpdate":
        if self.status is None and not self.time_entries and not self.notes:
            raise ValueError("name a status, time entries or notes")
        return self


class PartnerUpdateOut(ReadModel):
    ticket_id: str
    status: str
    version: int
    applied: list[str] = Field(description="What the update changed, in order")


class InboundSecret(ReadModel):
    servicer_id: str
    secret: str = Field(description="whsec_…: shown once; the partner's system signs its updates with it")
    previous_secret_expires_at: datetime | None


class RotateInboundSecret(WriteModel):
    overlap_seconds: int = Field(
        default=86_400, ge=0, le=7 * 86_400, description="How long the previous secret still verifies"
    )


class WorkRequiredOut(ReadModel):
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


class WorkRequiredPage(ReadModel):
    items: list[WorkRequiredOut]
    next_cursor: str | None


class WorkOrderStatusLine(ReadModel):
    description: str
    labour_code: str | None


class WorkOrderStatus(ReadModel):
    """What the customer's portal users see of a work order: where it stands, not who worked how long."""

    ticket_id: str
    ro_number: int
    unit_id: str
    status: str
    lines: list[WorkOrderStatusLine]
    created_at: datetime
    updated_at: datetime


class WorkOrderStatusPage(ReadModel):
    items: list[WorkOrderStatus]
    next_cursor: str | None


# ---- offers ------------------------------------------------------------------------------------------------

WindowHours = Annotated[
    int, Field(ge=1, le=720, description="How long each round waits for its answer; absent: the tenant's")
]


class OfferCreate(WriteModel):
    """Offer the ticket to a linked partner company at these terms (none: at your rate card for it)."""

    servicer_id: TenantId = Field(description="A linked partner instance")
    terms: TermsIn | None = Field(
        default=None,
        description="None: your rate card for this partner (its version in force today, its default "
        "not-to-exceed); then each entry bills at the card's version in force on its work date",
    )
    window_hours: WindowHours | None = None
    note: NoteText | None = None


class OfferAnswer(WriteModel):
    terms: TermsIn | None = Field(default=None, description="counter: the terms proposed instead")
    note: NoteText | None = Field(default=None, description="decline and reject: the reason")


class OfferRoundOut(ReadModel):
    round: int
    side: str = Field(description="owner or partner: who proposed these terms")
    by: str
    at: datetime
    terms: TermsOut
    note: str | None


class OfferOut(ReadModel):
    offer_id: str
    ticket_id: str
    owner_id: str
    servicer_id: str
    title: str
    status: OfferStatus
    turn: str | None = Field(description="While pending: whose answer the latest terms wait for")
    terms: TermsOut = Field(description="The latest terms: accepted, when the offer is accepted")
    rounds: list[OfferRoundOut] = Field(description="Every round, oldest first")
    window_hours: int
    expires_at: datetime | None = Field(description="While pending: when the latest round expires")
    answer: dict[str, object] | None = Field(description="How it ended: action, side, by, at, note")
    version: int
    created_at: datetime
    updated_at: datetime


class OfferPage(ReadModel):
    items: list[OfferOut]
    next_cursor: str | None


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


class AttachmentCreate(WriteModel):
    """Announce a file: the answer carries a presigned upload limited to this type and size."""

    filename: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^/\\\x00-\x1f]+$"),
    ]
    content_type: Literal["image/jpeg", "image/png", "image/webp", "application/pdf"]
    size_bytes: int = Field(ge=1, le=10 * 1024 * 1024, description="At most 10 MiB")
    purpose: Literal["photo", "document", "receipt"] = "photo"
    cost_id: Id | None = Field(default=None, description="A cost line of this ticket it belongs to")
    internal: bool = Field(default=False, description="Kept with your own company")


class AttachmentOut(ReadModel):
    attachment_id: str
    ticket_id: str
    filename: str
    content_type: str
    size_bytes: int
    purpose: str
    cost_id: str | None
    internal: bool
    status: Literal["awaiting_upload", "available", "rejected"]
    rejection: str | None
    by: str
    company_id: str
    download_url: str | None = Field(
        default=None, description="Available ones, read one at a time: a presigned URL valid for minutes"
    )
    created_at: datetime
    updated_at: datetime


class UploadOut(ReadModel):
    url: str
    fields: dict[str, str] = Field(description="Post them with the file (last) as multipart/form-data")
    expires_at: datetime


class AttachmentAnnounced(ReadModel):
    attachment: AttachmentOut
    upload: UploadOut


class AttachmentPage(ReadModel):
    items: list[AttachmentOut]
    next_cursor: str | None


# ---- reports -----------------------------------------------------------------------------------------------


class AmountOut(ReadModel):
    currency: str
    labour_cents: int
    cost_cents: int
    billable_cents: int = Field(description="Labour, and costs with the accepted markup")


class StatusSum(ReadModel):
    status: str
    tickets: int
    hours: Decimal
    amounts: list[AmountOut]


class PartnerSum(ReadModel):
    partner: str = Field(description="A partner instance, or in_house")
    tickets: int
    hours: Decimal
    amounts: list[AmountOut]


class TotalSum(ReadModel):
    tickets: int
    hours: Decimal
    amounts: list[AmountOut]


class SummaryReport(ReadModel):
    """The tickets created in the period (UTC days), where they stand now: how many, their logged hours and
    what they bill, by status and by partner."""

    period_from: date
    period_to: date
    partner: str | None = Field(description="A partner's report (its own work only), or all of the owner's")
    by_status: list[StatusSum]
    by_partner: list[PartnerSum]
    total: TotalSum


class OldestOut(ReadModel):
    ticket_id: str
    title: str
    age_days: Decimal


class StatusLine(ReadModel):
    status: str
    tickets: int
    average_age_days: Decimal | None
    oldest: OldestOut | None


class StatusReport(ReadModel):
    """How many tickets are in each status now, their average age and the oldest one."""

    as_of: datetime
    partner: str | None
    statuses: list[StatusLine]


class EscalateIn(WriteModel):
    note: NoteText | None = None


Cents = Annotated[int, Field(ge=1, le=100_000_000_000)]


class NteRequestCreate(WriteModel):
    """The partner asks the owner to raise the not-to-exceed amount to `requested_cents` (the new total)."""

    requested_cents: Cents
    reason: NoteText


class NteAnswer(WriteModel):
    note: NoteText | None = Field(default=None, description="Required to reject")


class NteRequestOut(ReadModel):
    request_id: str
    ticket_id: str
    servicer_id: str
    current_cents: int = Field(description="The not-to-exceed amount when asked")
    requested_cents: int
    reason: str
    status: Literal["pending", "approved", "rejected"]
    answer: dict[str, object] | None
    version: int
    created_at: datetime
    updated_at: datetime


class NteRequestPage(ReadModel):
    items: list[NteRequestOut]
    next_cursor: str | None
