"""Use cases of a shop's invoices to its customers: made from a work order waiting in "ready to submit", its
lines from the work order's clocked time and approved parts at the estimate's approved prices (never from
amounts typed at invoicing), any difference from the approved estimate flagged. A customer that requires
authorization gets it submitted and authorizes (finalizes) or disputes it in the portal; otherwise the shop
finalizes it directly. A finalized invoice is numbered (per shop and series, without gaps) and never
changes: a credit note, numbered in its own series, corrects it. Taxes follow the shop's rate card in force
on the invoice's tax point (the day it was drafted), else the tenant's one rate."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from handoff.accounts import public as accounts
from handoff.auth.access import Access
from handoff.billing import documents, domain
from handoff.billing import repository as repo
from handoff.billing.domain import RateScope, ShopAction, ShopSide, ShopStatus, TaxRule
from handoff.billing.schemas import InvoiceCreate, InvoiceOut, InvoicePage, InvoiceStep
from handoff.errors import Conflict, Invalid, NotFound, check_version
from handoff.events.envelope import Envelope, new_event, user_actor
from handoff.ids import utc_now
from handoff.portal import public as portal
from handoff.store import reads

if TYPE_CHECKING:
    from handoff.tickets import public as tickets

SOURCE = "handoff.billing"
NOT_FOUND = "invoice not found"
EVENT_OF = {
    ShopAction.SUBMIT: "InvoiceSubmitted",
    ShopAction.AUTHORIZE: "InvoiceAuthorized",
    ShopAction.DISPUTE: "InvoiceDisputed",
    ShopAction.REVISE: "InvoiceRevised",
    ShopAction.FINALIZE: "InvoiceFinalized",
    ShopAction.CREDIT: "CreditNoteIssued",
}


def invoice_out(item: repo.InvoiceItem) -> InvoiceOut:
    return InvoiceOut.model_validate(item, from_attributes=True)


def _event(access: Access, item: repo.InvoiceItem, type: str, **data: Any) -> Envelope:
    return new_event(
        source=SOURCE,
        type=type,
        tenant_id=item.tenant_id,
        entity_type="invoice",
        entity_id=item.invoice_id,
        version=int(item.version or 0) + 1,
        actor=user_actor(access.user_id, access.tenant),
        data={
            "work_order_id": item.work_order_id,
            "customer_id": item.customer_id,
            "status": item.status,
            "number": item.number,
            "currency": item.currency,
            "total_cents": int(item.total_cents),
            **data,
        },
    )


def _tax_rules(item: repo.InvoiceItem) -> tuple[TaxRule, ...]:
    """The rules of the shop's rate card in force on the invoice's tax point; without one, the tenant's
    one rate on every line."""
    card_id = repo.rate_card_of(item.tenant_id, domain.scope_key(RateScope.SHOP, None))
    tax_date = item.tax_date or item.created_at.date().isoformat()  # one made before invoices kept it
    version = repo.version_in_force(item.tenant_id, card_id, tax_date) if card_id else None
    if version is None:
        item.tax_rate_bp = accounts.tax_rate_bp(item.tenant_id)
        return domain.flat_tax(int(item.tax_rate_bp))
    item.tax_rate_bp = None
    return tuple(TaxRule.from_doc(rule) for rule in version.tax_rules or [])


def _total(item: repo.InvoiceItem, taxes: list[dict[str, object]]) -> None:
    """The subtotal of the item's lines, these taxes, and the total."""
    item.subtotal_cents = sum(int(str(line["amount_cents"])) for line in item.lines)
    item.taxes = taxes
    item.tax_cents = sum(int(str(tax["amount_cents"])) for tax in taxes)
    item.total_cents = int(item.subtotal_cents) + int(item.tax_cents)


def _price(item: repo.InvoiceItem, order: tickets.WorkOrder) -> None:
    """The lines and totals from the work order as it is now, at the approved prices, with the taxes."""
    item.lines = domain.shop_lines(order.lines)
    _total(item, domain.taxes(_tax_rules(item), item.lines))
    item.differs_from_estimate = any(bool(line["differs_from_estimate"]) for line in item.lines)


def _currency(tenant_id: str, order: tickets.WorkOrder) -> str:
    from handoff.estimates import public as estimates  # loaded by the routes that invoice (ADR 0013)

    currency = estimates.currency_of(tenant_id, order.estimate_id, order.estimate_version)
    if currency is None:
        raise Conflict("the estimate this work order approved has no currency", code="no_currency")
    return currency


def _ready(order: tickets.WorkOrder | None) -> tickets.WorkOrder:
    if order is None or not order.ready:
        raise Conflict("only a work order waiting in ready_to_submit is invoiced", code="not_ready")
    return order


def create(access: Access, body: InvoiceCreate) -> InvoiceOut:
    from handoff.tickets import public as tickets  # loaded by the routes that read work (ADR 0013)

    found = tickets.work_order(access.tenant, body.work_order_id)
    if found is None:
        raise Invalid("work_order_id", "no such work order")
    order = _ready(found)
    item = repo.new_shop_invoice(
        access.tenant,
        order.ticket_id,
        customer_id=order.customer_id,
        unit_id=order.unit_id,
        ro_number=order.ro_number,
        currency=_currency(access.tenant, order),
        tax_date=utc_now().date().isoformat(),
        needs_authorization=portal.requires_invoice_authorization(access.tenant, order.customer_id),
        status=ShopStatus.DRAFT.value,
        subtotal_cents=0,
        tax_cents=0,
        total_cents=0,
    )
    _price(item, order)
    item.record("draft", access.user_id, None)
    repo.create_shop_invoice(item, _event(access, item, "InvoiceDrafted"))
    return invoice_out(item)


def _visible(access: Access, invoice_id: str) -> repo.InvoiceItem:
    """The shop's staff see its invoices; a portal user those of its own companies, once submitted."""
    item = repo.get_shop_invoice(access.tenant, invoice_id)
    if item is None:
        raise NotFound(NOT_FOUND)
    hidden = item.status in repo.HIDDEN_FROM_CUSTOMERS
    if access.is_portal_user and (not access.may_see_customer(item.customer_id) or hidden):
        raise NotFound(NOT_FOUND)
    return item


def get(access: Access, invoice_id: str) -> InvoiceOut:
    return invoice_out(_visible(access, invoice_id))


def shop_name(tenant_id: str) -> str:
    return accounts.tenant_name(tenant_id)


def as_csv(invoice: InvoiceOut) -> str:
    """The invoice as CSV: a row per line, then the subtotal, tax and total rows."""
    lines = ((ln.kind, ln.description, ln.quantity, ln.unit_cents, ln.amount_cents) for ln in invoice.lines)
    totals = [
        ("subtotal", invoice.subtotal_cents),
        ("tax", invoice.tax_cents),
        ("total", invoice.total_cents),
    ]
    return documents.as_csv(invoice.invoice_id, invoice.number, lines, totals)


def list_(
    access: Access, status: ShopStatus | None, customer_id: str | None, limit: int, cursor: str | None
) -> InvoicePage:
    """The shop: one status (draft by default); a portal user: one of its companies' (the first by
    default), newest first."""
    if access.is_portal_user:
        chosen = customer_id or (min(access.customer_ids) if access.customer_ids else None)
        if chosen is None or not access.may_see_customer(chosen):
            raise NotFound("customer not found")
        page = repo.of_customer(access.tenant, chosen, limit, cursor)
    elif customer_id is not None:
        page = repo.of_customer(access.tenant, customer_id, limit, cursor)
    else:
        page = repo.shop_board(access.tenant, (status or ShopStatus.DRAFT).value, limit, cursor)
    return InvoicePage(items=[invoice_out(i) for i in page.items], next_cursor=page.next_cursor)


def act(
    access: Access, invoice_id: str, action: ShopAction, body: InvoiceStep, expected_version: int | None
) -> InvoiceOut:
    """A step, decided again from fresh reads if it loses a race (two finalizations taking one number)."""
    return reads.retry_on_conflict(lambda: _act(access, invoice_id, action, body, expected_version))


def _act(
    access: Access, invoice_id: str, action: ShopAction, body: InvoiceStep, expected_version: int | None
) -> InvoiceOut:
    item = _visible(access, invoice_id)
    check_version(expected_version, item.version)
    side = ShopSide.CUSTOMER if access.is_portal_user else ShopSide.SHOP
    if item.status != ShopStatus.FINALIZED.value:  # the customer's rule as it is now, not as it was
        item.needs_authorization = portal.requires_invoice_authorization(item.tenant_id, item.customer_id)
    after = domain.take_shop_step(ShopStatus(item.status), action, side, bool(item.needs_authorization))
    if action is ShopAction.DISPUTE and not body.note:
        raise Invalid("note", "say what is wrong with the invoice")
    if action is ShopAction.CREDIT and not body.note:
        raise Invalid("note", "say why it is credited")
    if body.credit_lines is not None and action is not ShopAction.CREDIT:
        raise Invalid("credit_lines", "only a credit names lines to credit")
    if action is ShopAction.CREDIT:
        return _credit(access, item, body)
    from handoff.tickets import public as tickets  # loaded by the routes that read work (ADR 0013)

    order: tickets.WorkOrder | None = None
    if side is ShopSide.SHOP:  # what the shop submits or finalizes is the work order as it is, still ready
        order = _ready(tickets.work_order(item.tenant_id, item.work_order_id))
        _price(item, order)
    elif after is ShopStatus.FINALIZED:  # the customer authorizes what it was sent, the order still ready
        order = _ready(tickets.work_order(item.tenant_id, item.work_order_id))
        if domain.shop_lines(order.lines) != item.lines:
            raise Conflict(
                "the work order changed since this invoice was submitted: the shop revises it",
                code="work_order_changed",
            )
    item.dispute = {"note": body.note, "by": access.user_id} if action is ShopAction.DISPUTE else item.dispute
    number: repo.NumberTaken | None = None
    if after is ShopStatus.FINALIZED:
        series = f"S{utc_now().year}"
        number = repo.take_number(item.tenant_id, series)
        item.series, item.number = series, domain.invoice_number(series, number.taken)
    item.status = after.value
    item.record(action.value, access.user_id, body.note)
    events = [_event(access, item, EVENT_OF[action], note=body.note)]
    if action is ShopAction.AUTHORIZE:  # the customer's authorization finalizes it
        events.append(_event(access, item, "InvoiceFinalized", note=None))
    ready = (order.ticket_id, order.version) if order is not None and after is ShopStatus.FINALIZED else None
    repo.save_shop_invoice(item, events, number, ready=ready)
    return invoice_out(item)


def _charged_taxes(item: repo.InvoiceItem) -> list[dict[str, object]]:
    """The taxes the invoice charged, rule by rule (one made before invoices kept them: its one rate)."""
    return list(item.taxes or []) or domain.taxes(domain.flat_tax(int(item.tax_rate_bp or 0)), item.lines)


def _credit(access: Access, item: repo.InvoiceItem, body: InvoiceStep) -> InvoiceOut:
    """A credit note against a finalized invoice: the lines and amounts asked (none: what is left), its
    taxes given back as the invoice charged them (never more in all), numbered in the credit series; the
    invoice keeps what was credited of each line and tax, so nothing is credited twice (two credits that
    read the same invoice cannot both commit)."""
    if item.kind == "credit_note":
        raise Conflict("a credit note is not credited; credit the invoice it corrects", code="credit_note")
    credited = {str(k): int(v) for k, v in (item.credited or {}).items()}
    asked = [(line.source_id, line.amount_cents) for line in body.credit_lines] if body.credit_lines else None
    lines = domain.credit_lines(item.lines, credited, asked)
    taxes, credited_taxes = domain.credit_taxes(_charged_taxes(item), item.credited_taxes or [], lines)
    note = repo.new_shop_invoice(
        item.tenant_id,
        item.work_order_id,
        kind="credit_note",
        credits_invoice_id=item.invoice_id,
        customer_id=item.customer_id,
        unit_id=item.unit_id,
        ro_number=item.ro_number,
        currency=item.currency,
        tax_rate_bp=item.tax_rate_bp,
        tax_date=item.tax_date,
        needs_authorization=False,
        status=ShopStatus.FINALIZED.value,
        lines=lines,
        subtotal_cents=0,
        tax_cents=0,
        total_cents=0,
    )
    _total(note, taxes)
    series = f"C{utc_now().year}"
    number = repo.take_number(item.tenant_id, series)
    note.series, note.number = series, domain.invoice_number(series, number.taken)
    note.record("credit", access.user_id, body.note)
    for line in lines:
        source = str(line["source_id"])
        credited[source] = credited.get(source, 0) + int(str(line["amount_cents"]))
    item.credited, item.credited_taxes = credited, credited_taxes
    item.credited_cents = int(item.credited_cents or 0) + int(note.total_cents)
    item.record("credit", access.user_id, body.note)
    event = _event(access, note, "CreditNoteIssued", note=body.note, credits_invoice_id=item.invoice_id)
    repo.save_shop_invoice(item, [event], number, credit_note=note)
    return invoice_out(note)
