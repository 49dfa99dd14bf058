"""Webhook subscriptions, their secrets and their delivery log."""

from handoff import coldstart  # isort: split

from handoff.api.app import lambda_entry
from handoff.api.groups import RouteGroups

routes = RouteGroups(
    __package__,
    {
        "/tenants/{tenant_id}/webhook-subscriptions": "subscriptions",
        "/tenants/{tenant_id}/webhook-subscriptions/{subscription_id}/deliveries": "deliveries",
    },
)

lambda_handler = lambda_entry(routes)

coldstart.ready()
