"""Partner organizations: the outside technicians' companies inside a tenant, their banners (the upload; its
check is the banner function's), and the branding a portal user's company shows."""

from handoff import coldstart  # isort: split

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.api.app import endpoint, lambda_entry, new_app, parse_if_match
from handoff.api.params import DEFAULT_LIMIT, Archived, Cursor, IfMatch, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.ids import ULID_PATTERN
from handoff.partners import repository, service
from handoff.partners.schemas import (
    BannerUploadIn,
    BannerUploadOut,
    BrandingOut,
    OrgUnitCreate,
    OrgUnitOut,
    OrgUnitPage,
    OrgUnitPatch,
    PartnerOrgCreate,
    PartnerOrgOut,
    PartnerOrgPage,
    PartnerOrgPatch,
    TeamCreate,
    TeamOut,
    TeamPage,
    TeamPatch,
)

app = new_app()

ORGS = "/tenants/<tenant_id>/partner-organizations"
ORG = f"{ORGS}/<partner_org_id>"


@endpoint(app, "GET", ORGS, action=Action.PARTNER_ORG_LIST, summary="Partner organizations by name")
def list_partner_orgs(
    tenant_id: str,
    access: Access,
    name_prefix: Annotated[str | None, Query(min_length=1, max_length=120)] = None,
    include_archived: Archived = False,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> PartnerOrgPage:
    return service.list_(access, name_prefix, include_archived, limit, cursor)


@endpoint(
    app,
    "POST",
    ORGS,
    action=Action.PARTNER_ORG_CREATE,
    status=HTTPStatus.CREATED,
    summary="Add a partner organization",
)
def create_partner_org(
    tenant_id: str, body: Annotated[PartnerOrgCreate, Body()], access: Access
) -> PartnerOrgOut:
    return service.create(access, body)


@endpoint(
    app,
    "GET",
    ORG,
    action=Action.PARTNER_ORG_READ,
    summary="A partner organization",
    prefetch=repository.partner_org_keys,
)
def get_partner_org(tenant_id: str, partner_org_id: str, access: Access) -> PartnerOrgOut:
    return service.get(access, partner_org_id)


@endpoint(
    app,
    "PATCH",
    ORG,
    action=Action.PARTNER_ORG_UPDATE,
    summary="Rename, archive or restore a partner organization; turn its custom banner on or off",
    prefetch=repository.partner_org_keys,
)
def update_partner_org(
    tenant_id: str,
    partner_org_id: str,
    body: Annotated[PartnerOrgPatch, Body()],
    access: Access,
    if_match: IfMatch = None,
) -> PartnerOrgOut:
    return service.update(access, partner_org_id, body, parse_if_match(if_match))


@endpoint(
    app,
    "POST",
    f"{ORG}/banner/upload",
    action=Action.BANNER_UPLOAD,
    summary="A presigned upload for the organization's banner (a 500x70 PNG of at most 64 KiB)",
    prefetch=repository.partner_org_keys,
)
def upload_banner(
    tenant_id: str, partner_org_id: str, body: Annotated[BannerUploadIn, Body()], access: Access
) -> BannerUploadOut:
    """POST the file to `url` with `fields`, then confirm it (`…/banner/confirm`): nothing is served before
    the check."""
    return service.start_banner_upload(access, partner_org_id, body)


@endpoint(
    app,
    "POST",
    "/tenants/<tenant_id>/portal/banner/upload",
    action=Action.BANNER_UPLOAD,
    summary="A presigned upload for the tenant's default banner (a 500x70 PNG of at most 64 KiB)",
    prefetch=repository.branding_keys,
)
def upload_default_banner(
    tenant_id: str, body: Annotated[BannerUploadIn, Body()], access: Access
) -> BannerUploadOut:
    """What the portal shows a customer whose partner organization shows no banner of its own; confirm it
    (`…/portal/banner/confirm`): nothing is served before the check."""
    return service.start_banner_upload(access, None, body)


@endpoint(
    app,
    "GET",
    f"{ORG}/org-units",
    action=Action.PARTNER_ORG_READ,
    summary="A partner organization's org units, by name",
    prefetch=repository.partner_org_keys,
)
def list_partner_org_units(
    tenant_id: str, partner_org_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> OrgUnitPage:
    """The association is made on the org unit (`PATCH /tenants/{tenant_id}/org-units/{org_unit_id}`)."""
    return service.org_units_of(access, partner_org_id, limit, cursor)


UNITS = "/tenants/<tenant_id>/org-units"


@endpoint(app, "GET", UNITS, action=Action.ORG_UNIT_LIST, summary="Org units by name")
def list_org_units(
    tenant_id: str,
    access: Access,
    name_prefix: Annotated[str | None, Query(min_length=1, max_length=120)] = None,
    include_archived: Archived = False,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> OrgUnitPage:
    return service.list_org_units(access, name_prefix, include_archived, limit, cursor)


@endpoint(
    app, "POST", UNITS, action=Action.ORG_UNIT_CREATE, status=HTTPStatus.CREATED, summary="Add an org unit"
)
def create_org_unit(tenant_id: str, body: Annotated[OrgUnitCreate, Body()], access: Access) -> OrgUnitOut:
    return service.create_org_unit(access, body)


@endpoint(
    app,
    "GET",
    f"{UNITS}/<org_unit_id>",
    action=Action.ORG_UNIT_READ,
    summary="An org unit",
    prefetch=repository.org_unit_keys,
)
def get_org_unit(tenant_id: str, org_unit_id: str, access: Access) -> OrgUnitOut:
    return service.get_org_unit(access, org_unit_id)


@endpoint(
    app,
    "PATCH",
    f"{UNITS}/<org_unit_id>",
    action=Action.ORG_UNIT_UPDATE,
    summary="Rename, archive or restore an org unit; associate it with a partner organization",
    prefetch=repository.org_unit_keys,
)
def update_org_unit(
    tenant_id: str,
    org_unit_id: str,
    body: Annotated[OrgUnitPatch, Body()],
    access: Access,
    if_match: IfMatch = None,
) -> OrgUnitOut:
    return service.update_org_unit(access, org_unit_id, body, parse_if_match(if_match))


TEAMS = "/tenants/<tenant_id>/teams"


@endpoint(app, "GET", TEAMS, action=Action.TEAM_LIST, summary="Teams by name")
def list_teams(
    tenant_id: str,
    access: Access,
    name_prefix: Annotated[str | None, Query(min_length=1, max_length=120)] = None,
    include_archived: Archived = False,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> TeamPage:
    return service.list_teams(access, name_prefix, include_archived, limit, cursor)


@endpoint(app, "POST", TEAMS, action=Action.TEAM_CREATE, status=HTTPStatus.CREATED, summary="Add a team")
def create_team(tenant_id: str, body: Annotated[TeamCreate, Body()], access: Access) -> TeamOut:
    """A ticket logged for the team (`team_id`) goes to someone of its first layer: the partner users of the
    customer's partner organization first, then internal technicians, then (routing outward) the preferred
    vendor; the least loaded, then in turn. Unanswered within the layer's `response_minutes`, it escalates to
    the next layer."""
    return service.create_team(access, body)


@endpoint(
    app, "GET", f"{TEAMS}/<team_id>", action=Action.TEAM_READ, summary="A team", prefetch=repository.team_keys
)
def get_team(tenant_id: str, team_id: str, access: Access) -> TeamOut:
    return service.get_team(access, team_id)


@endpoint(
    app,
    "PATCH",
    f"{TEAMS}/<team_id>",
    action=Action.TEAM_UPDATE,
    summary="Rename, archive or restore a team; replace its layers; route outward or not",
    prefetch=repository.team_keys,
)
def update_team(
    tenant_id: str,
    team_id: str,
    body: Annotated[TeamPatch, Body()],
    access: Access,
    if_match: IfMatch = None,
) -> TeamOut:
    return service.update_team(access, team_id, body, parse_if_match(if_match))


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/portal/branding",
    action=Action.BRANDING_READ,
    summary="The banner a portal user's company shows (its partner organization's, or the default)",
)
def branding(
    tenant_id: str,
    access: Access,
    customer_id: Annotated[
        str | None, Query(pattern=ULID_PATTERN, description="One of your companies; default: the first")
    ] = None,
) -> BrandingOut:
    return service.branding(access, customer_id)


lambda_handler = lambda_entry(app)

coldstart.ready()
