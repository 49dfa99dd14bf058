"""The service board of approved labour, work orders, clocking on and off, and time corrections."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.api.app import endpoint, new_app
from handoff.api.params import DEFAULT_LIMIT, Cursor, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.ids import ULID_PATTERN
from handoff.portal.public import unit_keys
from handoff.tickets import repository, workorders
from handoff.tickets.schemas import ActivityOut, TicketOut
from handoff.tickets.schemas.work_orders import (
    ClockOff,
    ClockOn,
    TimeEntryCorrection,
    WorkOrderStatusPage,
    WorkRequiredPage,
)

from . import TICKET, UNIT

app = new_app()


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/work-required",
    action=Action.WORK_REQUIRED_LIST,
    summary="The service board: work required from approved estimates, oldest first",
)
def list_work_required(
    tenant_id: str,
    access: Access,
    unit_id: Annotated[str | None, Query(pattern=ULID_PATTERN, description="One unit's")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> WorkRequiredPage:
    """Open work, and work in progress on a work order, until its unit is ready."""
    return workorders.board(access, unit_id, limit, cursor)


@endpoint(
    app,
    "GET",
    f"{UNIT}/work-required",
    action=Action.WORK_REQUIRED_LIST,
    summary="A unit's work required, oldest first",
    prefetch=unit_keys,
)
def list_unit_work_required(
    tenant_id: str, unit_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> WorkRequiredPage:
    return workorders.board(access, unit_id, limit, cursor)


@endpoint(
    app,
    "GET",
    f"{UNIT}/work-orders",
    action=Action.WORK_ORDER_LIST,
    summary="A unit's work orders and where they stand, newest first",
    prefetch=unit_keys,
)
def list_unit_work_orders(
    tenant_id: str, unit_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> WorkOrderStatusPage:
    """Portal users see their units' work orders: status and lines, not technicians' time or notes."""
    return workorders.unit_work_orders(access, unit_id, limit, cursor)


@endpoint(
    app,
    "POST",
    "/tenants/<tenant_id>/work-required/<item_id>/clock-on",
    action=Action.WORK_CLOCK,
    summary="Clock on to work required (the first clock-on opens a work order with the next RO number)",
    prefetch=repository.clock_on_keys,
)
def clock_on(tenant_id: str, item_id: str, body: Annotated[ClockOn, Body()], access: Access) -> TicketOut:
    """One job at a time: a technician clocked on elsewhere gets 409 `already_clocked_on` (clock off there
    first)."""
    return workorders.clock_on(access, item_id, body)


@endpoint(
    app,
    "POST",
    f"{TICKET}/clock-off",
    action=Action.WORK_CLOCK,
    summary="Clock off a work order",
    prefetch=repository.clock_keys,
)
def clock_off(tenant_id: str, ticket_id: str, body: Annotated[ClockOff, Body()], access: Access) -> TicketOut:
    return workorders.clock_off(access, ticket_id, body)


@endpoint(
    app,
    "PATCH",
    f"{TICKET}/time-entries/<entry_id>",
    action=Action.TIME_CORRECT,
    summary="Correct a clocked time entry (audited: who, when, old, new, why)",
    prefetch=repository.time_entry_keys,
)
def correct_time_entry(
    tenant_id: str,
    ticket_id: str,
    entry_id: str,
    body: Annotated[TimeEntryCorrection, Body()],
    access: Access,
) -> ActivityOut:
    return workorders.correct(access, ticket_id, entry_id, body)
