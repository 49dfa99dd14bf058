"""Offers made to partners and their rounds."""

from datetime import datetime
from typing import Annotated

from pydantic import Field

from handoff.schema import ReadModel, TenantId, WriteModel
from handoff.tickets.domain import OfferStatus
from handoff.tickets.schemas import NoteText, TermsOut
from handoff.tickets.terms import TermsIn

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
