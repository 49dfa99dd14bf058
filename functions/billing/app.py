"""Billing: a shop's invoices to its customers for work orders (submitted and authorized where the customer
requires it, else finalized directly; corrected by credit notes), the invoices partners send owners for
outsourced work (computed by the partner-invoicing workflow at the accepted terms), sent by the partner and
decided by the owner's approvers, and the rate cards (the shop's, and each partner's) versioned by day."""

from handoff import coldstart  # isort: split

from handoff.api.app import lambda_entry
from handoff.api.groups import RouteGroups

routes = RouteGroups(
    __package__,
    {
        "/tenants/{tenant_id}/partner-invoices": "partner_invoices",
        "/tenants/{tenant_id}/invoices": "invoices",
        "/tenants/{tenant_id}/rate-cards": "rate_cards",
    },
)

lambda_handler = lambda_entry(routes)

coldstart.ready()
