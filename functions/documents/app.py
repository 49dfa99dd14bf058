"""Printable documents: a shop's invoice or credit note, and a partner's invoice, as a PDF. The one function
that loads the PDF library (fpdf2, in its own requirements), so no other function pays for it at cold start;
what it prints is what the JSON route answers, read through the same use case (the same visibility)."""

from handoff import coldstart  # isort: split

from handoff.api.app import lambda_entry
from handoff.api.groups import RouteGroups

routes = RouteGroups(
    __package__,
    {
        "/tenants/{tenant_id}/invoices": "invoices",
        "/tenants/{tenant_id}/partner-invoices": "partner_invoices",
    },
)

lambda_handler = lambda_entry(routes)

coldstart.ready()
