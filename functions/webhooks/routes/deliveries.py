"""A subscription's deliveries, and redelivering one."""

from http import HTTPStatus

from handoff.api.app import endpoint, new_app
from handoff.api.params import DEFAULT_LIMIT, Cursor, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.webhooks import repository, service
from handoff.webhooks.schemas import DeliveryPage, Redelivery

from . import SUBSCRIPTION

app = new_app()


@endpoint(
    app,
    "GET",
    f"{SUBSCRIPTION}/deliveries",
    action=Action.DELIVERY_LIST,
    summary="Delivery log, newest first",
)
def list_deliveries(
    tenant_id: str, subscription_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> DeliveryPage:
    return service.deliveries(access, subscription_id, limit, cursor)


@endpoint(
    app,
    "POST",
    f"{SUBSCRIPTION}/deliveries/<delivery_id>/redeliver",
    action=Action.DELIVERY_REDELIVER,
    status=HTTPStatus.ACCEPTED,
    summary="Send a settled delivery again",
    prefetch=repository.redelivery_keys,
)
def redeliver(tenant_id: str, subscription_id: str, delivery_id: str, access: Access) -> Redelivery:
    return service.redeliver(access, subscription_id, delivery_id)
