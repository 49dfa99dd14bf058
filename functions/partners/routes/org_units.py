"""Org units (a partner organization's too)."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body

from handoff.api.app import endpoint, new_app, parse_if_match
from handoff.api.params import DEFAULT_LIMIT, Archived, Cursor, IfMatch, Limit, NamePrefix
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.partners import repository, service
from handoff.partners.schemas import OrgUnitCreate, OrgUnitOut, OrgUnitPage, OrgUnitPatch

from . import ORG, UNITS

app = new_app()


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


@endpoint(app, "GET", UNITS, action=Action.ORG_UNIT_LIST, summary="Org units by name")
def list_org_units(
    tenant_id: str,
    access: Access,
    name_prefix: NamePrefix = None,
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
