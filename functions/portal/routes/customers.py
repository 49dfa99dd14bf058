"""Customers: the list (a partner organization's too), adding, reading and editing one."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body

from handoff.api.app import endpoint, new_app
from handoff.api.params import DEFAULT_LIMIT, Archived, Cursor, Limit, NamePrefix
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.partners.public import partner_org_keys
from handoff.portal import repository, service
from handoff.portal.schemas import CustomerCreate, CustomerOut, CustomerPage, CustomerPatch

from . import CUSTOMER, CUSTOMERS

app = new_app()


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/partner-organizations/<partner_org_id>/customers",
    action=Action.PARTNER_ORG_READ,
    summary="A partner organization's customers: those naming it, then those of its org units",
    prefetch=partner_org_keys,
)
def partner_org_customers(
    tenant_id: str, partner_org_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> CustomerPage:
    """Read-only here: a customer names its organization, or its org unit does. A page may come back short
    (even empty) while `next_cursor` is set: follow it to the end."""
    return service.partner_org_customers(access, partner_org_id, limit, cursor)


@endpoint(
    app, "GET", CUSTOMERS, action=Action.CUSTOMER_LIST, summary="List customers (a portal user: its own)"
)
def list_customers(
    tenant_id: str,
    access: Access,
    name_prefix: NamePrefix = None,
    include_archived: Archived = False,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> CustomerPage:
    return service.list_customers(access, name_prefix, include_archived, limit, cursor)


@endpoint(
    app,
    "POST",
    CUSTOMERS,
    action=Action.CUSTOMER_CREATE,
    status=HTTPStatus.CREATED,
    summary="Create a customer",
)
def create_customer(tenant_id: str, body: Annotated[CustomerCreate, Body()], access: Access) -> CustomerOut:
    return service.create_customer(access, body)


@endpoint(
    app,
    "GET",
    CUSTOMER,
    action=Action.CUSTOMER_READ,
    summary="Read a customer",
    prefetch=repository.customer_keys,
)
def get_customer(tenant_id: str, customer_id: str, access: Access) -> CustomerOut:
    return service.get_customer(access, customer_id)


@endpoint(
    app,
    "PATCH",
    CUSTOMER,
    action=Action.CUSTOMER_UPDATE,
    summary="Update or archive a customer",
    prefetch=repository.customer_keys,
)
def update_customer(
    tenant_id: str, customer_id: str, body: Annotated[CustomerPatch, Body()], access: Access
) -> CustomerOut:
    return service.update_customer(access, customer_id, body)
