"""Booking requests and the shop's answers."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.api.app import endpoint, new_app
from handoff.api.params import DEFAULT_LIMIT, Cursor, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.bookings import repository as booking_repository
from handoff.bookings import service as bookings
from handoff.bookings.domain import Status, Step
from handoff.bookings.schemas import BookingAction, BookingCreate, BookingOut, BookingPage, BookingStep
from handoff.ids import ULID_PATTERN

from . import BOOKING, BOOKINGS

app = new_app()


@endpoint(app, "GET", BOOKINGS, action=Action.BOOKING_LIST, summary="The booking board, newest first")
def list_bookings(
    tenant_id: str,
    access: Access,
    status: Annotated[Status, Query(description="The board's column")] = Status.REQUESTED,
    customer_id: Annotated[
        str | None, Query(pattern=ULID_PATTERN, description="One customer's bookings")
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> BookingPage:
    """Shop: one status at a time; a portal user: its company's bookings (name `customer_id` when it has
    several)."""
    return bookings.list_(access, status, customer_id, limit, cursor)


@endpoint(
    app,
    "POST",
    BOOKINGS,
    action=Action.BOOKING_REQUEST,
    status=HTTPStatus.CREATED,
    summary="Ask for a slot for a unit",
)
def request_booking(tenant_id: str, body: Annotated[BookingCreate, Body()], access: Access) -> BookingOut:
    return bookings.request(access, body)


@endpoint(
    app,
    "GET",
    BOOKING,
    action=Action.BOOKING_READ,
    summary="A booking request and its history",
    prefetch=booking_repository.booking_keys,
)
def get_booking(tenant_id: str, booking_id: str, access: Access) -> BookingOut:
    return bookings.get(access, booking_id)


@endpoint(
    app,
    "POST",
    f"{BOOKING}/<action>",
    action=Action.BOOKING_ACT,
    summary="decline, suggest, accept, reject, confirm or confirm-with-estimate",
    prefetch=booking_repository.booking_keys,
)
def act_on_booking(
    tenant_id: str,
    booking_id: str,
    action: BookingAction,
    body: Annotated[BookingStep, Body()],
    access: Access,
) -> BookingOut:
    """The shop declines (with a reason), suggests, confirms, or confirms and opens a draft estimate; the
    customer accepts, rejects or counter-suggests. A suggestion left unanswered expires."""
    return bookings.act(access, booking_id, Step(action.value), body)
