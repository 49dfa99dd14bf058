"""Identity and tenants: tenants, members, personnel search, duplicate-login merges, and `GET /me`."""

from handoff import coldstart  # isort: split

from handoff.api.app import lambda_entry
from handoff.api.groups import RouteGroups

routes = RouteGroups(
    __package__,
    {
        "/tenants": "tenants",
        "/me": "me",
        "/tenants/{tenant_id}/members": "members",
        "/tenants/{tenant_id}/partner-organizations": "technicians",
        "/tenants/{tenant_id}/partner-company": "resources",
    },
)

lambda_handler = lambda_entry(routes)

coldstart.ready()
