"""A ticket's costs (materials, travel, other)."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body

from handoff.api.app import endpoint, new_app
from handoff.api.params import DEFAULT_LIMIT, Cursor, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.tickets import costs, repository
from handoff.tickets.schemas.costs import CostCreate, CostOut, CostPage

from . import TICKET

app = new_app()


@endpoint(
    app,
    "GET",
    f"{TICKET}/costs",
    action=Action.COST_LIST,
    summary="A ticket's costs, oldest first",
    prefetch=repository.ticket_keys,
)
def list_costs(
    tenant_id: str, ticket_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> CostPage:
    return costs.list_(access, ticket_id, limit, cursor)


@endpoint(
    app,
    "POST",
    f"{TICKET}/costs",
    action=Action.COST_CREATE,
    status=HTTPStatus.CREATED,
    summary="Log a cost (materials, travel, other), billed with the accepted markup",
    prefetch=repository.ticket_keys,
)
def log_cost(tenant_id: str, ticket_id: str, body: Annotated[CostCreate, Body()], access: Access) -> CostOut:
    return costs.log(access, ticket_id, body)
