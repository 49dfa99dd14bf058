"""A partner organization's technicians."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body

from handoff.accounts import repository, service
from handoff.accounts.schemas import MemberOut, MemberPage, TechnicianAdd
from handoff.api.app import endpoint, new_app
from handoff.api.params import DEFAULT_LIMIT, Cursor, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.partners.public import partner_org_keys

from . import TECHNICIANS

app = new_app()


@endpoint(
    app,
    "GET",
    TECHNICIANS,
    action=Action.MEMBER_LIST,
    summary="A partner organization's technicians",
    prefetch=partner_org_keys,
)
def list_technicians(
    tenant_id: str, partner_org_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> MemberPage:
    """Its members with the partner role, by name (the association is the membership's `partner_org_id`):
    member records, so those who may list members read them."""
    return service.technicians(access, partner_org_id, limit, cursor)


@endpoint(
    app,
    "POST",
    TECHNICIANS,
    action=Action.MEMBER_UPDATE,
    summary="Put a member with the partner role in the organization",
    prefetch=partner_org_keys,
)
def add_technician(
    tenant_id: str, partner_org_id: str, body: Annotated[TechnicianAdd, Body()], access: Access
) -> MemberOut:
    return service.add_technician(access, partner_org_id, body.user_id)


@endpoint(
    app,
    "DELETE",
    f"{TECHNICIANS}/<user_id>",
    action=Action.MEMBER_UPDATE,
    summary="Take a technician out of the organization",
    prefetch=repository.member_keys,
)
def remove_technician(tenant_id: str, partner_org_id: str, user_id: str, access: Access) -> MemberOut:
    """They stay a member; teams refuse a partner user who belongs to no organization."""
    return service.remove_technician(access, partner_org_id, user_id)
