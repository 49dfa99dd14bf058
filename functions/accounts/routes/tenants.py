"""Tenants: creating one, reading and editing it."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body

from handoff.accounts import repository, service
from handoff.accounts.schemas import TenantCreate, TenantOut, TenantPatch
from handoff.api.app import endpoint, new_app, parse_if_match
from handoff.api.params import IfMatch
from handoff.auth.access import Access
from handoff.auth.policy import Action

app = new_app()


@endpoint(
    app, "POST", "/tenants", action=Action.TENANT_CREATE, status=HTTPStatus.CREATED, summary="Create a tenant"
)
def create_tenant(body: Annotated[TenantCreate, Body()], access: Access) -> TenantOut:
    """The caller becomes the new tenant's first system_admin."""
    return service.create_tenant(access, body)


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>",
    action=Action.TENANT_READ,
    summary="Read the tenant's profile",
    prefetch=repository.tenant_keys,
)
def get_tenant(tenant_id: str, access: Access) -> TenantOut:
    return service.get_tenant(access)


@endpoint(
    app,
    "PATCH",
    "/tenants/<tenant_id>",
    action=Action.TENANT_UPDATE,
    summary="Update the tenant's profile",
    prefetch=repository.tenant_keys,
)
def update_tenant(
    tenant_id: str, body: Annotated[TenantPatch, Body()], access: Access, if_match: IfMatch = None
) -> TenantOut:
    return service.update_tenant(access, body, parse_if_match(if_match))
