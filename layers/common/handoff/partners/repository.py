"""Data access for partner organizations: one item each, listed by name (live on GSI1, all on GSI2)."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)

from handoff import keys
from handoff.events.envelope import Envelope
from handoff.events.outbox import outbox_item
from handoff.ids import new_id, utc_now
from handoff.store import reads
from handoff.store.pages import Page, by_name, place_by_name
from handoff.store.table import Item, transaction


class PartnerOrgItem(Item, discriminator="partner_org"):
    tenant_id = UnicodeAttribute()
    partner_org_id = UnicodeAttribute()
    name = UnicodeAttribute()
    contact_email = UnicodeAttribute(null=True)
    archived = BooleanAttribute(default=False)
    use_custom_banner = BooleanAttribute(default=False)
    banner_key = UnicodeAttribute(null=True)  # the published (re-encoded) banner
    banner_updated_at = UTCDateTimeAttribute(null=True)
    pending_upload = JSONAttribute(null=True)  # {upload_id, size_bytes}: the upload a confirm checks
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    def place(self) -> None:
        place_by_name(self, keys.partner_orgs_partition(self.tenant_id), self.partner_org_id)


def new_partner_org(tenant_id: str, name: str, created_by: str) -> PartnerOrgItem:
    partner_org_id = new_id()
    pk, sk = keys.partner_org(tenant_id, partner_org_id)
    now = utc_now()
    return PartnerOrgItem(
        pk,
        sk,
        tenant_id=tenant_id,
        partner_org_id=partner_org_id,
        name=name,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )


def partner_org_keys(path: dict[str, str]) -> list[reads.Key]:
    return [keys.partner_org(path["tenant_id"], path["partner_org_id"])]


def get(tenant_id: str, partner_org_id: str) -> PartnerOrgItem | None:
    return reads.get(PartnerOrgItem, keys.partner_org(tenant_id, partner_org_id))


def listed(
    tenant_id: str, name_prefix: str | None, include_archived: bool, limit: int, cursor: str | None
) -> Page[PartnerOrgItem]:
    scope = keys.cursor_scope(keys.CursorQuery.PARTNER_ORGS, tenant_id, name_prefix, include_archived)
    return by_name(
        PartnerOrgItem,
        keys.partner_orgs_partition(tenant_id),
        name_prefix=name_prefix,
        include_archived=include_archived,
        limit=limit,
        cursor=cursor,
        scope=scope,
    )


def save(item: PartnerOrgItem, event: Envelope | None) -> None:
    """The organization (versioned) and its event: one transaction."""
    item.updated_at = utc_now()
    item.place()
    with transaction() as tx:
        tx.save(item)
        if event is not None:
            tx.save(outbox_item(event), condition=Item.pk.does_not_exist())
