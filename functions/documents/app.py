"""Printable documents: an invoice as a PDF. The one function that loads the PDF library (fpdf2, in its own
requirements), so no other function pays for it at cold start; what it prints is what `GET …/invoices/{id}`
answers, read through the same use case (the same visibility)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response

from handoff.api.app import endpoint, lambda_entry, new_app
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.billing import invoices, repository
from handoff.billing.schemas import InvoiceOut

app = new_app()


def _money(cents: int, currency: str) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100:,}.{abs(cents) % 100:02d} {currency}"


def render(invoice: InvoiceOut, shop_name: str) -> bytes:
    """One A4 page per invoice or credit note: who and what, every line with its quantity, unit price and
    amount, the subtotal, each tax and the total (text the tests read back)."""
    from fpdf import FPDF

    title = "Credit note" if invoice.kind == "credit_note" else "Invoice"
    pdf = FPDF(format="A4")
    pdf.set_title(f"{title} {invoice.number or invoice.invoice_id}")
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.cell(0, 10, f"{title} {invoice.number or '(draft)'}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    corrects = [f"Corrects invoice: {invoice.credits_invoice_id}"] if invoice.credits_invoice_id else []
    details = [
        *corrects,
        f"From: {shop_name}",
        f"Customer: {invoice.customer_id}",
        f"Work order: {invoice.work_order_id}" + (f" (RO {invoice.ro_number})" if invoice.ro_number else ""),
        f"Status: {invoice.status}",
    ]
    for line in details:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", style="B", size=10)
    for text, width in (("Description", 90), ("Quantity", 25), ("Unit", 35), ("Amount", 40)):
        pdf.cell(width, 7, text, border="B")
    pdf.ln()
    pdf.set_font("Helvetica", size=10)
    for item in invoice.lines:
        flag = " *" if item.differs_from_estimate else ""
        pdf.cell(90, 6, f"{item.description}{flag}"[:60])
        pdf.cell(25, 6, item.quantity)
        pdf.cell(35, 6, _money(item.unit_cents, invoice.currency))
        pdf.cell(40, 6, _money(item.amount_cents, invoice.currency), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for label, cents in (
        ("Subtotal", invoice.subtotal_cents),
        *((f"{tax.name} ({tax.rate_bp / 100:g} %)", tax.amount_cents) for tax in invoice.taxes),
        ("Total", invoice.total_cents),
    ):
        pdf.cell(150, 7, label, align="R")
        pdf.cell(40, 7, _money(cents, invoice.currency), new_x="LMARGIN", new_y="NEXT")
    if invoice.differs_from_estimate:
        pdf.ln(2)
        pdf.cell(0, 6, "* differs from the approved estimate", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


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
    document = render(invoice, invoices.shop_name(access.tenant))
    return Response(
        status_code=HTTPStatus.OK,
        content_type="application/pdf",
        body=document,
        headers={
            "Content-Disposition": f'inline; filename="invoice-{invoice.number or invoice.invoice_id}.pdf"'
        },
    )


lambda_handler = lambda_entry(app)
