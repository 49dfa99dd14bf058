"""Billing: a shop's invoices to its customers for work orders (submitted and authorized where the customer
requires it, else finalized directly), and the invoices partners send owners for outsourced work (computed by
the partner-invoicing workflow at the accepted terms), sent by the partner and decided by the owner."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.api.app import endpoint, lambda_entry, negotiated, new_app, parse_if_match
from handoff.api.params import DEFAULT_LIMIT, Accept, Cursor, IfMatch, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.billing import invoices, repository, service
from handoff.billing.domain import InvoiceAction, InvoiceStatus, ShopAction, ShopStatus
from handoff.billing.schemas import (
    InvoiceCreate,
    InvoiceOut,
    InvoicePage,
    InvoiceStep,
    PartnerInvoiceOut,
    PartnerInvoicePage,
    PartnerInvoiceStep,
)
from handoff.ids import ULID_PATTERN

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


SHOP_INVOICES = "/tenants/<tenant_id>/invoices"


@endpoint(
    app,
    "GET",
    SHOP_INVOICES,
    action=Action.INVOICE_LIST,
    summary="Invoices: the shop's in one status (draft by default) or a customer's; a portal user, its own",
)
def list_invoices(
    tenant_id: str,
    access: Access,
    status: Annotated[ShopStatus | None, Query()] = None,
    customer_id: Annotated[str | None, Query(pattern=ULID_PATTERN)] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> InvoicePage:
    return invoices.list_(access, status, customer_id, limit, cursor)


@endpoint(
    app,
    "POST",
    SHOP_INVOICES,
    action=Action.INVOICE_CREATE,
    status=HTTPStatus.CREATED,
    summary="Invoice a work order waiting in ready_to_submit (its lines at the approved prices)",
)
def create_invoice(tenant_id: str, body: Annotated[InvoiceCreate, Body()], access: Access) -> InvoiceOut:
    return invoices.create(access, body)


@endpoint(
    app,
    "GET",
    f"{SHOP_INVOICES}/<invoice_id>",
    action=Action.INVOICE_READ,
    summary="An invoice: its lines, what differs from the approved estimate, its totals, number and history",
    prefetch=repository.shop_invoice_keys,
)
def get_invoice(tenant_id: str, invoice_id: str, access: Access, accept: Accept = None) -> InvoiceOut | str:
    """`Accept: text/csv` for CSV; `…/pdf` for the printable document."""
    invoice = invoices.get(access, invoice_id)
    return negotiated(invoice, invoices.as_csv(invoice), accept)  # type: ignore[no-any-return]


@endpoint(
    app,
    "POST",
    f"{SHOP_INVOICES}/<invoice_id>/<action>",
    action=Action.INVOICE_ACT,
    summary="submit, revise or finalize (the shop); authorize or dispute (the customer, where it authorizes)",
    prefetch=repository.shop_invoice_keys,
)
def act_on_invoice(
    tenant_id: str,
    invoice_id: str,
    action: ShopAction,
    body: Annotated[InvoiceStep, Body()],
    access: Access,
    if_match: IfMatch = None,
) -> InvoiceOut:
    """Finalized, it is numbered and never changes (409 `finalized`)."""
    return invoices.act(access, invoice_id, action, body, parse_if_match(if_match))


lambda_handler = lambda_entry(app)
