"""Costs logged on a ticket (materials, travel, other): quantity times unit cost, billed with the markup of
the accepted terms, optionally proven by a receipt among the ticket's attachments."""

from __future__ import annotations

from handoff.auth.access import Access
from handoff.errors import Invalid
from handoff.ids import utc_now
from handoff.tickets import attachments, domain, service
from handoff.tickets import repository as repo
from handoff.tickets.domain import Side, TicketStatus
from handoff.tickets.schemas.costs import CostCreate, CostOut, CostPage


def cost_out(cost: repo.CostItem) -> CostOut:
    return CostOut.model_validate(cost, from_attributes=True)


def log(access: Access, ticket_id: str, body: CostCreate) -> CostOut:
    """The company doing the work logs what its totals bill; the owner's staff may log their own costs on
    outsourced work too, billed at nothing and kept theirs (like their time)."""
    doer = service.doer_of(access)
    item = service.visible(access.tenant, ticket_id, doer)
    domain.check_loggable(TicketStatus(item.status))
    domain.check_work_date(body.work_date, utc_now())
    if body.receipt_id is not None:
        receipt = repo.get_attachment(item.tenant_id, item.ticket_id, body.receipt_id)
        if receipt is None or not attachments.may_see(receipt, doer) or receipt.status != "available":
            raise Invalid("receipt_id", "not an available attachment of this ticket")
    worker = service.is_worker(item, doer)
    before = item.billable_cents
    terms = service.terms_on(item, body.work_date) if worker else None
    cost = domain.cost_cents(body.quantity, body.unit_cost_cents)
    billed = domain.billed_cost_cents(cost, terms)
    if worker:
        item.cost_cents = int(item.cost_cents) + cost
        item.billed_cost_cents = int(item.billed_cost_cents) + billed
    partner = item.servicer_id if worker else None
    day = body.work_date.isoformat()
    line = repo.new_cost(
        item,
        doer.by,
        doer.company_id,
        partner,
        category=body.category,
        description=body.description,
        quantity=str(body.quantity),
        unit_cost_cents=body.unit_cost_cents,
        cost_cents=cost,
        billed_cents=billed,
        currency=terms.currency if terms else None,
        work_date=day,
        receipt_id=body.receipt_id,
    )
    facts = {
        "cost_id": line.cost_id,
        "category": body.category,
        "description": body.description,
        "quantity": str(body.quantity),
        "unit_cost_cents": body.unit_cost_cents,
        "cost_cents": cost,
        "billed_cents": billed,
        "receipt_id": body.receipt_id,
        "work_date": day,
    }
    change = service.change_of(
        item,
        "TicketCostLogged",
        doer,
        "cost",
        partner,
        facts,
        cost_id=line.cost_id,
        amount_cents=billed,
        work_date=day,
        text=body.description,
    )
    service.commit(item, doer, service.flag_nte(item, doer, before, change), costs=(line,))
    return cost_out(line)


def list_(access: Access, ticket_id: str, limit: int, cursor: str | None) -> CostPage:
    doer = service.doer_of(access)
    service.visible(access.tenant, ticket_id, doer)
    partner = doer.company_id if doer.side is Side.PARTNER else None
    page = repo.costs(access.tenant, ticket_id, partner, limit, cursor)
    return CostPage(items=[cost_out(c) for c in page.items], next_cursor=page.next_cursor)
