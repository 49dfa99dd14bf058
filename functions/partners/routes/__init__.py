"""The partner organizations' API by route group (handoff.api.groups): each module is loaded by the first
request to a path it serves."""

ORGS = "/tenants/<tenant_id>/partner-organizations"
ORG = f"{ORGS}/<partner_org_id>"
UNITS = "/tenants/<tenant_id>/org-units"
TEAMS = "/tenants/<tenant_id>/teams"
