"""Billing: the invoices partners send owners for outsourced work (computed by the partner-invoicing workflow
at the accepted terms), reviewed and sent by the partner, approved, disputed or rejected by the owner."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.api.app import endpoint, lambda_entry, new_app, parse_if_match
from handoff.api.params import DEFAULT_LIMIT, Cursor, IfMatch, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.billing import repository, service
from handoff.billing.domain import InvoiceAction, InvoiceStatus
from handoff.billing.schemas import PartnerInvoiceOut, PartnerInvoicePage, PartnerInvoiceStep

app = new_app()

INVOICES = "/tenants/<tenant_id>/partner-invoices"


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
def get_partner_invoice(tenant_id: str, invoice_id: str, access: Access) -> PartnerInvoiceOut:
    return service.get(access, invoice_id)


@endpoint(
    app,
    "POST",
    f"{INVOICES}/<invoice_id>/<action>",
    action=Action.PARTNER_INVOICE_ACT,
    summary="send (the partner), approve, dispute or reject (the owner's approvers) a partner invoice",
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
    limit covers the total approves it (403 `over_approval_limit` above it)."""
    return service.act(access, invoice_id, action, body, parse_if_match(if_match))


lambda_handler = lambda_entry(app)
