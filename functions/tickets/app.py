"""Tickets: in-house and outsourced work, its time and notes, and the signed updates partner systems post."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.api.app import endpoint, lambda_entry, new_app, signed_endpoint
from handoff.api.params import DEFAULT_LIMIT, Cursor, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.tickets import inbound, repository, service
from handoff.tickets.domain import TicketAction, TicketStatus
from handoff.tickets.schemas import (
    ActivityOut,
    ActivityPage,
    InboundSecret,
    NoteCreate,
    PartnerUpdate,
    PartnerUpdateOut,
    RotateInboundSecret,
    TicketCreate,
    TicketOut,
    TicketPage,
    TicketStep,
    TimeEntryCreate,
)

app = new_app()

TICKETS = "/tenants/<tenant_id>/tickets"
TICKET = f"{TICKETS}/<ticket_id>"


@endpoint(app, "GET", TICKETS, action=Action.TICKET_LIST, summary="The ticket board, newest first")
def list_tickets(
    tenant_id: str,
    access: Access,
    status: Annotated[
        TicketStatus | None, Query(description="The owner's board shows one status (open unless named)")
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> TicketPage:
    """The owner's staff: one status at a time. A partner's members: what this owner outsourced to them."""
    return service.list_(access, status, limit, cursor)


@endpoint(
    app, "POST", TICKETS, action=Action.TICKET_CREATE, status=HTTPStatus.CREATED, summary="Open a ticket"
)
def create_ticket(tenant_id: str, body: Annotated[TicketCreate, Body()], access: Access) -> TicketOut:
    return service.create(access, body)


@endpoint(
    app,
    "GET",
    TICKET,
    action=Action.TICKET_READ,
    summary="A ticket and its history",
    prefetch=repository.ticket_keys,
)
def get_ticket(tenant_id: str, ticket_id: str, access: Access) -> TicketOut:
    return service.get(access, ticket_id)


@endpoint(
    app,
    "GET",
    f"{TICKET}/activity",
    action=Action.TICKET_ACTIVITY_LIST,
    summary="A ticket's time entries and notes, oldest first",
    prefetch=repository.ticket_keys,
)
def list_activity(
    tenant_id: str, ticket_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> ActivityPage:
    """A partner sees its own entries and the owner's shared notes, nothing of another partner's."""
    return service.list_activity(access, ticket_id, limit, cursor)


@endpoint(
    app,
    "POST",
    f"{TICKET}/time-entries",
    action=Action.TICKET_LOG_TIME,
    status=HTTPStatus.CREATED,
    summary="Log time on a ticket (billed at the partner's accepted rate)",
    prefetch=repository.ticket_keys,
)
def log_time(
    tenant_id: str, ticket_id: str, body: Annotated[TimeEntryCreate, Body()], access: Access
) -> ActivityOut:
    return service.log_time(access, ticket_id, body)


@endpoint(
    app,
    "POST",
    f"{TICKET}/notes",
    action=Action.TICKET_NOTE,
    status=HTTPStatus.CREATED,
    summary="Add a note to a ticket",
    prefetch=repository.ticket_keys,
)
def add_note(
    tenant_id: str, ticket_id: str, body: Annotated[NoteCreate, Body()], access: Access
) -> ActivityOut:
    return service.add_note(access, ticket_id, body)


@endpoint(
    app,
    "POST",
    f"{TICKET}/<action>",
    action=Action.TICKET_ACT,
    summary="outsource, withdraw, accept, decline, start, pause, resume, complete, close, reopen or cancel",
    prefetch=repository.ticket_keys,
)
def act_on_ticket(
    tenant_id: str,
    ticket_id: str,
    action: TicketAction,
    body: Annotated[TicketStep, Body()],
    access: Access,
) -> TicketOut:
    """The owner outsources (to a linked partner, at rates), withdraws, closes, reopens or cancels; the
    partner accepts or declines, then starts, pauses, resumes and completes the work."""
    return service.act(access, ticket_id, action, body)


@endpoint(
    app,
    "POST",
    "/tenants/<tenant_id>/servicer-links/<servicer_id>/inbound-secret",
    action=Action.SERVICER_INBOUND_SECRET,
    status=HTTPStatus.CREATED,
    summary="Issue or rotate the secret a partner's system signs its updates with (shown once)",
    prefetch=inbound.secret_keys,
)
def rotate_inbound_secret(
    tenant_id: str, servicer_id: str, body: Annotated[RotateInboundSecret, Body()], access: Access
) -> InboundSecret:
    return inbound.rotate_secret(access, servicer_id, body)


@signed_endpoint(
    app,
    "POST",
    "/tenants/<tenant_id>/inbound/partner-updates",
    action=Action.PARTNER_UPDATE,
    summary="A partner system's signed ticket update (status, time, notes)",
    authenticate=lambda path, headers, body: inbound.authenticate(path.get("tenant_id", ""), headers, body),
)
def apply_partner_update(
    tenant_id: str, body: Annotated[PartnerUpdate, Body()], signed: inbound.SignedBy
) -> PartnerUpdateOut:
    """Signed with the partner's inbound secret the Standard Webhooks way (`webhook-id`, `webhook-timestamp`
    within 5 minutes, `webhook-signature`); each message id is applied once."""
    return inbound.apply(signed, body)


lambda_handler = lambda_entry(app)
