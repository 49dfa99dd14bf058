"""Membership invitations: an existing login added to a tenant (as staff or as a portal account) is invited,
and nothing of the tenant is open to it until its user accepts. Declined or expired, the membership goes."""

from __future__ import annotations

from handoff.accounts import repository as repo
from handoff.accounts.schemas import Invitation
from handoff.auth.access import Access
from handoff.auth.policy import Role
from handoff.errors import NotFound
from handoff.events.envelope import Actor, Envelope, new_event, user_actor
from handoff.ids import utc_now

SOURCE = "handoff.accounts"
INVITATION_NOT_FOUND = "invitation not found"


def _event(
    membership: repo.MembershipItem, type: str, actor: Actor, invitation_id: str, note: str | None = None
) -> Envelope:
    return new_event(
        source=SOURCE,
        type=type,
        tenant_id=membership.tenant_id,
        entity_type="member",
        entity_id=membership.user_id,
        version=repo.next_version(membership),
        actor=actor,
        data={
            "user_id": membership.user_id,
            "roles": list(membership.roles),
            "invitation_id": invitation_id,
            "note": note,
        },
    )


def _waiting(user_id: str, invitation_id: str) -> repo.MembershipItem:
    """The caller's membership this invitation offers (one Query of the caller's places)."""
    _, memberships = repo.identity_with_places(user_id)
    for membership in memberships:
        if membership.invited and membership.invitation_id == invitation_id:
            if membership.invited_until is not None and membership.invited_until <= utc_now():
                break  # past its lifetime, whether or not its timer fired yet
            return membership
    raise NotFound(INVITATION_NOT_FOUND)  # answered, expired, someone else's, or never sent: all alike


def answer(access: Access, invitation_id: str, accepting: bool, note: str | None = None) -> Invitation:
    return (accept if accepting else decline)(access, invitation_id, note)


def accept(access: Access, invitation_id: str, note: str | None = None) -> Invitation:
    """The invited login's user accepts: the membership is live from now (and counts as a system admin)."""
    membership = _waiting(access.user_id, invitation_id)
    tenant_id = membership.tenant_id
    answered = _out(membership)
    invitation_id = membership.invitation_id or ""
    membership.invitation_id, membership.invited_until = None, None
    tenant = repo.get_tenant(tenant_id)
    admin = Role.SYSTEM_ADMIN in membership.role_set and membership.live
    event = _event(
        membership, "MemberInvitationAccepted", user_actor(access.user_id, tenant_id), invitation_id, note
    )
    repo.save_member(membership, actor=access.user_id, event=event, tenant=tenant, admins_delta=int(admin))
    return answered.model_copy(update={"invited_until": None})


def decline(access: Access, invitation_id: str, note: str | None = None) -> Invitation:
    membership = _waiting(access.user_id, invitation_id)
    answered = _out(membership)
    actor = user_actor(access.user_id, membership.tenant_id)
    repo.remove_invited(
        membership,
        _event(membership, "MemberInvitationDeclined", actor, membership.invitation_id or "", note),
    )
    return answered


def expire(tenant_id: str, user_id: str, invitation_id: str) -> bool:
    """The invitation's lifetime passed: the membership goes only if that very invitation still waits."""
    membership = repo.get_membership(tenant_id, user_id)
    if membership is None or not membership.invited or membership.invitation_id != invitation_id:
        return False
    actor = Actor(kind="system", id="invitation-expiry", tenant_id=tenant_id)
    repo.remove_invited(membership, _event(membership, "MemberInvitationExpired", actor, invitation_id))
    return True


def _out(membership: repo.MembershipItem) -> Invitation:
    return Invitation(
        tenant_id=membership.tenant_id,
        roles=sorted(membership.role_set),
        invitation_id=membership.invitation_id or "",
        invited_until=membership.invited_until,
    )
