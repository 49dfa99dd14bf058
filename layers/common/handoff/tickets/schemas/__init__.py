"""Request and response models of the tickets context: a ticket, its activity and its steps here (what every
route of the context answers with); the models of one kind of resource in a module of their own, loaded by
the routes of that kind (ADR 0029)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints, model_validator

from handoff.ids import ULID_PATTERN
from handoff.schema import PartOut, PatchModel, ReadModel, TenantId, WriteModel
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


class EscalateIn(WriteModel):
    note: NoteText | None = None
