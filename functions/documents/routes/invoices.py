"""A shop's invoice or credit note as a PDF."""

from aws_lambda_powertools.event_handler import Response

from handoff.api.app import endpoint, new_app
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.billing import invoices, repository

from . import _pdf, render, shop_document

app = new_app()


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/invoices/<invoice_id>/pdf",
    action=Action.INVOICE_READ,
    summary="An invoice as a printable PDF",
    prefetch=repository.shop_invoice_keys,
    produces="application/pdf",
)
def invoice_pdf(tenant_id: str, invoice_id: str, access: Access) -> Response[bytes]:
    """The same invoice `GET …/invoices/{invoice_id}` answers, to whom it answers it."""
    invoice = invoices.get(access, invoice_id)
    document = render(shop_document(invoice, invoices.shop_name(access.tenant)))
    kind = "credit-note" if invoice.kind == "credit_note" else "invoice"
    return _pdf(document, f"{kind}-{invoice.number or invoice.invoice_id}")
