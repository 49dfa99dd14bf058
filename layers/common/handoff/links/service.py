"""Use cases for servicer links ("Manage Servicers", "Manage Servicer Locations") and the servicer's view."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from handoff.accounts import public as accounts
from handoff.audit import audit_entry
from handoff.auth.access import Access
from handoff.errors import NotFound
from handoff.events.envelope import Actor, new_event, user_actor
from handoff.ids import new_id, utc_now
from handoff.links import domain
from handoff.links import repository as repo
from handoff.links.domain import LinkAction, LinkFlags, LinkStatus
from handoff.links.schemas import (
    InvitationOut,
    InvitationPage,
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
        invited_until=item.invited_until,
        approved_location_ids=sorted(item.approved_locations or ()),
        history=item.history,
        created_by=item.created_by,
        version=item.version,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _save(
    access: Access | None,
    item: repo.LinkItem,
    event_type: str,
    change: str,
    also: tuple[Item, ...] = (),
    **extra: Any,
) -> None:
    """Records the change in the link's history, the owner's audit log and the event bus, atomically. An
    invitation's events are the servicer's too (the invitation is the one thing of the owner that reaches
    it before it accepts); a change made by the servicer's admin (an answer) is recorded as theirs."""
    by = access.user_id if access else "system:invitation-expiry"
    item.record(by, change, **extra)
    facts = {**link_fields(item), **extra}
    actor = (
        user_actor(access.user_id, access.tenant)
        if access
        else Actor(kind="system", id="invitation-expiry", tenant_id=item.owner_id)
    )
    invitation = event_type.startswith("ServicerInvit")
    event = new_event(
        source=SOURCE,
        type=event_type,
        tenant_id=item.owner_id,
        entity_type="servicer_link",
        entity_id=item.servicer_id,
        version=(item.version or 0) + 1,
        actor=actor,
        data=facts,
        shared_with=[item.servicer_id] if invitation else [],
    )
    audit = audit_entry(item.owner_id, by, f"servicer_link.{change}", item.servicer_id, facts)
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
    """An invitation to the instance: whether it exists is not told (the same answer either way); nothing of
    this owner reaches it until its system admin accepts."""
    existing = repo.get_link(access.tenant, body.servicer_id)
    domain.check_new_link(
        access.tenant, body.servicer_id, current=domain.LinkStatus(existing.status) if existing else None
    )
    flags = LinkFlags(**body.model_dump(exclude={"servicer_id"}))
    item = repo.new_link(access.tenant, body.servicer_id, flags, access.user_id)
    if existing is not None:  # inviting again after a revocation continues the same history
        item.history, item.version, item.created_at = existing.history, existing.version, existing.created_at
    days = accounts.invitation_ttl_days(access.tenant)
    item.invited_at = utc_now()
    item.invited_until, item.invitation_id = item.invited_at + timedelta(days=days), new_id()
    _save(access, item, "ServicerInvited", "invited", ttl_days=days, invitation_id=item.invitation_id)
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
    """Revokes a link, or withdraws an invitation not yet answered."""
    item = _link(access, servicer_id)
    if LinkStatus(item.status) is LinkStatus.INVITED:
        item.status = domain.transition(LinkStatus.INVITED, LinkAction.REVOKE).value
        _save(
            access,
            item,
            "ServicerInvitationWithdrawn",
            "invitation_withdrawn",
            invitation_id=item.invitation_id,
        )
        return _out(item)
    item.status = domain.transition(LinkStatus(item.status), LinkAction.REVOKE).value
    item.revoked_at = utc_now()
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


# ---- the invited instance's side -------------------------------------------------------------------------

INVITATION_NOT_FOUND = "invitation not found"


def invitations(access: Access, limit: int, cursor: str | None) -> InvitationPage:
    """The owners inviting this instance, not answered yet (its system admin's list)."""
    page = repo.list_invitations(access.tenant, limit, cursor)
    return InvitationPage(items=[_invitation_out(i) for i in page.items], next_cursor=page.next_cursor)


def answer(access: Access, owner_id: str, action: LinkAction, note: str | None = None) -> InvitationOut:
    """The invited instance's system admin accepts (the link is active from now) or declines."""
    item = repo.get_link(owner_id, access.tenant) if owner_id != access.tenant else None
    if item is None or LinkStatus(item.status) is not LinkStatus.INVITED:
        raise NotFound(INVITATION_NOT_FOUND)  # answered, withdrawn or expired: nothing waits any more
    if item.invited_until is not None and item.invited_until <= utc_now():
        raise NotFound(INVITATION_NOT_FOUND)  # past its lifetime, whether or not its timer fired yet
    created = accounts.tenant_created_at(access.tenant)
    if created is None or item.invited_at is None or created > item.invited_at:
        # An invitation sent to an id nobody held was not meant for whoever registered it later.
        raise NotFound(INVITATION_NOT_FOUND)
    item.status = domain.transition(LinkStatus.INVITED, action).value
    item.invited_until = None
    accepted = action is LinkAction.ACCEPT
    _save(
        access,
        item,
        "ServicerInvitationAccepted" if accepted else "ServicerInvitationDeclined",
        "invitation_accepted" if accepted else "invitation_declined",
        invitation_id=item.invitation_id,
        note=note,
    )
    return _invitation_out(item)


def expire(owner_id: str, servicer_id: str, invitation_id: str) -> bool:
    """An invitation's lifetime passed: it expires only if that very invitation still waits (the owner may
    change its flags meanwhile; an answer, a withdrawal or a new invitation makes the timer stale)."""
    item = repo.get_link(owner_id, servicer_id)
    if (
        item is None
        or item.invitation_id != invitation_id
        or LinkStatus(item.status) is not LinkStatus.INVITED
    ):
        return False
    item.status = domain.transition(LinkStatus.INVITED, LinkAction.EXPIRE).value
    item.invited_until = None
    _save(None, item, "ServicerInvitationExpired", "invitation_expired", invitation_id=invitation_id)
    return True


def _invitation_out(item: repo.LinkItem) -> InvitationOut:
    return InvitationOut(
        owner_id=item.owner_id,
        status=item.status,
        can_manage_locations=item.can_manage_locations,
        restricted_locations=item.restricted_locations,
        require_admin_approval=item.require_admin_approval,
        preferred_vendor=item.preferred_vendor,
        invited_until=item.invited_until,
        invited_at=item.updated_at,
    )
