"""The banner check: the one function that loads the image library (Pillow, in its own requirements), so no
other function pays for it at cold start."""

from handoff import coldstart  # isort: split

from handoff.api.app import lambda_entry
from handoff.api.groups import RouteGroups

routes = RouteGroups(
    __package__,
    {
        "/tenants/{tenant_id}/partner-organizations": "partner_organizations",
        "/tenants/{tenant_id}/portal": "portal",
    },
)

lambda_handler = lambda_entry(routes)

coldstart.ready()
