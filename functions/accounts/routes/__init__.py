"""The Accounts API by route group (handoff.api.groups): each module is loaded by the first request to a
path it serves."""

TECHNICIANS = "/tenants/<tenant_id>/partner-organizations/<partner_org_id>/technicians"
RESOURCES = "/tenants/<tenant_id>/partner-company/resources"
