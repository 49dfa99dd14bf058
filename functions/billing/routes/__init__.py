"""The billing API by route group (handoff.api.groups): each module is loaded by the first request to a
path it serves."""

INVOICES = "/tenants/<tenant_id>/partner-invoices"
SHOP_INVOICES = "/tenants/<tenant_id>/invoices"
RATE_CARDS = "/tenants/<tenant_id>/rate-cards"
