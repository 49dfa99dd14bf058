"""The customer access portal: customers, units and portal accounts."""

from handoff import coldstart  # isort: split

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.accounts import portal_accounts
from handoff.accounts import repository as account_repository
from handoff.api.app import endpoint, lambda_entry, new_app
from handoff.api.params import DEFAULT_LIMIT, Archived, Cursor, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.bookings import repository as booking_repository
from handoff.bookings import service as bookings
from handoff.bookings.domain import Status, Step
from handoff.bookings.schemas import BookingAction, BookingCreate, BookingOut, BookingPage, BookingStep
from handoff.ids import ULID_PATTERN
from handoff.partners.public import partner_org_keys
from handoff.portal import repository, service
from handoff.portal.schemas import (
    CustomerCreate,
    CustomerOut,
    CustomerPage,
    CustomerPatch,
    PortalAccountCreate,
    PortalAccountOut,
    PortalAccountPage,
    PortalAccountPatch,
    UnitCreate,
    UnitOut,
    UnitPage,
    UnitPatch,
)

app = new_app()

CUSTOMERS = "/tenants/<tenant_id>/customers"
CUSTOMER = f"{CUSTOMERS}/<customer_id>"
ACCOUNTS = "/tenants/<tenant_id>/portal-accounts"
ACCOUNT = f"{ACCOUNTS}/<user_id>"


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
    name_prefix: Annotated[str | None, Query(min_length=1, max_length=120)] = None,
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


@endpoint(app, "GET", ACCOUNTS, action=Action.PORTAL_ACCOUNT_LIST, summary="List portal accounts")
def list_accounts(
    tenant_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> PortalAccountPage:
    return portal_accounts.list_accounts(access, limit, cursor)


@endpoint(
    app,
    "POST",
    ACCOUNTS,
    action=Action.PORTAL_ACCOUNT_CREATE,
    status=HTTPStatus.CREATED,
    summary="Create a portal account for one or more customers",
)
def create_account(
    tenant_id: str, body: Annotated[PortalAccountCreate, Body()], access: Access
) -> PortalAccountOut:
    """A portal account holds a client role only (customer or client_rep_manager), never a shop role."""
    return portal_accounts.create_account(access, body)


@endpoint(
    app,
    "GET",
    ACCOUNT,
    action=Action.PORTAL_ACCOUNT_READ,
    summary="Read a portal account",
    prefetch=account_repository.member_keys,
)
def get_account(tenant_id: str, user_id: str, access: Access) -> PortalAccountOut:
    return portal_accounts.get_account(access, user_id)


@endpoint(
    app,
    "PATCH",
    ACCOUNT,
    action=Action.PORTAL_ACCOUNT_UPDATE,
    summary="Rename, deactivate or lock an account",
    prefetch=account_repository.member_keys,
)
def update_account(
    tenant_id: str, user_id: str, body: Annotated[PortalAccountPatch, Body()], access: Access
) -> PortalAccountOut:
    return portal_accounts.update_account(access, user_id, body)


@endpoint(
    app,
    "PUT",
    f"{ACCOUNT}/companies/<customer_id>",
    action=Action.PORTAL_COMPANY_GRANT,
    summary="Give the account one more company",
    prefetch=account_repository.member_keys,
)
def grant_company(tenant_id: str, user_id: str, customer_id: str, access: Access) -> PortalAccountOut:
    return portal_accounts.grant_company(access, user_id, customer_id)


@endpoint(
    app,
    "DELETE",
    f"{ACCOUNT}/companies/<customer_id>",
    action=Action.PORTAL_COMPANY_REVOKE,
    summary="Take one company away from the account",
    prefetch=account_repository.member_keys,
)
def revoke_company(tenant_id: str, user_id: str, customer_id: str, access: Access) -> PortalAccountOut:
    return portal_accounts.revoke_company(access, user_id, customer_id)


BOOKINGS = "/tenants/<tenant_id>/booking-requests"
BOOKING = f"{BOOKINGS}/<booking_id>"


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


lambda_handler = lambda_entry(app)

coldstart.ready()
