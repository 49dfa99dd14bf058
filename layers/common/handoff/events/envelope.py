"""The event envelope, version 1 (documented in docs/events.md).

Every committed transition yields exactly one event: written to the outbox in the same transaction as the
change, and published to the EventBridge bus by the Streams-driven publisher. Consumers dedupe on `id`.
"""

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from handoff.events.catalog import EVENT_TYPES
from handoff.ids import new_id, utc_now
from handoff.schema import ReadModel

ENVELOPE_VERSION = "1"


class Actor(ReadModel):
    """Who caused the change, so a linked system can ignore its own changes (no sync loops)."""

    kind: Literal["user", "partner_system", "system"]
    id: str
    tenant_id: str | None = None


class EntityRef(ReadModel):
    type: str
    id: str


class Envelope(ReadModel):
    id: str = Field(description="Event id (ULID); consumers dedupe on it")
    envelope_version: str = ENVELOPE_VERSION
    source: str = Field(description="handoff.<context>, e.g. handoff.accounts")
    type: str = Field(description="PascalCase past tense, e.g. MemberAdded")
    tenant_id: str
    entity: EntityRef
    version: int = Field(description="The entity's version after the change")
    actor: Actor
    occurred_at: datetime
    data: dict[str, Any] = {}
    shared_with: list[str] = Field(
        default=[],
        description="Other instances the change concerns (the partner a ticket is outsourced to): their "
        "webhook subscriptions receive it too",
    )


def new_event(
    *,
    source: str,
    type: str,
    tenant_id: str,
    entity_type: str,
    entity_id: str,
    version: int,
    actor: Actor,
    data: dict[str, Any] | None = None,
    shared_with: list[str] | None = None,
) -> Envelope:
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type!r}: list it in handoff.events.catalog and docs/events.md")
    return Envelope(
        id=new_id(),
        source=source,
        type=type,
        tenant_id=tenant_id,
        entity=EntityRef(type=entity_type, id=entity_id),
        version=version,
        actor=actor,
        occurred_at=utc_now(),
        data=data or {},
        shared_with=shared_with or [],
    )


def user_actor(user_id: str, tenant_id: str | None = None) -> Actor:
    return Actor(kind="user", id=user_id, tenant_id=tenant_id)
