"""Request and response models of the tickets context, including the signed updates partner systems post."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from handoff.ids import ULID_PATTERN
from handoff.links.schemas import TenantId
from handoff.schema import WriteModel
from handoff.tickets.domain import TicketStatus

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
NoteText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Id = Annotated[str, StringConstraints(pattern=ULID_PATTERN)]
Minutes = Annotated[int, Field(ge=1, le=24 * 60, description="Minutes worked, at most a day per entry")]


class TicketCreate(WriteModel):
    title: Title
    description: Description | None = None
    location_id: Id | None = Field(default=None, description="Where the work is done")


class TermsIn(WriteModel):
    hourly_rate_cents: int = Field(ge=0, le=10_000_000, description="The partner's labour rate per hour")
    currency: Currency = Field(description="ISO 4217, e.g. EUR")


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


class TicketOut(BaseModel):
    ticket_id: str
    owner_id: str
    title: str
    description: str | None
    location_id: str | None
    status: str = Field(
        description="open, offered (waiting for the partner), accepted, in_progress, on_hold, completed, "
        "closed or cancelled"
    )
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
    kind: Literal["step", "time", "note"]
    by: str
    company_id: str = Field(description="The instance whose user or system made the entry")
    minutes: int | None = None
    work_date: date | None = None
    amount_cents: int | None = None
    text: str | None = Field(default=None, description="A note's text, a time entry's or a step's note")
    internal: bool = False
    step: str | None = Field(default=None, description="A step entry: create, outsource, accept, ...")
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
