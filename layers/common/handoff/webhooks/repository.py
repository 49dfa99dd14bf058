"""Data access for webhook subscriptions and their delivery log."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)

from handoff import keys
from handoff.errors import Conflict
from handoff.ids import new_id, utc_now
from handoff.signing import SecretSlot, slots_from_json, slots_to_json
from handoff.store import reads
from handoff.store.pages import Page, decode_cursor, first_page
from handoff.store.table import Item, transaction


class SubscriptionItem(Item, discriminator="webhook_subscription"):
    tenant_id = UnicodeAttribute()
    subscription_id = UnicodeAttribute()
    url = UnicodeAttribute()
    description = UnicodeAttribute(null=True)
    event_types: ListAttribute[str] = ListAttribute(of=UnicodeAttribute)  # type: ignore[arg-type]
    enabled = BooleanAttribute(default=True)
    disabled_reason = UnicodeAttribute(null=True)
    archived = BooleanAttribute(default=False)
    secrets = JSONAttribute(default=list)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    def secret_slots(self) -> list[SecretSlot]:
        return slots_from_json(self.secrets)

    def set_secret_slots(self, slots: list[SecretSlot]) -> None:
        self.secrets = slots_to_json(slots)


class DeliveryItem(Item, discriminator="webhook_delivery"):
    tenant_id = UnicodeAttribute()
    subscription_id = UnicodeAttribute()
    delivery_id = UnicodeAttribute()
    event_id = UnicodeAttribute()
    event_type = UnicodeAttribute()
    payload = UnicodeAttribute()
    status = UnicodeAttribute(default="pending")
    attempts = NumberAttribute(default=0)
    last_status_code = NumberAttribute(null=True)
    last_error = UnicodeAttribute(null=True)
    next_attempt_at = UTCDateTimeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


def new_subscription(
    tenant_id: str,
    url: str,
    event_types: list[str],
    description: str | None,
    created_by: str,
    secret: SecretSlot,
) -> SubscriptionItem:
    subscription_id = new_id()
    pk, sk = keys.webhook_subscription(tenant_id, subscription_id)
    now = utc_now()
    item = SubscriptionItem(
        pk,
        sk,
        tenant_id=tenant_id,
        subscription_id=subscription_id,
        url=url,
        event_types=event_types,
        description=description,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    item.set_secret_slots([secret])
    return item


def new_delivery(
    tenant_id: str, subscription_id: str, envelope: dict[str, Any], payload: str
) -> DeliveryItem:
    """One delivery per (subscription, event): keyed by the event id, so a repeated event is a no-op."""
    pk, sk = keys.webhook_delivery(tenant_id, subscription_id, envelope["id"])
    now = utc_now()
    return DeliveryItem(
        pk,
        sk,
        tenant_id=tenant_id,
        subscription_id=subscription_id,
        delivery_id=envelope["id"],
        event_id=envelope["id"],
        event_type=envelope["type"],
        payload=payload,
        created_at=now,
        updated_at=now,
    )


def subscription_keys(path: dict[str, str]) -> list[reads.Key]:
    """What a route on one subscription reads, fetched together with the access check."""
    return [keys.webhook_subscription(path["tenant_id"], path["subscription_id"])]


def redelivery_keys(path: dict[str, str]) -> list[reads.Key]:
    return [
        *subscription_keys(path),
        keys.webhook_delivery(path["tenant_id"], path["subscription_id"], path["delivery_id"]),
    ]


def get_subscription(tenant_id: str, subscription_id: str) -> SubscriptionItem | None:
    item = reads.get(SubscriptionItem, keys.webhook_subscription(tenant_id, subscription_id))
    return None if item is None or item.archived else item


def list_subscriptions(tenant_id: str, limit: int, cursor: str | None) -> Page[SubscriptionItem]:
    scope = keys.cursor_scope(keys.CursorQuery.WEBHOOKS, tenant_id)
    results = SubscriptionItem.query(
        keys.webhooks_partition(tenant_id),
        filter_condition=SubscriptionItem.archived == False,  # noqa: E712 - a DynamoDB condition, not a test
        page_size=limit,
        last_evaluated_key=decode_cursor(cursor, scope),
    )
    return first_page(results, SubscriptionItem, scope)


def subscriptions_for_fanout(tenant_id: str) -> list[SubscriptionItem]:
    """Every live subscription of the tenant: one Query (a tenant has few)."""
    return [
        s for s in SubscriptionItem.query(keys.webhooks_partition(tenant_id)) if s.enabled and not s.archived
    ]


def save_subscription(item: SubscriptionItem) -> None:
    """Versioned: a new item must not exist yet, a loaded one must not have changed since it was read."""
    item.updated_at = utc_now()
    with transaction() as tx:
        tx.save(item)


def get_delivery(tenant_id: str, subscription_id: str, delivery_id: str) -> DeliveryItem | None:
    return reads.get(DeliveryItem, keys.webhook_delivery(tenant_id, subscription_id, delivery_id))


def create_delivery(item: DeliveryItem) -> bool:
    """False when this event was already fanned out to this subscription."""
    try:
        with transaction() as tx:
            tx.save(item, condition=Item.pk.does_not_exist())
    except Conflict:
        return False
    return True


def save_delivery(item: DeliveryItem) -> None:
    item.updated_at = utc_now()
    with transaction() as tx:
        tx.save(item)


def list_deliveries(
    tenant_id: str, subscription_id: str, limit: int, cursor: str | None
) -> Page[DeliveryItem]:
    """Newest first (delivery ids are event ULIDs)."""
    scope = keys.cursor_scope(keys.CursorQuery.DELIVERIES, tenant_id, subscription_id)
    pk, _ = keys.webhook_delivery(tenant_id, subscription_id, "")
    results = DeliveryItem.query(
        pk, scan_index_forward=False, page_size=limit, last_evaluated_key=decode_cursor(cursor, scope)
    )
    return first_page(results, DeliveryItem, scope)
