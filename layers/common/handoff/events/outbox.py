"""The transactional outbox: an event item written in the same TransactWriteItems as the change it reports."""

from __future__ import annotations

from datetime import timedelta

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute

from handoff import keys
from handoff.events.envelope import Envelope
from handoff.store.table import Item

# The stream delivers the insert within seconds; the item only has to outlive retries and investigations.
OUTBOX_RETENTION = timedelta(days=7)


class OutboxItem(Item, discriminator="outbox"):
    event_id = UnicodeAttribute()
    event_type = UnicodeAttribute()
    source = UnicodeAttribute()
    envelope = JSONAttribute()
    expires_at = NumberAttribute()


def outbox_item(event: Envelope) -> OutboxItem:
    pk, sk = keys.outbox(event.tenant_id, event.id)
    return OutboxItem(
        pk,
        sk,
        event_id=event.id,
        event_type=event.type,
        source=event.source,
        envelope=event.model_dump(mode="json"),
        expires_at=int((event.occurred_at + OUTBOX_RETENTION).timestamp()),
    )
