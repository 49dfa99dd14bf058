"""Instances and servicer links: locations, "Manage Servicers", and the servicer's linked owners."""

from handoff import coldstart  # isort: split

from handoff.api.app import lambda_entry
from handoff.api.groups import RouteGroups

routes = RouteGroups(
    __package__,
    {
        "/tenants/{tenant_id}/locations": "locations",
        "/tenants/{tenant_id}/servicer-links": "servicer_links",
        "/tenants/{tenant_id}/linked-owners": "linked_owners",
        "/tenants/{tenant_id}/servicer-invitations": "linked_owners",
    },
)

lambda_handler = lambda_entry(routes)

coldstart.ready()
