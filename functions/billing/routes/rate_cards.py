"""Rate cards and their scheduled changes."""

from datetime import date
from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.api.app import endpoint, new_app, parse_if_match
from handoff.api.params import DEFAULT_LIMIT, Cursor, IfMatch, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.billing import ratecards, repository
from handoff.billing.schemas import RateCardCreate, RateCardOut, RateCardPage, RatesIn

from . import RATE_CARDS

app = new_app()


@endpoint(
    app, "GET", RATE_CARDS, action=Action.RATE_CARD_LIST, summary="Rate cards: the shop's and each partner's"
)
def list_rate_cards(
    tenant_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> RateCardPage:
    return ratecards.list_(access, limit, cursor)


@endpoint(
    app,
    "POST",
    RATE_CARDS,
    action=Action.RATE_CARD_WRITE,
    status=HTTPStatus.CREATED,
    summary="A rate card with its first version: the shop's own, or a linked partner's (one per scope)",
)
def create_rate_card(tenant_id: str, body: Annotated[RateCardCreate, Body()], access: Access) -> RateCardOut:
    return ratecards.create(access, body)


@endpoint(
    app,
    "GET",
    f"{RATE_CARDS}/<rate_card_id>",
    action=Action.RATE_CARD_READ,
    summary="A rate card: the version in force on a day (today by default) and its latest versions",
    prefetch=repository.rate_card_keys,
)
def get_rate_card(
    tenant_id: str, rate_card_id: str, access: Access, on: Annotated[date | None, Query()] = None
) -> RateCardOut:
    return ratecards.get(access, rate_card_id, on)


@endpoint(
    app,
    "PUT",
    f"{RATE_CARDS}/<rate_card_id>",
    action=Action.RATE_CARD_WRITE,
    summary="A new version of the rates, in force from its day (today or later); past work keeps its rates",
    prefetch=repository.rate_card_keys,
)
def revise_rate_card(
    tenant_id: str,
    rate_card_id: str,
    body: Annotated[RatesIn, Body()],
    access: Access,
    if_match: IfMatch = None,
) -> RateCardOut:
    return ratecards.revise(access, rate_card_id, body, parse_if_match(if_match))
