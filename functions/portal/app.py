"""The customer access portal: customers, units and portal accounts."""

from handoff import coldstart  # isort: split

from handoff.api.app import lambda_entry
from handoff.api.groups import RouteGroups

routes = RouteGroups(
    __package__,
    {
        "/tenants/{tenant_id}/customers": "customers",
        "/tenants/{tenant_id}/partner-organizations": "customers",
        "/tenants/{tenant_id}/customers/{customer_id}/units": "units",
        "/tenants/{tenant_id}/units": "units",
        "/tenants/{tenant_id}/portal-accounts": "portal_accounts",
        "/tenants/{tenant_id}/booking-requests": "bookings",
    },
)

lambda_handler = lambda_entry(routes)

coldstart.ready()
