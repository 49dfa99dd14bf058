"""Request and response models of the accounts context. Write models forbid extra fields, so server-owned
fields (ids, tenant, status, versions, timestamps) can never be bound from input."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, Field, StringConstraints

from handoff.auth.policy import Role
from handoff.ids import TENANT_ID_PATTERN, ULID_PATTERN
from handoff.schema import Email, PatchModel, ReadModel, WriteModel


def _known_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError("not a known IANA time zone, e.g. 'Europe/Berlin'") from error
    if value not in available_timezones() and value != "UTC":
        raise ValueError("not a known IANA time zone, e.g. 'Europe/Berlin'")
    return value


TenantId = Annotated[str, StringConstraints(pattern=TENANT_ID_PATTERN, min_length=1, max_length=40)]
UserId = Annotated[str, StringConstraints(pattern=ULID_PATTERN)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
ApprovalLimit = Annotated[
    int,
    Field(
        ge=0, le=100_000_000_000, description="The most this member approves on one invoice (null: no limit)"
    ),
]
PartnerOrgId = Annotated[
    str,
    StringConstraints(pattern=ULID_PATTERN),
    Field(description="The partner organization a member with the partner role belongs to"),
]
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=40, pattern=r"^[0-9+() .-]+$")
]
TimeZone = Annotated[str, StringConstraints(max_length=64), AfterValidator(_known_timezone)]
Roles = Annotated[list[Role], Field(min_length=1, max_length=len(Role))]


TaxRate = Annotated[int, Field(ge=0, le=10_000, description="Basis points: 1900 is 19 %; may be zero")]
InvitationDays = Annotated[
    int, Field(ge=1, le=90, description="How many days an invitation this tenant sends stays open")
]
OfferWindowHours = Annotated[
    int, Field(ge=1, le=720, description="How many hours an offer this tenant makes waits for its answer")
]
AcceptsWork = Annotated[
    bool,
    Field(
        description="May accept, counter and decline the work linked owners offer this tenant (its admins "
        "always may)"
    ),
]


class TenantCreate(WriteModel):
    tenant_id: TenantId = Field(description="The tenant's slug: lowercase letters, digits and dashes")
    name: Name
    contact_email: Email | None = None
    phone: Phone | None = None
    timezone: TimeZone = "UTC"


class TenantPatch(PatchModel):
    clearable = frozenset({"contact_email", "phone"})

    name: Name | None = None
    contact_email: Email | None = None
    phone: Phone | None = None
    timezone: TimeZone | None = None
    tax_rate_bp: TaxRate | None = None
    invitation_ttl_days: InvitationDays | None = None
    offer_window_hours: OfferWindowHours | None = None


class TenantOut(ReadModel):
    tenant_id: str
    name: str
    contact_email: str | None
    phone: str | None
    timezone: str
    tax_rate_bp: int = Field(description="Tax on estimates and invoices, in basis points (1900 = 19 %)")
    invitation_ttl_days: int = Field(description="How many days the invitations this tenant sends stay open")
    offer_window_hours: int = Field(description="The default acceptance window of the offers it makes")
    status: str
    version: int
    created_at: datetime
    updated_at: datetime


class MemberCreate(WriteModel):
    email: Email
    name: Name
    roles: Roles
    active: bool = True
    can_login: bool = True
    accepts_work: AcceptsWork = False


class MemberPatch(PatchModel):
    """`partner_org_id` puts a member with the partner role in a partner organization (`null`: out)."""

    clearable: ClassVar[frozenset[str]] = frozenset({"partner_org_id", "approval_limit_cents"})

    name: Name | None = None
    roles: Roles | None = None
    active: bool | None = None
    can_login: bool | None = None
    accepts_work: AcceptsWork | None = None
    partner_org_id: PartnerOrgId | None = None
    approval_limit_cents: ApprovalLimit | None = None


StaffRole = Literal["admin", "dispatcher", "technician", "partner"]


def _technician() -> list[StaffRole]:
    return ["technician"]


class ResourceCreate(WriteModel):
    """One of the partner company's people: a staff member of its own instance."""

    email: Email
    name: Name
    roles: Annotated[list[StaffRole], Field(min_length=1, max_length=4)] = Field(default_factory=_technician)
    accepts_work: AcceptsWork = False

    def as_member(self) -> "MemberCreate":
        return MemberCreate(
            email=self.email,
            name=self.name,
            roles=[Role(r) for r in self.roles],
            accepts_work=self.accepts_work,
        )


class ResourcePatch(PatchModel):
    """Rename, change roles, deactivate (`active: false`) or reactivate, and allow or stop accepting work."""

    name: Name | None = None
    roles: Annotated[list[StaffRole], Field(min_length=1, max_length=4)] | None = None
    active: bool | None = None
    accepts_work: AcceptsWork | None = None

    def as_member(self) -> "MemberPatch":
        fields = self.model_dump(exclude_unset=True)
        if "roles" in fields:
            fields["roles"] = [Role(r) for r in fields["roles"]]
        return MemberPatch.model_validate(fields)


class TechnicianAdd(WriteModel):
    """A member with the partner role, put in this partner organization (moved from another)."""

    user_id: Annotated[str, StringConstraints(pattern=ULID_PATTERN)]


class MemberOut(ReadModel):
    tenant_id: str
    user_id: str
    email: str
    name: str
    roles: list[Role]
    active: bool
    can_login: bool
    accepts_work: bool = Field(description="May accept offered work for this tenant (its admins always may)")
    partner_org_id: str | None = Field(
        default=None, description="The partner organization a partner user belongs to"
    )
    approval_limit_cents: int | None = Field(default=None, description="The most this member approves")
    merged_into: str | None
    invited_until: datetime | None = Field(
        default=None, description="An existing login added here: invited until then, unless it accepts"
    )
    version: int
    created_at: datetime
    updated_at: datetime


class MemberPage(ReadModel):
    items: list[MemberOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to read the next page; null on the last page"
    )


class MergeRequest(WriteModel):
    duplicate_user_ids: Annotated[list[UserId], Field(min_length=1, max_length=10)]


class MergeOut(ReadModel):
    survivor: MemberOut
    retired_user_ids: list[str]
    audit_id: str


class AccessResetOut(ReadModel):
    user_id: str
    status: Literal["reset_requested"] = "reset_requested"
    message: str = Field(
        "the login's password is being reset: its owner receives a code by e-mail to choose a new one",
        description="What happens next",
    )


class Company(ReadModel):
    customer_id: str
    name: str


class Place(ReadModel):
    """Somewhere the caller can work ("You are working in"): as a member, or through a servicer link."""

    kind: Literal["member", "servicer"]
    tenant_id: str
    tenant_name: str | None = Field(default=None, description="The instance's name, for the switcher")
    roles: list[Role] = Field(description="Roles held there (for a servicer place: in the servicer instance)")
    active: bool
    can_login: bool
    via_servicer: str | None = Field(
        default=None, description="The servicer instance whose link reaches here"
    )
    link_status: str | None = Field(default=None, description="active or suspended")
    customer_ids: list[str] = Field(default=[], description="A portal account's client companies there")
    companies: list[Company] = Field(default=[], description="The same companies, with their names")


class InvitationAnswer(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"


class Invitation(ReadModel):
    """An instance asking this login to become its member: nothing of it is open to the login until it
    accepts (`POST /me/invitations/{invitation_id}/accept`)."""

    tenant_id: str
    tenant_name: str | None = None
    roles: list[Role]
    invitation_id: str
    invited_until: datetime | None


class MePatch(PatchModel):
    """The caller's own profile: the name others see where no membership names it otherwise, and a phone."""

    clearable = frozenset({"phone"})

    name: Name | None = None
    phone: Phone | None = None


class MeOut(ReadModel):
    user_id: str
    email: str
    name: str
    phone: str | None = None
    status: str
    version: int = Field(default=0, description="The profile's version (If-Match on PATCH /me)")
    places: list[Place]
    invitations: list[Invitation] = Field(default=[], description="Memberships offered, not yet accepted")
