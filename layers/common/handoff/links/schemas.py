"""Request and response models for servicer links."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from handoff.schema import PatchModel, TenantId, WriteModel


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


class LinkHistoryEntry(BaseModel):
    at: datetime
    by: str
    change: str
    status: str
    flags: dict[str, bool]
    location_id: str | None = None


class LinkOut(BaseModel):
    owner_id: str
    servicer_id: str
    status: str
    can_manage_locations: bool
    restricted_locations: bool
    require_admin_approval: bool
    preferred_vendor: bool
    approved_location_ids: list[str]
    history: list[LinkHistoryEntry]
    created_by: str
    version: int
    created_at: datetime
    updated_at: datetime


class LinkPage(BaseModel):
    items: list[LinkOut]
    next_cursor: str | None


class LinkedOwner(BaseModel):
    """An owner instance this servicer works in, and what the link allows."""

    owner_id: str
    status: str
    can_manage_locations: bool
    restricted_locations: bool
    require_admin_approval: bool
    preferred_vendor: bool


class LinkedOwnerPage(BaseModel):
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
