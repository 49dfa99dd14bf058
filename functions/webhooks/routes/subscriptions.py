"""Webhook subscriptions and their secrets."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body

from handoff.api.app import endpoint, new_app
from handoff.api.params import DEFAULT_LIMIT, Cursor, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.webhooks import repository, service
from handoff.webhooks.schemas import (
    RotateSecret,
    SecretRotated,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionOut,
    SubscriptionPage,
    SubscriptionPatch,
)

from . import SUBSCRIPTION, SUBSCRIPTIONS

app = new_app()


@endpoint(app, "GET", SUBSCRIPTIONS, action=Action.WEBHOOK_LIST, summary="List webhook subscriptions")
def list_subscriptions(
    tenant_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> SubscriptionPage:
    return service.list_(access, limit, cursor)


@endpoint(
    app,
    "POST",
    SUBSCRIPTIONS,
    action=Action.WEBHOOK_CREATE,
    status=HTTPStatus.CREATED,
    summary="Subscribe an endpoint to event types",
)
def create_subscription(
    tenant_id: str, body: Annotated[SubscriptionCreate, Body()], access: Access
) -> SubscriptionCreated:
    """The response carries the signing secret (whsec_…), shown this once."""
    return service.create(access, body)


@endpoint(
    app,
    "GET",
    SUBSCRIPTION,
    action=Action.WEBHOOK_READ,
    summary="Read a webhook subscription",
    prefetch=repository.subscription_keys,
)
def get_subscription(tenant_id: str, subscription_id: str, access: Access) -> SubscriptionOut:
    return service.get(access, subscription_id)


@endpoint(
    app,
    "PATCH",
    SUBSCRIPTION,
    action=Action.WEBHOOK_UPDATE,
    summary="Change URL, event types or enabled",
    prefetch=repository.subscription_keys,
)
def update_subscription(
    tenant_id: str, subscription_id: str, body: Annotated[SubscriptionPatch, Body()], access: Access
) -> SubscriptionOut:
    return service.update(access, subscription_id, body)


@endpoint(
    app,
    "DELETE",
    SUBSCRIPTION,
    action=Action.WEBHOOK_DELETE,
    status=HTTPStatus.NO_CONTENT,
    summary="Delete (archive) a webhook subscription",
    prefetch=repository.subscription_keys,
)
def delete_subscription(tenant_id: str, subscription_id: str, access: Access) -> None:
    service.archive(access, subscription_id)


@endpoint(
    app,
    "POST",
    f"{SUBSCRIPTION}/rotate-secret",
    action=Action.WEBHOOK_ROTATE_SECRET,
    summary="Rotate the signing secret (the old one keeps signing during the overlap)",
    prefetch=repository.subscription_keys,
)
def rotate_secret(
    tenant_id: str, subscription_id: str, body: Annotated[RotateSecret, Body()], access: Access
) -> SecretRotated:
    return service.rotate_secret(access, subscription_id, body)
