"""Data access for partner organizations: one item each, listed by name (live on GSI1, all on GSI2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.transactions import TransactWrite

from handoff import keys
from handoff.events.envelope import Envelope
from handoff.events.outbox import outbox_item
from handoff.ids import new_id, utc_now
from handoff.store import reads
from handoff.store.pages import Page, by_name, decode_cursor, first_page, place_by_name
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


class OrgUnitItem(Item, discriminator="org_unit"):
    """A unit of the tenant's customers (a region, a division); associated with a partner organization, its
    customers are that organization's."""

    tenant_id = UnicodeAttribute()
    org_unit_id = UnicodeAttribute()
    name = UnicodeAttribute()
    partner_org_id = UnicodeAttribute(null=True)
    archived = BooleanAttribute(default=False)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    def place(self) -> None:
        place_by_name(self, keys.org_units_partition(self.tenant_id), self.org_unit_id)
        if self.partner_org_id and not self.archived:  # an archived unit gives its customers no organization
            self.gsi3pk = keys.partner_org_units(self.tenant_id, self.partner_org_id)
            self.gsi3sk = keys.by_name(self.name, self.org_unit_id)
        else:
            self.gsi3pk, self.gsi3sk = None, None


def _named[M: Item](
    model: type[M],
    key: Callable[[str, str], tuple[str, str]],
    id_field: str,
    tenant_id: str,
    name: str,
    created_by: str,
) -> M:
    """A new named record of the tenant (an organization, an org unit, a team) under a fresh id."""
    item_id = new_id()
    pk, sk = key(tenant_id, item_id)
    now = utc_now()
    fields: dict[str, Any] = {
        id_field: item_id,
        "name": name,
        "created_by": created_by,
        "created_at": now,
        "updated_at": now,
    }
    return model(pk, sk, tenant_id=tenant_id, **fields)


class TeamItem(Item, discriminator="team"):
    """Who works a kind of request: ordered escalation layers of technicians and partner users."""

    tenant_id = UnicodeAttribute()
    team_id = UnicodeAttribute()
    name = UnicodeAttribute()
    layers = JSONAttribute(default=list)  # [{members: [user_id], response_minutes}]
    routes_outward = BooleanAttribute(default=False)
    vendor_terms = JSONAttribute(null=True)  # the terms an offer to the preferred vendor proposes
    archived = BooleanAttribute(default=False)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    def place(self) -> None:
        place_by_name(self, keys.teams_partition(self.tenant_id), self.team_id)


class BrandingItem(Item, discriminator="portal_branding"):
    """The tenant's default banner: what its customers' portal shows when their partner organization shows
    none of its own."""

    tenant_id = UnicodeAttribute()
    banner_key = UnicodeAttribute(null=True)
    banner_updated_at = UTCDateTimeAttribute(null=True)
    pending_upload = JSONAttribute(null=True)  # {upload_id, size_bytes}: the upload a confirm checks
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    def place(self) -> None:
        pass  # read by key only


def new_branding(tenant_id: str) -> BrandingItem:
    pk, sk = keys.portal_branding(tenant_id)
    now = utc_now()
    return BrandingItem(pk, sk, tenant_id=tenant_id, created_at=now, updated_at=now)


def branding_keys(path: dict[str, str]) -> list[reads.Key]:
    return [keys.portal_branding(path["tenant_id"])]


def get_branding(tenant_id: str) -> BrandingItem | None:
    return reads.get(BrandingItem, keys.portal_branding(tenant_id))


class TeamTurnItem(Item, discriminator="team_turn"):
    """How many requests the team routed: the round-robin among equally loaded people. Unversioned and kept
    apart from the team, so routing (an atomic ADD) never conflicts with an edit of the team."""

    turns = NumberAttribute(default=0)


def new_team(tenant_id: str, name: str, created_by: str) -> TeamItem:
    return _named(TeamItem, keys.team, "team_id", tenant_id, name, created_by)


def team_keys(path: dict[str, str]) -> list[reads.Key]:
    return [keys.team(path["tenant_id"], path["team_id"])]


def get_team(tenant_id: str, team_id: str) -> TeamItem | None:
    return reads.get(TeamItem, keys.team(tenant_id, team_id))


def team_turns(tenant_id: str, team_id: str) -> int:
    found = reads.get(TeamTurnItem, keys.team_turn(tenant_id, team_id))
    return int(found.turns) if found is not None else 0


def stage_turn(tx: TransactWrite, tenant_id: str, team_id: str) -> None:
    pk, sk = keys.team_turn(tenant_id, team_id)
    tx.update(TeamTurnItem(pk, sk), actions=[Item.entity.set(TeamTurnItem), TeamTurnItem.turns.add(1)])


def listed_teams(
    tenant_id: str, name_prefix: str | None, include_archived: bool, limit: int, cursor: str | None
) -> Page[TeamItem]:
    partition, query = keys.teams_partition(tenant_id), keys.CursorQuery.TEAMS
    return _by_name(TeamItem, partition, query, tenant_id, name_prefix, include_archived, limit, cursor)


def next_org_unit(tenant_id: str, partner_org_id: str, after: dict[str, Any] | None) -> OrgUnitItem | None:
    """The organization's next live org unit by name after `after` (an org unit's index key), or its first:
    one Query of one item."""
    results = OrgUnitItem.gsi3.query(
        keys.partner_org_units(tenant_id, partner_org_id), limit=1, last_evaluated_key=after
    )
    return next((i for i in results if isinstance(i, OrgUnitItem)), None)


def new_org_unit(tenant_id: str, name: str, created_by: str) -> OrgUnitItem:
    return _named(OrgUnitItem, keys.org_unit, "org_unit_id", tenant_id, name, created_by)


def org_unit_keys(path: dict[str, str]) -> list[reads.Key]:
    return [keys.org_unit(path["tenant_id"], path["org_unit_id"])]


def get_org_unit(tenant_id: str, org_unit_id: str) -> OrgUnitItem | None:
    return reads.get(OrgUnitItem, keys.org_unit(tenant_id, org_unit_id))


def listed_org_units(
    tenant_id: str, name_prefix: str | None, include_archived: bool, limit: int, cursor: str | None
) -> Page[OrgUnitItem]:
    partition, query = keys.org_units_partition(tenant_id), keys.CursorQuery.ORG_UNITS
    return _by_name(OrgUnitItem, partition, query, tenant_id, name_prefix, include_archived, limit, cursor)


def _by_name[M: Item](
    model: type[M],
    partition: str,
    query: keys.CursorQuery,
    tenant_id: str,
    name_prefix: str | None,
    include_archived: bool,
    limit: int,
    cursor: str | None,
) -> Page[M]:
    scope = keys.cursor_scope(query, tenant_id, name_prefix, include_archived)
    return by_name(
        model,
        partition,
        name_prefix=name_prefix,
        include_archived=include_archived,
        limit=limit,
        cursor=cursor,
        scope=scope,
    )


def org_units_of(tenant_id: str, partner_org_id: str, limit: int, cursor: str | None) -> Page[OrgUnitItem]:
    """A partner organization's org units by name: one Query (GSI3)."""
    scope = keys.cursor_scope(keys.CursorQuery.PARTNER_ORG_UNITS, tenant_id, partner_org_id)
    results = OrgUnitItem.gsi3.query(
        keys.partner_org_units(tenant_id, partner_org_id),
        page_size=limit,
        last_evaluated_key=decode_cursor(cursor, scope),
    )
    page = first_page(results, Item, scope)
    return Page(items=[i for i in page.items if isinstance(i, OrgUnitItem)], next_cursor=page.next_cursor)


def new_partner_org(tenant_id: str, name: str, created_by: str) -> PartnerOrgItem:
    return _named(PartnerOrgItem, keys.partner_org, "partner_org_id", tenant_id, name, created_by)


def partner_org_keys(path: dict[str, str]) -> list[reads.Key]:
    return [keys.partner_org(path["tenant_id"], path["partner_org_id"])]


def get(tenant_id: str, partner_org_id: str) -> PartnerOrgItem | None:
    return reads.get(PartnerOrgItem, keys.partner_org(tenant_id, partner_org_id))


def listed(
    tenant_id: str, name_prefix: str | None, include_archived: bool, limit: int, cursor: str | None
) -> Page[PartnerOrgItem]:
    partition, query = keys.partner_orgs_partition(tenant_id), keys.CursorQuery.PARTNER_ORGS
    return _by_name(PartnerOrgItem, partition, query, tenant_id, name_prefix, include_archived, limit, cursor)


def save(item: PartnerOrgItem | OrgUnitItem | TeamItem | BrandingItem, event: Envelope | None) -> None:
    """The organization, org unit, team or default banner (versioned) and its event: one transaction."""
    item.updated_at = utc_now()
    item.place()
    with transaction() as tx:
        tx.save(item)
        if event is not None:
            tx.save(outbox_item(event), condition=Item.pk.does_not_exist())
