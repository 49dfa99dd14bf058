"""Use cases for servicer links ("Manage Servicers", "Manage Servicer Locations") and the servicer's view."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from handoff.accounts import public as accounts
from handoff.audit import audit_entry
from handoff.auth.access import Access
from handoff.errors import NotFound
from handoff.events.envelope import new_event, user_actor
from handoff.links import domain
from handoff.links import repository as repo
from handoff.links.domain import LinkAction, LinkFlags, LinkStatus
from handoff.links.schemas import (
    LinkCreate,
    LinkedOwner,
    LinkedOwnerPage,
    LinkOut,
    LinkPage,
    LinkPatch,
    link_fields,
)
from handoff.locations import public as locations
from handoff.store.table import Item

SOURCE = "handoff.links"
LINK_NOT_FOUND = "servicer link not found"


def _out(item: repo.LinkItem) -> LinkOut:
    return LinkOut(
        **link_fields(item),
        approved_location_ids=sorted(item.approved_locations or ()),
        history=item.history,
        created_by=item.created_by,
        version=item.version,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _save(
    access: Access,
    item: repo.LinkItem,
    event_type: str,
    change: str,
    also: tuple[Item, ...] = (),
    **extra: Any,
) -> None:
    """Records the change in the link's history, the tenant's audit log and the event bus, atomically."""
    item.record(access.user_id, change, **extra)
    facts = {**link_fields(item), **extra}
    event = new_event(
        source=SOURCE,
        type=event_type,
        tenant_id=access.tenant,
        entity_type="servicer_link",
        entity_id=item.servicer_id,
        version=(item.version or 0) + 1,
        actor=user_actor(access.user_id, access.tenant),
        data=facts,
    )
    audit = audit_entry(access.tenant, access.user_id, f"servicer_link.{change}", item.servicer_id, facts)
    repo.save_link(item, event=event, audit=audit, also=also)


def _link(access: Access, servicer_id: str) -> repo.LinkItem:
    item = repo.get_link(access.tenant, servicer_id)
    if item is None:
        raise NotFound(LINK_NOT_FOUND)
    return item


def list_(access: Access, limit: int, cursor: str | None) -> LinkPage:
    page = repo.list_links(access.tenant, limit, cursor)
    return LinkPage(items=[_out(i) for i in page.items], next_cursor=page.next_cursor)


def get(access: Access, servicer_id: str) -> LinkOut:
    """Revoked links stay readable: the history of who linked, when and with which flags."""
    return _out(_link(access, servicer_id))


def create(access: Access, body: LinkCreate) -> LinkOut:
    existing = repo.get_link(access.tenant, body.servicer_id)
    domain.check_new_link(
        access.tenant,
        body.servicer_id,
        servicer_exists=accounts.tenant_exists(body.servicer_id),
        current=domain.LinkStatus(existing.status) if existing else None,
    )
    flags = LinkFlags(**body.model_dump(exclude={"servicer_id"}))
    item = repo.new_link(access.tenant, body.servicer_id, flags, access.user_id)
    if existing is not None:  # linking again after a revocation continues the same history
        item.history, item.version, item.created_at = existing.history, existing.version, existing.created_at
    _save(access, item, "ServicerLinked", "linked")
    return _out(item)


def update(access: Access, servicer_id: str, patch: LinkPatch) -> LinkOut:
    item = _link(access, servicer_id)
    current = LinkStatus(item.status)
    domain.check_open(current)
    flag_changes = patch.model_dump(exclude_unset=True, exclude={"status"})
    item.set_flags(replace(item.flags, **flag_changes))
    event_type, change = "ServicerLinkChanged", "flags_changed"
    if patch.status is not None and patch.status != item.status:
        action = LinkAction.SUSPEND if patch.status == LinkStatus.SUSPENDED.value else LinkAction.RESUME
        item.status = domain.transition(current, action).value
        event_type, change = (
            ("ServicerLinkSuspended", "suspended")
            if action is LinkAction.SUSPEND
            else ("ServicerLinkResumed", "resumed")
        )
    _save(access, item, event_type, change)
    return _out(item)


def revoke(access: Access, servicer_id: str) -> LinkOut:
    item = _link(access, servicer_id)
    item.status = domain.transition(LinkStatus(item.status), LinkAction.REVOKE).value
    secret = repo.get_inbound_secret(access.tenant, servicer_id)
    if secret is not None:  # the partner's system loses its credential with the link
        secret.secrets = []
        secret.rotated_by = access.user_id
    _save(access, item, "ServicerLinkRevoked", "revoked", also=(secret,) if secret else ())
    return _out(item)


def grant_location(access: Access, servicer_id: str, location_id: str) -> LinkOut:
    item = _link(access, servicer_id)
    domain.check_open(LinkStatus(item.status))
    if not locations.exists(access.tenant, location_id):
        raise NotFound("location not found")
    if location_id in (item.approved_locations or set()):
        return _out(item)  # PUT is idempotent: already granted, nothing changes
    item.approved_locations = {*(item.approved_locations or ()), location_id}
    _save(access, item, "ServicerLocationGranted", "location_granted", location_id=location_id)
    return _out(item)


def revoke_location(access: Access, servicer_id: str, location_id: str) -> LinkOut:
    item = _link(access, servicer_id)
    granted = set(item.approved_locations or ())
    if location_id not in granted:
        raise NotFound("this location is not granted to the servicer")
    domain.check_open(LinkStatus(item.status))
    item.approved_locations = (granted - {location_id}) or None
    _save(access, item, "ServicerLocationRevoked", "location_revoked", location_id=location_id)
    return _out(item)


def linked_owners(access: Access, limit: int, cursor: str | None) -> LinkedOwnerPage:
    page = repo.list_linked_owners(access.tenant, limit, cursor)
    items = [
        LinkedOwner(**{k: v for k, v in link_fields(i).items() if k != "servicer_id"}) for i in page.items
    ]
    return LinkedOwnerPage(items=items, next_cursor=page.next_cursor)
