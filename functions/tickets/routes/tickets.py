"""A ticket: the board, opening one, reading and editing it, its time and notes, assigning, escalating
and its steps."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.api.app import endpoint, new_app, parse_if_match
from handoff.api.params import DEFAULT_LIMIT, Cursor, IfMatch, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.tickets import outsourcing, repository, routing, service
from handoff.tickets.domain import TicketAction, TicketStatus
from handoff.tickets.schemas import (
    ActivityOut,
    ActivityPage,
    AssignIn,
    EscalateIn,
    NoteCreate,
    TicketCreate,
    TicketOut,
    TicketPage,
    TicketPatch,
    TicketStep,
    TimeEntryCreate,
)

from . import TICKET, TICKETS, Assignee

app = new_app()


@endpoint(app, "GET", TICKETS, action=Action.TICKET_LIST, summary="The ticket board, newest first")
def list_tickets(
    tenant_id: str,
    access: Access,
    status: Annotated[
        TicketStatus | None, Query(description="The owner's board shows one status (open unless named)")
    ] = None,
    assignee: Assignee = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> TicketPage:
    """The owner's staff: one status at a time (`ready_to_submit`: the work orders the shop finalizes), or
    what is assigned to a member. A partner's members: what this owner outsourced to them."""
    return service.list_(access, status, assignee, limit, cursor)


@endpoint(
    app, "POST", TICKETS, action=Action.TICKET_CREATE, status=HTTPStatus.CREATED, summary="Open a ticket"
)
def create_ticket(tenant_id: str, body: Annotated[TicketCreate, Body()], access: Access) -> TicketOut:
    """Logged for a team (`team_id`), someone of its first layer takes it: see the team's routing."""
    return routing.create(access, body)


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
    "PATCH",
    TICKET,
    action=Action.TICKET_UPDATE,
    summary="Edit a ticket's title, description, priority, due date or location",
    prefetch=repository.ticket_keys,
)
def update_ticket(
    tenant_id: str,
    ticket_id: str,
    body: Annotated[TicketPatch, Body()],
    access: Access,
    if_match: IfMatch = None,
) -> TicketOut:
    return service.update(access, ticket_id, body, parse_if_match(if_match))


@endpoint(
    app,
    "POST",
    f"{TICKET}/assign",
    action=Action.TICKET_ASSIGN,
    summary="Assign or reassign a ticket to a member, or to a partner company (outsourcing it)",
    prefetch=repository.ticket_keys,
)
def assign_ticket(
    tenant_id: str, ticket_id: str, body: Annotated[AssignIn, Body()], access: Access
) -> TicketOut:
    return routing.assign(access, ticket_id, body)


@endpoint(
    app,
    "POST",
    f"{TICKET}/escalate",
    action=Action.TICKET_ESCALATE,
    summary="Move a routed ticket to the next escalation layer of its team now",
    prefetch=repository.ticket_keys,
)
def escalate_ticket(
    tenant_id: str, ticket_id: str, body: Annotated[EscalateIn, Body()], access: Access
) -> TicketOut:
    """Only while no one has taken it up (open, or offered to the preferred vendor: the offer is withdrawn);
    the last layer escalates no further (409 `no_next_layer`)."""
    return routing.escalate(access, ticket_id, body)


@endpoint(
    app,
    "POST",
    f"{TICKET}/<action>",
    action=Action.TICKET_ACT,
    summary="outsource, withdraw, accept, decline, start, pause, resume, complete, close, reopen, cancel, "
    "approve or reject (a gated partner's completed work), or unit-ready (a work order)",
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
    partner accepts or declines, then starts, pauses, resumes and completes the work. A work order's unit is
    marked ready (`unit-ready`: whoever is clocked on is clocked off) and waits in ready_to_submit.
    Outsourcing makes an offer; accept and decline answer the offer on the table."""
    return outsourcing.act(access, ticket_id, action, body)
