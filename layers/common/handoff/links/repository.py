"""Data access for servicer links: the link item lives in the owner's partition and is seen from the
servicer's side through GSI2 (`T#<servicer>#OWNERS`)."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)

from handoff import keys
from handoff.audit import AuditItem
from handoff.events.envelope import Envelope
from handoff.events.outbox import outbox_item
from handoff.ids import utc_now
from handoff.links.domain import ACCEPTED, LinkFlags, LinkStatus, ServicerGrant
from handoff.store import reads
from handoff.store.pages import Page, decode_cursor, first_page, newest_first
from handoff.store.table import Item, transaction


class LinkItem(Item, discriminator="servicer_link"):
    owner_id = UnicodeAttribute()
    servicer_id = UnicodeAttribute()
    status = UnicodeAttribute()
    can_manage_locations = BooleanAttribute(default=False)
    restricted_locations = BooleanAttribute(default=False)
    require_admin_approval = BooleanAttribute(default=False)
    preferred_vendor = BooleanAttribute(default=False)
    approved_locations = UnicodeSetAttribute(null=True)
    history = JSONAttribute(default=list)  # append-only: who changed what, when, and the flags after it
    invited_at = UTCDateTimeAttribute(null=True)  # when the latest invitation was sent
    invited_until = UTCDateTimeAttribute(null=True)  # while invited: when the invitation expires
    invitation_id = UnicodeAttribute(null=True)  # the latest invitation (its expiry workflow is named by it)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    revoked_at = UTCDateTimeAttribute(null=True)  # a revoked link's partner reads its history until + 90 days
    version = VersionAttribute()

    @property
    def flags(self) -> LinkFlags:
        return LinkFlags(
            can_manage_locations=self.can_manage_locations,
            restricted_locations=self.restricted_locations,
            require_admin_approval=self.require_admin_approval,
            preferred_vendor=self.preferred_vendor,
        )

    def set_flags(self, flags: LinkFlags) -> None:
        self.can_manage_locations = flags.can_manage_locations
        self.restricted_locations = flags.restricted_locations
        self.require_admin_approval = flags.require_admin_approval
        self.preferred_vendor = flags.preferred_vendor

    def grant(self) -> ServicerGrant:
        return ServicerGrant(
            owner_id=self.owner_id,
            servicer_id=self.servicer_id,
            status=LinkStatus(self.status),
            flags=self.flags,
            approved_locations=frozenset(self.approved_locations or ()),
            revoked_at=self.revoked_at,
        )

    def place(self) -> None:
        """Seen from the servicer's side (GSI2): among its invitations while invited, among its owners once
        accepted (active or suspended), nowhere once closed."""
        status = LinkStatus(self.status)
        if status is LinkStatus.INVITED:
            self.gsi2pk = keys.servicer_invitations_partition(self.servicer_id)
        elif status in ACCEPTED:
            self.gsi2pk = keys.linked_owners_partition(self.servicer_id)
        else:
            self.gsi2pk = None
        self.gsi2sk = keys.linked_owner(self.owner_id) if self.gsi2pk else None

    def record(self, by: str, change: str, **extra: Any) -> None:
        entry: dict[str, Any] = {
            "at": utc_now().isoformat(),
            "by": by,
            "change": change,
            "status": self.status,
        }
        entry["flags"] = {
            "can_manage_locations": self.can_manage_locations,
            "restricted_locations": self.restricted_locations,
            "require_admin_approval": self.require_admin_approval,
            "preferred_vendor": self.preferred_vendor,
        }
        self.history = [*self.history, {**entry, **extra}]


class InboundSecretItem(Item, discriminator="inbound_secret"):
    """The secrets a partner's system signs its updates to this owner with: a credential of the link, cleared
    when the link is revoked (a new link needs a new secret)."""

    owner_id = UnicodeAttribute()
    servicer_id = UnicodeAttribute()
    secrets = JSONAttribute(default=list)
    rotated_by = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


def new_link(owner_id: str, servicer_id: str, flags: LinkFlags, created_by: str) -> LinkItem:
    pk, sk = keys.servicer_link(owner_id, servicer_id)
    now = utc_now()
    item = LinkItem(
        pk,
        sk,
        owner_id=owner_id,
        servicer_id=servicer_id,
        status=LinkStatus.INVITED.value,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    item.set_flags(flags)
    item.place()
    return item


def new_inbound_secret(owner_id: str, servicer_id: str, rotated_by: str) -> InboundSecretItem:
    pk, sk = keys.inbound_secret(owner_id, servicer_id)
    return InboundSecretItem(
        pk, sk, owner_id=owner_id, servicer_id=servicer_id, rotated_by=rotated_by, updated_at=utc_now()
    )


def get_inbound_secret(owner_id: str, servicer_id: str) -> InboundSecretItem | None:
    return reads.get(InboundSecretItem, keys.inbound_secret(owner_id, servicer_id))


def save_inbound_secret(item: InboundSecretItem) -> None:
    item.updated_at = utc_now()
    with transaction() as tx:
        tx.save(item)


def invitation_keys(path: dict[str, str]) -> list[reads.Key]:
    """An answer reads the owner's link to the answering instance with the access check."""
    return [keys.servicer_link(path["owner_id"], path["tenant_id"])]


def link_keys(path: dict[str, str]) -> list[reads.Key]:
    """What a route on one link reads, fetched together with the access check."""
    return [keys.servicer_link(path["tenant_id"], path["servicer_id"])]


def revocation_keys(path: dict[str, str]) -> list[reads.Key]:
    """A revocation also clears the partner system's inbound secret."""
    return [*link_keys(path), keys.inbound_secret(path["tenant_id"], path["servicer_id"])]


def link_location_keys(path: dict[str, str]) -> list[reads.Key]:
    return [*link_keys(path), keys.location(path["tenant_id"], path["location_id"])]


def get_link(owner_id: str, servicer_id: str) -> LinkItem | None:
    return reads.get(LinkItem, keys.servicer_link(owner_id, servicer_id))


def list_links(owner_id: str, limit: int, cursor: str | None) -> Page[LinkItem]:
    scope = keys.cursor_scope(keys.CursorQuery.SERVICERS, owner_id)
    results = LinkItem.query(
        keys.servicers_partition(owner_id),
        Item.sk.startswith(keys.LINK_PREFIX),
        page_size=limit,
        last_evaluated_key=decode_cursor(cursor, scope),
    )
    return first_page(results, LinkItem, scope)


def list_linked_owners(servicer_id: str, limit: int, cursor: str | None) -> Page[LinkItem]:
    """The owners whose invitation this instance accepted (active or suspended links): one Query."""
    scope = keys.cursor_scope(keys.CursorQuery.LINKED_OWNERS, servicer_id)
    partition = keys.linked_owners_partition(servicer_id)
    return newest_first(
        LinkItem, LinkItem.gsi2, partition, limit=limit, cursor=cursor, scope=scope, newest=False
    )


def list_invitations(servicer_id: str, limit: int, cursor: str | None) -> Page[LinkItem]:
    """The invitations this instance has not answered: one Query."""
    scope = keys.cursor_scope(keys.CursorQuery.SERVICER_INVITATIONS, servicer_id)
    partition = keys.servicer_invitations_partition(servicer_id)
    return newest_first(
        LinkItem, LinkItem.gsi2, partition, limit=limit, cursor=cursor, scope=scope, newest=False
    )


def save_link(item: LinkItem, *, event: Envelope, audit: AuditItem, also: tuple[Item, ...] = ()) -> None:
    """Link, audit entry, event (and what the change touches besides): one transaction; the link's version
    guards concurrent changes."""
    item.updated_at = utc_now()
    item.place()
    with transaction() as tx:
        tx.save(item)
        for other in also:
            tx.save(other)
        tx.save(audit, condition=Item.pk.does_not_exist())
        tx.save(outbox_item(event), condition=Item.pk.does_not_exist())
