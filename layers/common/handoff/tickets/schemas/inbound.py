"""The signed updates partner systems post, and the secret they sign with."""

from datetime import datetime

from pydantic import Field, model_validator

from handoff.schema import ReadModel, TenantId, WriteModel
from handoff.tickets.domain import TicketStatus
from handoff.tickets.schemas import Id, NoteText, TimeEntryCreate


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
