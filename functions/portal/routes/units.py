"""Customers' units."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body

from handoff.api.app import endpoint, new_app
from handoff.api.params import DEFAULT_LIMIT, Archived, Cursor, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.portal import repository, service
from handoff.portal.schemas import UnitCreate, UnitOut, UnitPage, UnitPatch

from . import CUSTOMER

app = new_app()


@endpoint(app, "GET", f"{CUSTOMER}/units", action=Action.UNIT_LIST, summary="A customer's units, by name")
def list_units(
    tenant_id: str,
    customer_id: str,
    access: Access,
    include_archived: Archived = False,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> UnitPage:
    return service.list_units(access, customer_id, include_archived, limit, cursor)


@endpoint(
    app,
    "POST",
    f"{CUSTOMER}/units",
    action=Action.UNIT_CREATE,
    status=HTTPStatus.CREATED,
    summary="Add a unit (vehicle, equipment) to a customer",
    prefetch=repository.customer_keys,
)
def create_unit(
    tenant_id: str, customer_id: str, body: Annotated[UnitCreate, Body()], access: Access
) -> UnitOut:
    return service.create_unit(access, customer_id, body)


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/units/<unit_id>",
    action=Action.UNIT_READ,
    summary="Read a unit",
    prefetch=repository.unit_keys,
)
def get_unit(tenant_id: str, unit_id: str, access: Access) -> UnitOut:
    return service.get_unit(access, unit_id)


@endpoint(
    app,
    "PATCH",
    "/tenants/<tenant_id>/units/<unit_id>",
    action=Action.UNIT_UPDATE,
    summary="Update a unit (portal users: readings and PO number only)",
    prefetch=repository.unit_keys,
)
def update_unit(tenant_id: str, unit_id: str, body: Annotated[UnitPatch, Body()], access: Access) -> UnitOut:
    return service.update_unit(access, unit_id, body)
