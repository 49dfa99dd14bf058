"""The webhooks API by route group (handoff.api.groups): each module is loaded by the first request to a
path it serves."""

SUBSCRIPTIONS = "/tenants/<tenant_id>/webhook-subscriptions"
SUBSCRIPTION = f"{SUBSCRIPTIONS}/<subscription_id>"
