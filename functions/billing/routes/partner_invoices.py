"""A partner's invoices for outsourced work, and the owner's answers."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.api.app import endpoint, negotiated, new_app, parse_if_match
from handoff.api.params import DEFAULT_LIMIT, Accept, Cursor, IfMatch, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.billing import repository, service
from handoff.billing.domain import InvoiceAction, InvoiceStatus
from handoff.billing.schemas import PartnerInvoiceOut, PartnerInvoicePage, PartnerInvoiceStep

from . import INVOICES

app = new_app()


@endpoint(
    app,
    "GET",
    INVOICES,
    action=Action.PARTNER_INVOICE_LIST,
    summary="Partner invoices: the owner's in one status (sent by default), or what a partner invoiced it",
)
def list_partner_invoices(
    tenant_id: str,
    access: Access,
    status: Annotated[InvoiceStatus | None, Query()] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> PartnerInvoicePage:
    return service.list_(access, status, limit, cursor)


@endpoint(
    app,
    "GET",
    f"{INVOICES}/<invoice_id>",
    action=Action.PARTNER_INVOICE_READ,
    summary="A partner invoice: its lines at the accepted terms, its total, number and history",
    prefetch=repository.invoice_keys,
)
def get_partner_invoice(
    tenant_id: str, invoice_id: str, access: Access, accept: Accept = None
) -> PartnerInvoiceOut | str:
    """`Accept: text/csv` for CSV; `…/pdf` for the printable document."""
    invoice = service.get(access, invoice_id)
    return negotiated(invoice, service.as_csv(invoice), accept)  # type: ignore[no-any-return]


@endpoint(
    app,
    "POST",
    f"{INVOICES}/<invoice_id>/<action>",
    action=Action.PARTNER_INVOICE_ACT,
    summary="send (the partner); approve, dispute, reject or escalate (the owner's approvers) an invoice",
    prefetch=repository.invoice_keys,
)
def act_on_partner_invoice(
    tenant_id: str,
    invoice_id: str,
    action: InvoiceAction,
    body: Annotated[PartnerInvoiceStep, Body()],
    access: Access,
    if_match: IfMatch = None,
) -> PartnerInvoiceOut:
    """Sent as computed and within the not-to-exceed amount, it approves itself; otherwise an approver whose
    limit covers the total approves it (403 `over_approval_limit` above it). An approver below the total
    escalates it: endorsed, it waits for an approver whose limit covers it (`PartnerInvoiceEscalated`)."""
    return service.act(access, invoice_id, action, body, parse_if_match(if_match))
