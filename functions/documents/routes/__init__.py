"""What both kinds of invoice print through: the document a PDF shows, rendered by fpdf2 (loaded on the first
PDF), and the response that carries it. The routes are in groups (handoff.api.groups), one per kind."""

from dataclasses import dataclass
from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response

from handoff.billing.schemas import InvoiceOut, PartnerInvoiceOut


def _money(cents: int, currency: str) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100:,}.{abs(cents) % 100:02d} {currency}"


@dataclass(frozen=True)
class Document:
    """What a printed invoice shows, whichever kind: its title, who and what, its lines (description,
    quantity, unit, amount), its totals and a footnote."""

    title: str
    details: list[str]
    currency: str
    lines: list[tuple[str, str, int, int]]
    totals: list[tuple[str, int]]
    footnote: str | None = None


def shop_document(invoice: InvoiceOut, shop_name: str) -> Document:
    title = "Credit note" if invoice.kind == "credit_note" else "Invoice"
    corrects = [f"Corrects invoice: {invoice.credits_invoice_id}"] if invoice.credits_invoice_id else []
    ro = f" (RO {invoice.ro_number})" if invoice.ro_number else ""
    return Document(
        title=f"{title} {invoice.number or '(draft)'}",
        details=[
            *corrects,
            f"From: {shop_name}",
            f"Customer: {invoice.customer_id}",
            f"Work order: {invoice.work_order_id}{ro}",
            f"Status: {invoice.status}",
        ],
        currency=invoice.currency,
        lines=[
            (
                f"{ln.description}{' *' if ln.differs_from_estimate else ''}",
                ln.quantity,
                ln.unit_cents,
                ln.amount_cents,
            )
            for ln in invoice.lines
        ],
        totals=[
            ("Subtotal", invoice.subtotal_cents),
            *((f"{tax.name} ({tax.rate_bp / 100:g} %)", tax.amount_cents) for tax in invoice.taxes),
            ("Total", invoice.total_cents),
        ],
        footnote="* differs from the approved estimate" if invoice.differs_from_estimate else None,
    )


def partner_document(invoice: PartnerInvoiceOut, partner_name: str) -> Document:
    adjustment = [("Adjustment", invoice.adjustment_cents)] if invoice.adjustment_cents else []
    return Document(
        title=f"Invoice {invoice.number or '(draft)'}",
        details=[
            f"From: {partner_name}",
            f"To: {invoice.owner_id}",
            f"Ticket: {invoice.title} ({invoice.ticket_id})",
            f"Status: {invoice.status}",
        ],
        currency=invoice.currency,
        lines=[(ln.description, ln.quantity, ln.unit_cents, ln.amount_cents) for ln in invoice.lines],
        totals=[
            ("Work at the accepted terms", invoice.computed_cents),
            *adjustment,
            ("Total", invoice.total_cents),
        ],
        footnote=invoice.adjustment_note,
    )


def render(document: Document) -> bytes:
    """One A4 page: the title, who and what, every line with its quantity, unit price and amount, then the
    totals (text the tests read back)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(document.title)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.cell(0, 10, document.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    for line in document.details:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", style="B", size=10)
    for text, width in (("Description", 90), ("Quantity", 25), ("Unit", 35), ("Amount", 40)):
        pdf.cell(width, 7, text, border="B")
    pdf.ln()
    pdf.set_font("Helvetica", size=10)
    for description, quantity, unit, amount in document.lines:
        pdf.cell(90, 6, description[:60])
        pdf.cell(25, 6, quantity)
        pdf.cell(35, 6, _money(unit, document.currency))
        pdf.cell(40, 6, _money(amount, document.currency), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for label, cents in document.totals:
        pdf.cell(150, 7, label, align="R")
        pdf.cell(40, 7, _money(cents, document.currency), new_x="LMARGIN", new_y="NEXT")
    if document.footnote:
        pdf.ln(2)
        pdf.cell(0, 6, document.footnote[:120], new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _pdf(document: bytes, name: str) -> Response[bytes]:
    return Response(
        status_code=HTTPStatus.OK,
        content_type="application/pdf",
        body=document,
        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
    )
