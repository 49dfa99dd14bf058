"""Request and response models for booking requests."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from handoff.ids import ULID_PATTERN
from handoff.schema import ReadModel, WriteModel


class BookingAction(StrEnum):
    """The steps a caller may take (expiry is the timer's)."""

    DECLINE = "decline"
    SUGGEST = "suggest"
    ACCEPT = "accept"
    REJECT = "reject"
    CONFIRM = "confirm"
    CONFIRM_WITH_ESTIMATE = "confirm-with-estimate"


Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class BookingCreate(WriteModel):
    unit_id: Annotated[str, StringConstraints(pattern=ULID_PATTERN)]
    slot: datetime = Field(description="The date and time asked for, with its time zone")
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class BookingStep(WriteModel):
    slot: datetime | None = Field(default=None, description="suggest: the slot proposed")
    note: Note | None = Field(default=None, description="Shown to both sides; decline: the reason")


class BookingOut(ReadModel):
    booking_id: str
    customer_id: str
    unit_id: str
    description: str
    status: str = Field(
        description="requested, negotiating (a suggestion waits for an answer), confirmed, "
        "declined or expired"
    )
    slot: datetime
    pending_slot: datetime | None
    suggested_by: str | None
    estimate_id: str | None
    history: list[dict[str, Any]]
    version: int
    created_at: datetime
    updated_at: datetime


class BookingPage(ReadModel):
    items: list[BookingOut]
    next_cursor: str | None
