"""Requests to raise the not-to-exceed amount."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from handoff.schema import ReadModel, WriteModel
from handoff.tickets.schemas import NoteText

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
