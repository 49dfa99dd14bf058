"""Pure rules of servicer links: the status table, flags, and what a link lets a servicer do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from handoff.errors import Conflict, Invalid


class LinkStatus(StrEnum):
    INVITED = "invited"  # offered to the servicer; nothing of the owner reaches it until its admin accepts
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    DECLINED = "declined"
    EXPIRED = "expired"


class LinkAction(StrEnum):
    ACCEPT = "accept"  # the servicer's system admin
    DECLINE = "decline"  # the servicer's system admin
    EXPIRE = "expire"  # the invitation's lifetime passed
    SUSPEND = "suspend"
    RESUME = "resume"
    REVOKE = "revoke"  # an invitation: withdrawn


# The one table of legal link transitions: (from, action) -> to. Revoked, declined and expired are final (the
# owner may invite the instance again).
TRANSITIONS: dict[tuple[LinkStatus, LinkAction], LinkStatus] = {
    (LinkStatus.INVITED, LinkAction.ACCEPT): LinkStatus.ACTIVE,
    (LinkStatus.INVITED, LinkAction.DECLINE): LinkStatus.DECLINED,
    (LinkStatus.INVITED, LinkAction.EXPIRE): LinkStatus.EXPIRED,
    (LinkStatus.INVITED, LinkAction.REVOKE): LinkStatus.REVOKED,
    (LinkStatus.ACTIVE, LinkAction.SUSPEND): LinkStatus.SUSPENDED,
    (LinkStatus.ACTIVE, LinkAction.REVOKE): LinkStatus.REVOKED,
    (LinkStatus.SUSPENDED, LinkAction.RESUME): LinkStatus.ACTIVE,
    (LinkStatus.SUSPENDED, LinkAction.REVOKE): LinkStatus.REVOKED,
}
CLOSED = frozenset({LinkStatus.REVOKED, LinkStatus.DECLINED, LinkStatus.EXPIRED})
# What lets the servicer's members in (a suspended link: refused, but known to them).
ACCEPTED = frozenset({LinkStatus.ACTIVE, LinkStatus.SUSPENDED})
ANSWERS = frozenset({LinkAction.ACCEPT, LinkAction.DECLINE})


def transition(current: LinkStatus, action: LinkAction) -> LinkStatus:
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        past = {"accept": "accepted", "decline": "declined", "expire": "expired"}.get(
            action.value, f"{action.value}d"
        )
        raise Conflict(f"a {current.value} link cannot be {past}", code="illegal_transition") from None


def check_open(status: LinkStatus) -> None:
    """A revoked, declined or expired link is history: readable, never changed again (invite anew)."""
    if status in CLOSED:
        raise Conflict(f"a {status.value} link is read-only; link the instance again", code="link_revoked")


@dataclass(frozen=True)
class LinkFlags:
    can_manage_locations: bool = False
    restricted_locations: bool = False
    require_admin_approval: bool = False
    preferred_vendor: bool = False


@dataclass(frozen=True)
class ServicerGrant:
    """What an active or suspended link gives the servicer's members inside the owner's instance."""

    owner_id: str
    servicer_id: str
    status: LinkStatus
    flags: LinkFlags
    approved_locations: frozenset[str]
    revoked_at: datetime | None = None

    def may_see_location(self, location_id: str) -> bool:
        return not self.flags.restricted_locations or location_id in self.approved_locations

    def history_readable(self, now: datetime) -> bool:
        """A revoked link's partner still reads the history of the work it did, for a while."""
        return (
            self.status is LinkStatus.REVOKED
            and self.revoked_at is not None
            and now < self.revoked_at + HISTORY_AFTER_REVOCATION
        )


HISTORY_AFTER_REVOCATION = timedelta(days=90)


def check_new_link(owner_id: str, servicer_id: str, current: LinkStatus | None) -> None:
    """An invitation goes to any instance id: whether such an instance exists is not told (an unknown id's
    invitation is never answered and expires)."""
    if servicer_id == owner_id:
        raise Invalid("servicer_id", "an instance cannot be linked to itself")
    if current is LinkStatus.INVITED:
        raise Conflict("this instance is already invited; wait for its answer", code="already_invited")
    if current in ACCEPTED:
        raise Conflict(
            "this instance is already linked; change or resume the existing link", code="already_linked"
        )
