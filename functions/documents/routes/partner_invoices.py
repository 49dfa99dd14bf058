"""A partner's invoice as a PDF."""

from aws_lambda_powertools.event_handler import Response

from handoff.api.app import endpoint, new_app
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.billing import repository, service

from . import _pdf, partner_document, render

app = new_app()


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/partner-invoices/<invoice_id>/pdf",
    action=Action.PARTNER_INVOICE_READ,
    summary="A partner invoice as a printable PDF",
    prefetch=repository.invoice_keys,
    produces="application/pdf",
)
def partner_invoice_pdf(tenant_id: str, invoice_id: str, access: Access) -> Response[bytes]:
    """The same invoice `GET …/partner-invoices/{invoice_id}` answers, to whom it answers it."""
    invoice = service.get(access, invoice_id)
    document = render(partner_document(invoice, service.issuer_name(invoice)))
    return _pdf(document, f"invoice-{invoice.servicer_id}-{invoice.number or invoice.invoice_id}")
