"""Request and response models of partner organizations and their banners."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from handoff.ids import ULID_PATTERN
from handoff.partners.domain import MAX_BANNER_BYTES
from handoff.schema import Email, PatchModel, WriteModel

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class PartnerOrgCreate(WriteModel):
    name: Name
    contact_email: Email | None = None


class PartnerOrgPatch(PatchModel):
    """Rename, archive or restore, and turn its custom banner on or off; `null` clears the contact."""

    clearable = frozenset({"contact_email"})

    name: Name | None = None
    contact_email: Email | None = None
    archived: bool | None = None
    use_custom_banner: bool | None = Field(
        default=None, description="Its customers' portal shows its banner (on), or the tenant's default (off)"
    )


class PartnerOrgOut(BaseModel):
    partner_org_id: str
    name: str
    contact_email: str | None
    archived: bool
    use_custom_banner: bool
    has_banner: bool = Field(description="A validated banner is published")
    banner_updated_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class PartnerOrgPage(BaseModel):
    items: list[PartnerOrgOut]
    next_cursor: str | None


Id = Annotated[str, StringConstraints(pattern=ULID_PATTERN)]


class OrgUnitCreate(WriteModel):
    name: Name
    partner_org_id: Id | None = Field(
        default=None, description="The partner organization whose customers this unit's customers are"
    )


class OrgUnitPatch(PatchModel):
    """Rename, archive or restore, and associate with a partner organization (`null`: with none)."""

    clearable = frozenset({"partner_org_id"})

    name: Name | None = None
    partner_org_id: Id | None = None
    archived: bool | None = None


class OrgUnitOut(BaseModel):
    org_unit_id: str
    name: str
    partner_org_id: str | None
    archived: bool
    version: int
    created_at: datetime
    updated_at: datetime


class OrgUnitPage(BaseModel):
    items: list[OrgUnitOut]
    next_cursor: str | None


class BannerUploadIn(WriteModel):
    size_bytes: int = Field(ge=1, le=MAX_BANNER_BYTES, description="The PNG's size: at most 64 KiB")


class BannerUploadOut(BaseModel):
    upload_id: str
    url: str
    fields: dict[str, str] = Field(description="Post them with the file (last) as multipart/form-data")
    expires_at: datetime


class BrandingOut(BaseModel):
    source: Literal["partner_organization", "default"]
    partner_org_id: str | None
    banner_url: str | None = Field(description="A presigned URL valid for minutes; none: the default look")
