"""Request and response models for servicer links."""

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field

from handoff.schema import PatchModel, ReadModel, TenantId, WriteModel


class LinkCreate(WriteModel):
    servicer_id: TenantId = Field(description="The contractor's instance (tenant id)")
    can_manage_locations: bool = False
    restricted_locations: bool = False
    require_admin_approval: bool = False
    preferred_vendor: bool = False


class LinkPatch(PatchModel):
    can_manage_locations: bool | None = None
    restricted_locations: bool | None = None
    require_admin_approval: bool | None = None
    preferred_vendor: bool | None = None
    status: Literal["active", "suspended"] | None = Field(
        default=None, description="suspended blocks the servicer at once; active resumes"
    )


class LinkHistoryEntry(ReadModel):
    at: datetime
    by: str
    change: str
    status: str
    flags: dict[str, bool]
    location_id: str | None = None


class LinkOut(ReadModel):
    owner_id: str
    servicer_id: str
    status: str = Field(
        description="invited (until the servicer's system admin answers), active, suspended, revoked, "
        "declined or expired"
    )
    can_manage_locations: bool
    restricted_locations: bool
    require_admin_approval: bool
    preferred_vendor: bool
    invited_until: datetime | None = Field(description="While invited: when the invitation expires")
    approved_location_ids: list[str]
    history: list[LinkHistoryEntry]
    created_by: str
    version: int
    created_at: datetime
    updated_at: datetime


class InvitationAnswer(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"


class InvitationOut(ReadModel):
    """An owner's invitation to this instance, as its system admin sees it before answering."""

    owner_id: str
    status: str = Field(description="invited; after an answer: active or declined")
    can_manage_locations: bool
    restricted_locations: bool
    require_admin_approval: bool
    preferred_vendor: bool
    invited_until: datetime | None = Field(description="When the invitation expires unanswered")
    invited_at: datetime


class InvitationPage(ReadModel):
    items: list[InvitationOut]
    next_cursor: str | None


class LinkPage(ReadModel):
    items: list[LinkOut]
    next_cursor: str | None


class LinkedOwner(ReadModel):
    """An owner instance this servicer works in, and what the link allows."""

    owner_id: str
    status: str
    can_manage_locations: bool
    restricted_locations: bool
    require_admin_approval: bool
    preferred_vendor: bool


class LinkedOwnerPage(ReadModel):
    items: list[LinkedOwner]
    next_cursor: str | None


def link_fields(item: Any) -> dict[str, Any]:
    return {
        "owner_id": item.owner_id,
        "servicer_id": item.servicer_id,
        "status": item.status,
        "can_manage_locations": item.can_manage_locations,
        "restricted_locations": item.restricted_locations,
        "require_admin_approval": item.require_admin_approval,
        "preferred_vendor": item.preferred_vendor,
    }
