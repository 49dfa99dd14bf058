"""The shop's invoices for work orders."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.api.app import endpoint, negotiated, new_app, parse_if_match
from handoff.api.params import DEFAULT_LIMIT, Accept, Cursor, IfMatch, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.billing import invoices, repository
from handoff.billing.domain import ShopAction, ShopStatus
from handoff.billing.schemas import InvoiceCreate, InvoiceOut, InvoicePage, InvoiceStep
from handoff.ids import ULID_PATTERN

from . import SHOP_INVOICES

app = new_app()


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
