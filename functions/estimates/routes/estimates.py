"""Estimates: the list (a unit's too), drafting, reading, editing and their steps."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.api.app import endpoint, new_app, parse_if_match
from handoff.api.params import DEFAULT_LIMIT, Cursor, IfMatch, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.estimates import repository, service
from handoff.estimates.domain import Action as Step
from handoff.estimates.domain import EstimateStatus, permission_for
from handoff.estimates.schemas import (
    EstimateAction,
    EstimateCreate,
    EstimateOut,
    EstimatePage,
    EstimatePatch,
    EstimateStep,
    EstimateSummaryPage,
)
from handoff.ids import ULID_PATTERN

from . import ESTIMATE, ESTIMATES

app = new_app()


@endpoint(app, "GET", ESTIMATES, action=Action.ESTIMATE_LIST, summary="The estimate board, newest first")
def list_estimates(
    tenant_id: str,
    access: Access,
    status: Annotated[
        EstimateStatus, Query(description="The board's column")
    ] = EstimateStatus.AWAITING_CUSTOMER,
    customer_id: Annotated[str | None, Query(pattern=ULID_PATTERN, description="One customer's")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> EstimatePage:
    """Shop: one status at a time (draft, awaiting_customer, disputed, approved, ...); a portal user: its
    company's estimates (name `customer_id` when it has several)."""
    return service.list_(access, status, customer_id, limit, cursor)


@endpoint(
    app,
    "POST",
    ESTIMATES,
    action=Action.ESTIMATE_CREATE,
    status=HTTPStatus.CREATED,
    summary="Write an estimate for a unit",
    prefetch=repository.tenant_keys,
)
def create_estimate(tenant_id: str, body: Annotated[EstimateCreate, Body()], access: Access) -> EstimateOut:
    """Labour lines with the parts under them; every total is computed by the server."""
    return service.create(access, body)


@endpoint(
    app, "GET", ESTIMATE, action=Action.ESTIMATE_READ, summary="An estimate", prefetch=repository.read_keys
)
def get_estimate(tenant_id: str, estimate_id: str, access: Access) -> EstimateOut:
    return service.get(access, estimate_id)


@endpoint(
    app,
    "PATCH",
    ESTIMATE,
    action=Action.ESTIMATE_UPDATE,
    summary="Adjust a draft's or a disputed estimate's lines",
    prefetch=repository.read_keys,
)
def update_estimate(
    tenant_id: str,
    estimate_id: str,
    body: Annotated[EstimatePatch, Body()],
    access: Access,
    if_match: IfMatch = None,
) -> EstimateOut:
    return service.update(access, estimate_id, body, parse_if_match(if_match))


@endpoint(
    app,
    "POST",
    f"{ESTIMATE}/<action>",
    action=Action.ESTIMATE_ACT,
    summary="submit, approve, decline, dispute, acknowledge-dispute, resubmit, revise or note",
    prefetch=repository.read_keys,
    action_of=lambda path: permission_for(path.get("action", "")),
)
def act_on_estimate(
    tenant_id: str,
    estimate_id: str,
    action: EstimateAction,
    body: Annotated[EstimateStep, Body()],
    access: Access,
) -> EstimateOut:
    """The shop submits, acknowledges a dispute, resubmits and revises; the customer approves (all labour
    lines, or `line_ids`), declines (with a reason) or disputes (`items`, each with a note)."""
    return service.act(access, estimate_id, Step(action.value), body)


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/units/<unit_id>/estimates",
    action=Action.ESTIMATE_LIST,
    summary="A unit's estimates, newest first",
    prefetch=repository.unit_keys,
)
def list_unit_estimates(
    tenant_id: str, unit_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> EstimateSummaryPage:
    return service.of_unit(access, unit_id, limit, cursor)
