"""The links API by route group (handoff.api.groups): each module is loaded by the first request to a path
it serves."""

LOCATIONS = "/tenants/<tenant_id>/locations"
LOCATION = f"{LOCATIONS}/<location_id>"
LINKS = "/tenants/<tenant_id>/servicer-links"
LINK = f"{LINKS}/<servicer_id>"
