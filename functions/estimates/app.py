"""Estimates: labour lines with parts, customer decisions and disputes, frozen versions and their diff,
one shared history, and the work required that approval produces."""

from handoff import coldstart  # isort: split

from handoff.api.app import lambda_entry
from handoff.api.groups import RouteGroups

routes = RouteGroups(
    __package__,
    {
        "/tenants/{tenant_id}/estimates": "estimates",
        "/tenants/{tenant_id}/estimates/{estimate_id}/versions": "versions",
        "/tenants/{tenant_id}/estimates/{estimate_id}/history": "versions",
        "/tenants/{tenant_id}/units": "estimates",
    },
)

lambda_handler = lambda_entry(routes)

coldstart.ready()
