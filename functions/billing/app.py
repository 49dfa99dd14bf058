"""Billing: a shop's invoices to its customers for work orders (submitted and authorized where the customer
requires it, else finalized directly; corrected by credit notes), the invoices partners send owners for
outsourced work (computed by the partner-invoicing workflow at the accepted terms), sent by the partner and
decided by the owner's approvers, and the rate cards (the shop's, and each partner's) versioned by day."""

from handoff import coldstart  # isort: split

from datetime import date
from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.api.app import endpoint, lambda_entry, negotiated, new_app, parse_if_match
from handoff.api.params import DEFAULT_LIMIT, Accept, Cursor, IfMatch, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.billing import invoices, ratecards, repository, service
from handoff.billing.domain import InvoiceAction, InvoiceStatus, ShopAction, ShopStatus
from handoff.billing.schemas import (
    InvoiceCreate,
    InvoiceOut,
    InvoicePage,
    InvoiceStep,
    PartnerInvoiceOut,
    PartnerInvoicePage,
    PartnerInvoiceStep,
    RateCardCreate,
    RateCardOut,
    RateCardPage,
    RatesIn,
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
    summary="submit, revise, finalize or credit (the shop); authorize or dispute (the customer, if it must)",
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


RATE_CARDS = "/tenants/<tenant_id>/rate-cards"


@endpoint(
    app, "GET", RATE_CARDS, action=Action.RATE_CARD_LIST, summary="Rate cards: the shop's and each partner's"
)
def list_rate_cards(
    tenant_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> RateCardPage:
    return ratecards.list_(access, limit, cursor)


@endpoint(
    app,
    "POST",
    RATE_CARDS,
    action=Action.RATE_CARD_WRITE,
    status=HTTPStatus.CREATED,
    summary="A rate card with its first version: the shop's own, or a linked partner's (one per scope)",
)
def create_rate_card(tenant_id: str, body: Annotated[RateCardCreate, Body()], access: Access) -> RateCardOut:
    return ratecards.create(access, body)


@endpoint(
    app,
    "GET",
    f"{RATE_CARDS}/<rate_card_id>",
    action=Action.RATE_CARD_READ,
    summary="A rate card: the version in force on a day (today by default) and its latest versions",
    prefetch=repository.rate_card_keys,
)
def get_rate_card(
    tenant_id: str, rate_card_id: str, access: Access, on: Annotated[date | None, Query()] = None
) -> RateCardOut:
    return ratecards.get(access, rate_card_id, on)


@endpoint(
    app,
    "PUT",
    f"{RATE_CARDS}/<rate_card_id>",
    action=Action.RATE_CARD_WRITE,
    summary="A new version of the rates, in force from its day (today or later); past work keeps its rates",
    prefetch=repository.rate_card_keys,
)
def revise_rate_card(
    tenant_id: str,
    rate_card_id: str,
    body: Annotated[RatesIn, Body()],
    access: Access,
    if_match: IfMatch = None,
) -> RateCardOut:
    return ratecards.revise(access, rate_card_id, body, parse_if_match(if_match))


lambda_handler = lambda_entry(app)

coldstart.ready()
