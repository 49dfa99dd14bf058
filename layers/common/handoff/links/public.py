"""What other contexts may ask of servicer links: the grant a link gives (status, flags, approved locations),
the owners an instance is linked to, a link's inbound-signing secrets, and the conditions a change elsewhere
must hold under (the link still active). Read through the links repository; no schemas."""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.transactions import TransactWrite

from handoff import keys, signing
from handoff.errors import Conflict, NotFound
from handoff.ids import utc_now
from handoff.links import repository as repo
from handoff.links.domain import LinkStatus, ServicerGrant
from handoff.store.pages import MAX_LIMIT
from handoff.store.table import Item

LINK_NOT_FOUND = "servicer link not found"


def grant(owner_id: str, servicer_id: str) -> ServicerGrant | None:
    """What the owner's link to this servicer grants (revoked links too: ask the status)."""
    link = repo.get_link(owner_id, servicer_id)
    return link.grant() if link is not None else None


def is_active(owner_id: str, servicer_id: str) -> bool:
    found = grant(owner_id, servicer_id)
    return found is not None and found.status is LinkStatus.ACTIVE


def preferred_vendors(owner_id: str) -> list[ServicerGrant]:
    """The owner's active links marked preferred vendor: one Query of its servicers (one page holds them;
    an owner links a handful of instances, not hundreds)."""
    page = repo.list_links(owner_id, MAX_LIMIT, None)
    grants = [link.grant() for link in page.items]
    return [g for g in grants if g.status is LinkStatus.ACTIVE and g.flags.preferred_vendor]


def linked_owners(servicer_id: str) -> list[ServicerGrant]:
    """The owners this instance is linked to (not revoked): one Query of its owners partition."""
    page = repo.list_linked_owners(servicer_id, MAX_LIMIT, None)
    return [link.grant() for link in page.items]


def stage_still_active(tx: TransactWrite, owner_id: str, servicer_id: str) -> None:
    """Into the caller's transaction: it commits only while the link is active (a revocation racing with it
    wins)."""
    pk, sk = keys.servicer_link(owner_id, servicer_id)
    tx.condition_check(repo.LinkItem, pk, sk, condition=repo.LinkItem.status == LinkStatus.ACTIVE.value)


def grant_created_location(owner_id: str, servicer_id: str, location_id: str, by: str) -> Item:
    """The link with a location its restricted servicer just created added to its approved ones, for the
    caller to save in the location's own transaction (what a servicer creates, it may see)."""
    link = repo.get_link(owner_id, servicer_id)
    if link is None:
        raise NotFound(LINK_NOT_FOUND)
    link.approved_locations = {*(link.approved_locations or ()), location_id}
    link.record(by, "location_granted", location_id=location_id)
    return link


def inbound_secrets(owner_id: str, servicer_id: str) -> list[signing.SecretSlot]:
    """The secrets a partner's system may sign its updates to this owner with (none: not set up)."""
    item = repo.get_inbound_secret(owner_id, servicer_id)
    return signing.slots_from_json(item.secrets) if item is not None else []


def rotate_inbound_secret(
    owner_id: str, servicer_id: str, by: str, overlap: timedelta
) -> tuple[str, datetime | None]:
    """A new secret for the partner's system (the first, or a rotation keeping the previous one for
    `overlap`): the secret, shown once, and when the previous one stops verifying."""
    link = repo.get_link(owner_id, servicer_id)
    if link is None:
        raise NotFound(LINK_NOT_FOUND)
    if link.status == LinkStatus.REVOKED.value:
        raise Conflict("a revoked link is read-only; link the instance again", code="link_revoked")
    item = repo.get_inbound_secret(owner_id, servicer_id) or repo.new_inbound_secret(
        owner_id, servicer_id, by
    )
    now = utc_now()
    slots, fresh = signing.rotate(signing.slots_from_json(item.secrets), now, overlap)
    item.secrets = signing.slots_to_json(slots)
    item.rotated_by = by
    repo.save_inbound_secret(item)
    return fresh, signing.previous_expires_at(slots, now)
