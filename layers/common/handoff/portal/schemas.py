"""Request and response models of the portal context."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from handoff.ids import ULID_PATTERN
from handoff.schema import Email, PatchModel, ReadModel, WriteModel

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=40, pattern=r"^[0-9+() .-]+$")
]
CustomerId = Annotated[str, StringConstraints(pattern=ULID_PATTERN)]
Reading = Annotated[float, Field(ge=0, le=100_000_000)]
UnitKind = Literal["vehicle", "equipment", "other"]


PartnerOrgId = Annotated[
    str,
    StringConstraints(pattern=ULID_PATTERN),
    Field(description="The partner organization whose customer it is: its people get its requests first"),
]


OrgUnitId = Annotated[
    str, StringConstraints(pattern=ULID_PATTERN), Field(description="The org unit the customer belongs to")
]


class CustomerCreate(WriteModel):
    name: Name
    contact_email: Email | None = None
    phone: Phone | None = None
    requires_invoice_authorization: bool = False
    partner_org_id: PartnerOrgId | None = None
    org_unit_id: OrgUnitId | None = None


class CustomerPatch(PatchModel):
    clearable = frozenset({"contact_email", "phone", "partner_org_id", "org_unit_id"})

    name: Name | None = None
    contact_email: Email | None = None
    phone: Phone | None = None
    requires_invoice_authorization: bool | None = None
    partner_org_id: PartnerOrgId | None = None
    org_unit_id: OrgUnitId | None = None
    archived: bool | None = None


class CustomerOut(ReadModel):
    customer_id: str
    name: str
    contact_email: str | None
    phone: str | None
    requires_invoice_authorization: bool
    partner_org_id: str | None
    org_unit_id: str | None
    archived: bool
    version: int
    created_at: datetime
    updated_at: datetime


class CustomerPage(ReadModel):
    items: list[CustomerOut]
    next_cursor: str | None


class UnitCreate(WriteModel):
    name: Name
    kind: UnitKind = "vehicle"
    identifier: Text | None = Field(default=None, description="VIN, serial or asset number")
    make: Text | None = None
    model: Text | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)
    odometer: Reading | None = None
    hours: Reading | None = None
    po_number: Text | None = None


class UnitPatch(PatchModel):
    """Portal users may change only `odometer`, `hours` and `po_number` of their own units."""

    clearable = frozenset({"identifier", "make", "model", "year", "po_number"})

    name: Name | None = None
    kind: UnitKind | None = None
    identifier: Text | None = None
    make: Text | None = None
    model: Text | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)
    odometer: Reading | None = None
    hours: Reading | None = None
    po_number: Text | None = None
    archived: bool | None = None


class UnitOut(ReadModel):
    unit_id: str
    customer_id: str
    name: str
    kind: str
    identifier: str | None
    make: str | None
    model: str | None
    year: int | None
    odometer: float | None
    hours: float | None
    po_number: str | None
    archived: bool
    version: int
    created_at: datetime
    updated_at: datetime


class UnitPage(ReadModel):
    items: list[UnitOut]
    next_cursor: str | None


class PortalAccountCreate(WriteModel):
    email: Email
    name: Name
    role: Literal["customer", "client_rep_manager"] = Field(
        description="customer: a customer's own user; client_rep_manager: a client-side manager of companies"
    )
    customer_ids: Annotated[list[CustomerId], Field(min_length=1, max_length=50)]


class PortalAccountPatch(PatchModel):
    name: Name | None = None
    active: bool | None = None
    can_login: bool | None = None


class PortalAccountOut(ReadModel):
    user_id: str
    email: str
    name: str
    role: str
    customer_ids: list[str]
    active: bool
    can_login: bool
    invited_until: datetime | None = Field(
        default=None, description="An existing login: invited until then, unless it accepts"
    )
    version: int
    created_at: datetime
    updated_at: datetime


class PortalAccountPage(ReadModel):
    items: list[PortalAccountOut]
    next_cursor: str | None
