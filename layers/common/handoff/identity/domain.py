"""Which logins a committed event concerns, and what it asks of them. Pure: no AWS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Events about one membership or portal account: the entity is the user.
MEMBERSHIP_EVENTS = frozenset(
    {
        "MemberAdded",
        "MemberChanged",
        "PortalAccountCreated",
        "PortalAccountChanged",
        "MemberInvited",
        "MemberInvitationAccepted",
        "MemberInvitationDeclined",
        "MemberInvitationExpired",
    }
)
MERGE_EVENT = "IdentitiesMerged"
RESET_EVENT = "MemberAccessReset"


@dataclass(frozen=True)
class Login:
    """What the login of one identity should be: it exists with this email and user id, enabled or not."""

    user_id: str
    email: str
    enabled: bool


@dataclass(frozen=True)
class Work:
    reconcile: tuple[str, ...]  # user ids whose login must match their memberships
    reset: str | None = None  # user id whose password is reset (Cognito mails a code)


def work_for(envelope: dict[str, Any]) -> Work:
    """Every event is answered by reconciling the logins it concerns (idempotent, order-independent: a
    redelivered or reordered event converges to the same state)."""
    kind = envelope.get("type")
    entity = str((envelope.get("entity") or {}).get("id", ""))
    if kind in MEMBERSHIP_EVENTS:
        return Work((entity,))
    if kind == MERGE_EVENT:
        retired = [str(u) for u in (envelope.get("data") or {}).get("retired_user_ids", [])]
        return Work((entity, *retired))
    if kind == RESET_EVENT:
        return Work((entity,), reset=entity)
    return Work(())
