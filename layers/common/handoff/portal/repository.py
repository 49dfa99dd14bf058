"""Data access for customers and units (portal accounts are memberships: see accounts.repository)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)

from handoff import keys
from handoff.events.envelope import Envelope
from handoff.events.outbox import outbox_item
from handoff.ids import new_id, utc_now
from handoff.store import pages, reads
from handoff.store.pages import Page
from handoff.store.table import Item, transaction


class CustomerItem(Item, discriminator="customer"):
    tenant_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    name = UnicodeAttribute()
    contact_email = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
    requires_invoice_authorization = BooleanAttribute(default=False)
    partner_org_id = UnicodeAttribute(null=True)  # the partner organization whose customer it is
    org_unit_id = UnicodeAttribute(null=True)  # the org unit it belongs to (whose organization it may get)
    archived = BooleanAttribute(default=False)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


class UnitItem(Item, discriminator="unit"):
    tenant_id = UnicodeAttribute()
    unit_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    name = UnicodeAttribute()
    kind = UnicodeAttribute(default="vehicle")
    identifier = UnicodeAttribute(null=True)
    make = UnicodeAttribute(null=True)
    model = UnicodeAttribute(null=True)
    year = NumberAttribute(null=True)
    odometer = NumberAttribute(null=True)
    hours = NumberAttribute(null=True)
    po_number = UnicodeAttribute(null=True)
    archived = BooleanAttribute(default=False)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


def new_customer(tenant_id: str, created_by: str, **fields: Any) -> CustomerItem:
    customer_id = new_id()
    pk, sk = keys.customer(tenant_id, customer_id)
    now = utc_now()
    item = CustomerItem(
        pk,
        sk,
        tenant_id=tenant_id,
        customer_id=customer_id,
        created_by=created_by,
        created_at=now,
        updated_at=now,
        **fields,
    )
    place(item)
    return item


def new_unit(tenant_id: str, customer_id: str, created_by: str, **fields: Any) -> UnitItem:
    unit_id = new_id()
    pk, sk = keys.unit(tenant_id, unit_id)
    now = utc_now()
    item = UnitItem(
        pk,
        sk,
        tenant_id=tenant_id,
        unit_id=unit_id,
        customer_id=customer_id,
        created_by=created_by,
        created_at=now,
        updated_at=now,
        **fields,
    )
    place(item)
    return item


def place(item: CustomerItem | UnitItem) -> None:
    """On its by-name lists (live, and all)."""
    if isinstance(item, CustomerItem):
        pages.place_by_name(item, keys.customers_partition(item.tenant_id), item.customer_id)
        item.gsi3pk, item.gsi3sk = _partner_tab(item), keys.by_name(item.name, item.customer_id)
        if item.gsi3pk is None:
            item.gsi3sk = None
    else:
        pages.place_by_name(
            item, keys.customer_units_partition(item.tenant_id, item.customer_id), item.unit_id
        )


def _partner_tab(item: CustomerItem) -> str | None:
    """A live customer is on its partner organization's customers tab: under the organization it names, or
    else under its org unit (whose organization is read when the tab is: a unit moving to another
    organization takes its customers along, with no rewrite)."""
    if item.archived:
        return None
    if item.partner_org_id:
        return keys.partner_org_customers(item.tenant_id, item.partner_org_id)
    return keys.org_unit_customers(item.tenant_id, item.org_unit_id) if item.org_unit_id else None


def customers_in(partition: str, start: dict[str, Any] | None, limit: int) -> tuple[list[CustomerItem], Any]:
    """One page of a customers-tab partition (GSI3) by name, and DynamoDB's key to resume it."""
    results = CustomerItem.gsi3.query(partition, page_size=limit, last_evaluated_key=start)
    items, last = pages.one_page(results, Item)
    return [i for i in items if isinstance(i, CustomerItem)], last


def customer_keys(path: dict[str, str]) -> list[reads.Key]:
    return [keys.customer(path["tenant_id"], path["customer_id"])]


def unit_keys(path: dict[str, str]) -> list[reads.Key]:
    return [keys.unit(path["tenant_id"], path["unit_id"])]


def get_customer(tenant_id: str, customer_id: str) -> CustomerItem | None:
    return reads.get(CustomerItem, keys.customer(tenant_id, customer_id))


def get_customers(tenant_id: str, customer_ids: Sequence[str]) -> list[CustomerItem]:
    """One BatchGetItem; the existing ones, in the order asked."""
    return reads.get_many(CustomerItem, (keys.customer(tenant_id, i) for i in customer_ids))


def get_unit(tenant_id: str, unit_id: str) -> UnitItem | None:
    return reads.get(UnitItem, keys.unit(tenant_id, unit_id))


def list_customers(
    tenant_id: str, name_prefix: str | None, include_archived: bool, limit: int, cursor: str | None
) -> Page[CustomerItem]:
    return pages.by_name(
        CustomerItem,
        keys.customers_partition(tenant_id),
        name_prefix=name_prefix,
        include_archived=include_archived,
        limit=limit,
        cursor=cursor,
        scope=keys.cursor_scope(keys.CursorQuery.CUSTOMERS, tenant_id, name_prefix, include_archived),
    )


def list_units(
    tenant_id: str, customer_id: str, include_archived: bool, limit: int, cursor: str | None
) -> Page[UnitItem]:
    return pages.by_name(
        UnitItem,
        keys.customer_units_partition(tenant_id, customer_id),
        name_prefix=None,
        include_archived=include_archived,
        limit=limit,
        cursor=cursor,
        scope=keys.cursor_scope(keys.CursorQuery.UNITS, tenant_id, customer_id, include_archived),
    )


def save(item: CustomerItem | UnitItem, event: Envelope) -> None:
    item.updated_at = utc_now()
    place(item)
    with transaction() as tx:
        tx.save(item)
        tx.save(outbox_item(event), condition=Item.pk.does_not_exist())
