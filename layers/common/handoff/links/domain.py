"""Pure rules of servicer links: the status table, flags, and what a link lets a servicer do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from handoff.errors import Conflict, Invalid


class LinkStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class LinkAction(StrEnum):
    SUSPEND = "suspend"
    RESUME = "resume"
    REVOKE = "revoke"


# The one table of legal link transitions: (from, action) -> to. Revoked is final.
TRANSITIONS: dict[tuple[LinkStatus, LinkAction], LinkStatus] = {
    (LinkStatus.ACTIVE, LinkAction.SUSPEND): LinkStatus.SUSPENDED,
    (LinkStatus.ACTIVE, LinkAction.REVOKE): LinkStatus.REVOKED,
    (LinkStatus.SUSPENDED, LinkAction.RESUME): LinkStatus.ACTIVE,
    (LinkStatus.SUSPENDED, LinkAction.REVOKE): LinkStatus.REVOKED,
}


def transition(current: LinkStatus, action: LinkAction) -> LinkStatus:
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise Conflict(
            f"a {current.value} link cannot be {action.value}d", code="illegal_transition"
        ) from None


def check_open(status: LinkStatus) -> None:
    """A revoked link is history: readable, never changed again (link the instance anew instead)."""
    if status is LinkStatus.REVOKED:
        raise Conflict("a revoked link is read-only; link the instance again", code="link_revoked")


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

    def may_see_location(self, location_id: str) -> bool:
        return not self.flags.restricted_locations or location_id in self.approved_locations


def check_new_link(
    owner_id: str, servicer_id: str, servicer_exists: bool, current: LinkStatus | None
) -> None:
    if servicer_id == owner_id:
        raise Invalid("servicer_id", "an instance cannot be linked to itself")
    if not servicer_exists:
        raise Invalid("servicer_id", "no instance with this id")
    if current in (LinkStatus.ACTIVE, LinkStatus.SUSPENDED):
        raise Conflict(
            "this instance is already linked; change or resume the existing link", code="already_linked"
        )
