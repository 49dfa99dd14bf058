"""Data access for locations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pynamodb.attributes import BooleanAttribute, UnicodeAttribute, UTCDateTimeAttribute, VersionAttribute

from handoff import keys
from handoff.events.envelope import Envelope
from handoff.events.outbox import outbox_item
from handoff.ids import new_id, utc_now
from handoff.store import pages, reads
from handoff.store.pages import Page
from handoff.store.table import Item, transaction


class LocationItem(Item, discriminator="location"):
    tenant_id = UnicodeAttribute()
    location_id = UnicodeAttribute()
    name = UnicodeAttribute()
    address = UnicodeAttribute(null=True)
    city = UnicodeAttribute(null=True)
    postal_code = UnicodeAttribute(null=True)
    country = UnicodeAttribute(null=True)
    notes = UnicodeAttribute(null=True)
    archived = BooleanAttribute(default=False)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


def new_location(tenant_id: str, name: str, created_by: str, **fields: Any) -> LocationItem:
    location_id = new_id()
    pk, sk = keys.location(tenant_id, location_id)
    now = utc_now()
    item = LocationItem(
        pk,
        sk,
        tenant_id=tenant_id,
        location_id=location_id,
        name=name,
        created_by=created_by,
        created_at=now,
        updated_at=now,
        **fields,
    )
    pages.place_by_name(item, keys.locations_partition(tenant_id), location_id)
    return item


def location_keys(path: dict[str, str]) -> list[reads.Key]:
    """What a route on one location reads, fetched together with the access check."""
    return [keys.location(path["tenant_id"], path["location_id"])]


def get_location(tenant_id: str, location_id: str) -> LocationItem | None:
    return reads.get(LocationItem, keys.location(tenant_id, location_id))


def get_locations(tenant_id: str, location_ids: list[str]) -> list[LocationItem]:
    """One BatchGetItem (ids in, existing locations out, in the order asked)."""
    return reads.get_many(LocationItem, (keys.location(tenant_id, i) for i in location_ids))


def list_locations(
    tenant_id: str, *, name_prefix: str | None, include_archived: bool, limit: int, cursor: str | None
) -> Page[LocationItem]:
    """By name (prefix, case-insensitive): one Query on the tenant's by-name index."""
    scope = keys.cursor_scope(keys.CursorQuery.LOCATIONS, tenant_id, name_prefix, include_archived)
    return pages.by_name(
        LocationItem,
        keys.locations_partition(tenant_id),
        name_prefix=name_prefix,
        include_archived=include_archived,
        limit=limit,
        cursor=cursor,
        scope=scope,
    )


def save_location(item: LocationItem, event: Envelope, also: Sequence[Item] = ()) -> None:
    """The location and its event in one transaction (plus `also`: e.g. the link that grants it)."""
    item.updated_at = utc_now()
    pages.place_by_name(item, keys.locations_partition(item.tenant_id), item.location_id)
    with transaction() as tx:
        tx.save(item)
        for other in also:
            tx.save(other)
        tx.save(outbox_item(event), condition=Item.pk.does_not_exist())
