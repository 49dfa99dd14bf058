"""Request and response models of partner organizations and their banners."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from handoff.ids import ULID_PATTERN
from handoff.partners.domain import MAX_BANNER_BYTES, MAX_LAYER_MEMBERS, MAX_LAYERS
from handoff.schema import Email, PatchModel, ReadModel, WriteModel
from handoff.tickets.terms import TermsIn

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


class PartnerOrgOut(ReadModel):
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


class PartnerOrgPage(ReadModel):
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


class OrgUnitOut(ReadModel):
    org_unit_id: str
    name: str
    partner_org_id: str | None
    archived: bool
    version: int
    created_at: datetime
    updated_at: datetime


class OrgUnitPage(ReadModel):
    items: list[OrgUnitOut]
    next_cursor: str | None


class BannerUploadIn(WriteModel):
    size_bytes: int = Field(ge=1, le=MAX_BANNER_BYTES, description="The PNG's size: at most 64 KiB")


class BannerUploadOut(ReadModel):
    upload_id: str
    url: str
    fields: dict[str, str] = Field(description="Post them with the file (last) as multipart/form-data")
    expires_at: datetime


class DefaultBannerOut(ReadModel):
    has_banner: bool = Field(description="A validated default banner is published")
    banner_updated_at: datetime | None


class BrandingOut(ReadModel):
    source: Literal["partner_organization", "tenant", "default"] = Field(
        description="Its partner organization's banner, the tenant's default banner, or the standard look"
    )
    partner_org_id: str | None
    banner_url: str | None = Field(description="A presigned URL valid for minutes; none: the default look")


class LayerIn(WriteModel):
    """One escalation layer: who works the team's requests at this level, and how long they have to answer
    (start the work) before the request moves on to the next layer."""

    members: list[Id] = Field(
        default_factory=list,
        max_length=MAX_LAYER_MEMBERS,
        description="Internal technicians and partner users (a partner user must belong to an organization)",
    )
    response_minutes: int = Field(default=60, ge=1, le=7 * 24 * 60)

    @model_validator(mode="after")
    def _distinct(self) -> "LayerIn":
        if len(set(self.members)) != len(self.members):
            raise ValueError("name each member once in a layer")
        return self


Layers = Annotated[list[LayerIn], Field(min_length=1, max_length=MAX_LAYERS)]
VendorTerms = Annotated[
    TermsIn,
    Field(description="What an offer to the preferred vendor proposes when the team routes outward"),
]


class TeamCreate(WriteModel):
    name: Name
    layers: Layers
    routes_outward: bool = Field(
        default=False,
        description="When a layer has no one to take a request, offer it to the preferred vendor",
    )
    vendor_terms: VendorTerms | None = None


class TeamPatch(PatchModel):
    """Rename, archive or restore, replace the layers, route outward or not; `null` clears the vendor
    terms."""

    clearable = frozenset({"vendor_terms"})

    name: Name | None = None
    layers: Layers | None = None
    routes_outward: bool | None = None
    vendor_terms: VendorTerms | None = None
    archived: bool | None = None


class LayerOut(ReadModel):
    members: list[str]
    response_minutes: int


class TeamOut(ReadModel):
    team_id: str
    name: str
    layers: list[LayerOut]
    routes_outward: bool
    vendor_terms: dict[str, object] | None
    archived: bool
    version: int
    created_at: datetime
    updated_at: datetime


class TeamPage(ReadModel):
    items: list[TeamOut]
    next_cursor: str | None
