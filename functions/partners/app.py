"""Partner organizations: the outside technicians' companies inside a tenant, their banners (the upload; its
check is the banner function's), and the branding a portal user's company shows."""

from handoff import coldstart  # isort: split

from handoff.api.app import lambda_entry
from handoff.api.groups import RouteGroups

routes = RouteGroups(
    __package__,
    {
        "/tenants/{tenant_id}/partner-organizations": "organizations",
        "/tenants/{tenant_id}/partner-organizations/{partner_org_id}/banner": "branding",
        "/tenants/{tenant_id}/portal": "branding",
        "/tenants/{tenant_id}/partner-organizations/{partner_org_id}/org-units": "org_units",
        "/tenants/{tenant_id}/org-units": "org_units",
        "/tenants/{tenant_id}/teams": "teams",
    },
)

lambda_handler = lambda_entry(routes)

coldstart.ready()
