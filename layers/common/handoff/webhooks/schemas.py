"""Request and response models of the webhooks context."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from handoff.events.catalog import is_known
from handoff.schema import PatchModel, ReadModel, WriteModel


def _known(event_type: str) -> str:
    if not is_known(event_type):
        raise ValueError(f"'{event_type}' is not an event type Handoff sends (see docs/events.md), nor *")
    return event_type


EventType = Annotated[str, StringConstraints(pattern=r"^(\*|[A-Z][A-Za-z]{2,63})$"), AfterValidator(_known)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=2048)]
EventTypes = Annotated[
    list[EventType], Field(min_length=1, max_length=50, description='Event types, or ["*"]')
]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class SubscriptionCreate(WriteModel):
    url: Url
    event_types: EventTypes
    description: Description | None = None
    enabled: bool = True


class SubscriptionPatch(PatchModel):
    clearable = frozenset({"description"})

    url: Url | None = None
    event_types: EventTypes | None = None
    description: Description | None = None
    enabled: bool | None = None


class SubscriptionOut(ReadModel):
    subscription_id: str
    url: str
    event_types: list[str]
    description: str | None
    enabled: bool
    disabled_reason: str | None
    previous_secret_expires_at: datetime | None = Field(
        description="While a rotation overlaps, deliveries carry both signatures until then"
    )
    version: int
    created_at: datetime
    updated_at: datetime


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="The signing secret (whsec_…). Shown once: store it now.")


class SubscriptionPage(ReadModel):
    items: list[SubscriptionOut]
    next_cursor: str | None


class RotateSecret(WriteModel):
    overlap_seconds: int = Field(
        default=86400, ge=0, le=7 * 86400, description="How long the old secret keeps signing (0: revoke now)"
    )


class SecretRotated(ReadModel):
    subscription_id: str
    secret: str = Field(description="The new signing secret. Shown once.")
    previous_secret_expires_at: datetime | None


class DeliveryOut(ReadModel):
    delivery_id: str
    event_id: str
    event_type: str
    status: str = Field(description="pending, retrying, succeeded, failed, gone or skipped")
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    updated_at: datetime


class DeliveryPage(ReadModel):
    items: list[DeliveryOut]
    next_cursor: str | None


class Redelivery(ReadModel):
    delivery_id: str
    status: str
