"""Outsourcing offers: the offer board, a ticket's offers, making and answering one."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.api.app import endpoint, new_app
from handoff.api.params import DEFAULT_LIMIT, Cursor, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.tickets import outsourcing, repository
from handoff.tickets.domain import OfferAction, OfferStatus
from handoff.tickets.schemas.offers import OfferAnswer, OfferCreate, OfferOut, OfferPage

from . import TICKET

app = new_app()


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/offers",
    action=Action.OFFER_LIST,
    summary="The offer board: offers in one status, newest first",
)
def list_offers(
    tenant_id: str,
    access: Access,
    status: Annotated[OfferStatus, Query(description="pending unless named")] = OfferStatus.PENDING,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> OfferPage:
    """The owner's staff: every offer it made in that status. A partner's members: the offers this owner
    made to their company."""
    return outsourcing.board(access, status, limit, cursor)


@endpoint(
    app,
    "GET",
    f"{TICKET}/offers",
    action=Action.OFFER_LIST,
    summary="A ticket's offers and their rounds, newest first",
    prefetch=repository.ticket_keys,
)
def list_ticket_offers(
    tenant_id: str, ticket_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> OfferPage:
    """A partner sees the offers made to it, never another partner's."""
    return outsourcing.list_for_ticket(access, ticket_id, limit, cursor)


@endpoint(
    app,
    "POST",
    f"{TICKET}/offers",
    action=Action.OFFER_CREATE,
    status=HTTPStatus.CREATED,
    summary="Offer an open ticket to a linked partner at terms (it waits for the answer within a window)",
    prefetch=repository.ticket_keys,
)
def make_offer(
    tenant_id: str, ticket_id: str, body: Annotated[OfferCreate, Body()], access: Access
) -> OfferOut:
    return outsourcing.make(access, ticket_id, body)


@endpoint(
    app,
    "GET",
    f"{TICKET}/offers/<offer_id>",
    action=Action.OFFER_READ,
    summary="An offer and every round of its negotiation",
    prefetch=repository.offer_keys,
)
def get_offer(tenant_id: str, ticket_id: str, offer_id: str, access: Access) -> OfferOut:
    return outsourcing.get(access, ticket_id, offer_id)


@endpoint(
    app,
    "POST",
    f"{TICKET}/offers/<offer_id>/<action>",
    action=Action.OFFER_ANSWER,
    summary="Answer an offer: accept or counter (the side whose turn it is), decline (the partner) or "
    "reject (the owner, a counter)",
    prefetch=repository.offer_keys,
)
def answer_offer(
    tenant_id: str,
    ticket_id: str,
    offer_id: str,
    action: OfferAction,
    body: Annotated[OfferAnswer, Body()],
    access: Access,
) -> OfferOut:
    """A partner answers through its admins and the members they allow to accept work (others: 403). What
    was finally accepted is what the work bills at."""
    return outsourcing.answer(access, ticket_id, offer_id, action, body)
