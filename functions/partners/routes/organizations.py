"""Partner organizations: the list, adding, reading and editing one."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body

from handoff.api.app import endpoint, new_app, parse_if_match
from handoff.api.params import DEFAULT_LIMIT, Archived, Cursor, IfMatch, Limit, NamePrefix
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.partners import repository, service
from handoff.partners.schemas import PartnerOrgCreate, PartnerOrgOut, PartnerOrgPage, PartnerOrgPatch

from . import ORG, ORGS

app = new_app()


@endpoint(app, "GET", ORGS, action=Action.PARTNER_ORG_LIST, summary="Partner organizations by name")
def list_partner_orgs(
    tenant_id: str,
    access: Access,
    name_prefix: NamePrefix = None,
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
