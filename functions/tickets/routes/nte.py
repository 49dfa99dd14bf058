"""Requests to raise a ticket's not-to-exceed amount, and the owner's answers."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body

from handoff.api.app import endpoint, new_app
from handoff.api.params import DEFAULT_LIMIT, Cursor, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.tickets import nte, repository
from handoff.tickets.domain import NteAction
from handoff.tickets.schemas.nte import NteAnswer, NteRequestCreate, NteRequestOut, NteRequestPage

from . import TICKET

app = new_app()


@endpoint(
    app,
    "POST",
    f"{TICKET}/nte-requests",
    action=Action.NTE_REQUEST,
    status=HTTPStatus.CREATED,
    summary="Ask the owner to raise the work's not-to-exceed amount (the partner doing it)",
    prefetch=repository.ticket_keys,
)
def request_nte_increase(
    tenant_id: str, ticket_id: str, body: Annotated[NteRequestCreate, Body()], access: Access
) -> NteRequestOut:
    """One request waits at a time (409 `pending`); `requested_cents` is the new total, more than today's."""
    return nte.request(access, ticket_id, body)


@endpoint(
    app,
    "GET",
    f"{TICKET}/nte-requests",
    action=Action.NTE_LIST,
    summary="The work's requests to raise its not-to-exceed amount, oldest first",
    prefetch=repository.ticket_keys,
)
def list_nte_requests(
    tenant_id: str, ticket_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> NteRequestPage:
    return nte.list_(access, ticket_id, limit, cursor)


@endpoint(
    app,
    "POST",
    f"{TICKET}/nte-requests/<request_id>/<action>",
    action=Action.NTE_DECIDE,
    summary="approve (the not-to-exceed becomes the requested amount) or reject (with a note) a request",
    prefetch=repository.nte_request_keys,
)
def answer_nte_request(
    tenant_id: str,
    ticket_id: str,
    request_id: str,
    action: NteAction,
    body: Annotated[NteAnswer, Body()],
    access: Access,
) -> NteRequestOut:
    return nte.answer(access, ticket_id, request_id, action, body)
