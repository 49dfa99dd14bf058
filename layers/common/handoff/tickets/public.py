"""What other contexts may ask of tickets: the work a partner did on an outsourced ticket, as billing needs
it (its time entries and costs of the current assignment, the accepted terms, the not-to-exceed amount); a
work order as the shop invoices it, and the condition that it is still ready as read."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pynamodb.transactions import TransactWrite

from handoff.errors import Conflict
from handoff.store.pages import MAX_LIMIT
from handoff.tickets import repository as repo
from handoff.tickets.domain import CostSpent, OrderLine, Terms, TicketStatus, TimeWorked


@dataclass(frozen=True)
class PartnerWork:
    ticket_id: str
    title: str
    servicer_id: str
    terms: Terms
    not_to_exceed_cents: int | None
    billable_cents: int  # the ticket's own running total of the same work
    time: tuple[TimeWorked, ...]
    costs: tuple[CostSpent, ...]


def not_to_exceed(owner_id: str, ticket_id: str) -> int | None:
    """The ticket's not-to-exceed amount now (raised requests included)."""
    item = repo.get_ticket(owner_id, ticket_id)
    return item.not_to_exceed_cents if item is not None else None


def partner_work(owner_id: str, ticket_id: str, servicer_id: str) -> PartnerWork | None:
    """This partner's billable work on the ticket under its current outsourcing (None: the ticket is not, or
    no longer, outsourced to it): every page of the entries and costs logged since that outsourcing's offer
    was made (an earlier assignment's work was that assignment's), at the amounts logged."""
    item = repo.get_ticket(owner_id, ticket_id)
    if item is None or item.servicer_id != servicer_id or item.terms is None or item.offer_id is None:
        return None
    offer = repo.get_offer(owner_id, ticket_id, item.offer_id)
    since = offer.created_at if offer is not None else item.created_at
    partner = item.servicer_id
    time: list[TimeWorked] = []
    cursor: str | None = None
    while True:
        page = repo.activity(owner_id, ticket_id, partner, MAX_LIMIT, cursor)
        time += [
            TimeWorked(
                a.entry_id,
                int(a.minutes),
                a.work_type,
                str(a.day),
                int(a.amount_cents or 0),
                int(a.rate_cents) if a.rate_cents is not None else None,
            )
            for a in page.items
            if a.kind == "time" and a.company_id == partner and a.minutes and a.created_at >= since
        ]
        if not (cursor := page.next_cursor):
            break
    costs: list[CostSpent] = []
    while True:
        lines = repo.costs(owner_id, ticket_id, partner, MAX_LIMIT, cursor)
        costs += [
            CostSpent(
                c.cost_id,
                c.description,
                Decimal(c.quantity),
                int(c.unit_cost_cents),
                c.work_date,
                int(c.billed_cents),
            )
            for c in lines.items
            if c.company_id == partner and c.created_at >= since
        ]
        if not (cursor := lines.next_cursor):
            break
    return PartnerWork(
        ticket_id=item.ticket_id,
        title=item.title,
        servicer_id=partner,
        terms=item.terms,
        not_to_exceed_cents=item.not_to_exceed_cents,
        billable_cents=item.billable_cents,
        time=tuple(time),
        costs=tuple(costs),
    )


@dataclass(frozen=True)
class WorkOrder:
    ticket_id: str
    customer_id: str
    unit_id: str
    estimate_id: str
    estimate_version: int
    ro_number: int | None
    ready: bool  # waiting in "ready to submit": the shop invoices it
    lines: tuple[OrderLine, ...]
    version: int  # as read: finalizing its invoice holds only while it is unchanged


def work_order(tenant_id: str, ticket_id: str) -> WorkOrder | None:
    """A work order as the shop invoices it: its lines at the approved prices (read from the work required
    they came from, one BatchGetItem) with the time clocked on each."""
    item = repo.get_ticket(tenant_id, ticket_id)
    if item is None or not item.is_work_order or not item.customer_id or not item.estimate_id:
        return None
    works = {w.work_id: w for w in repo.get_works(tenant_id, [ln["work_id"] for ln in item.lines or []])}
    lines = []
    for line in item.lines or []:
        if line["work_id"] not in works:  # never priced at nothing: the approved line is where its rate is
            raise Conflict("a line of this work order lost its approved work", code="work_missing")
        approved = works[line["work_id"]].line
        lines.append(
            OrderLine(
                line_id=str(line["line_id"]),
                work_id=str(line["work_id"]),
                description=str(line["description"]),
                estimated_hours=Decimal(str(line["hours"])),
                hourly_rate=int(approved.get("hourly_rate", 0)),
                clocked_seconds=int(line.get("clocked_seconds", 0)),
                parts=tuple(
                    (str(p["description"]), Decimal(str(p["quantity"])), int(p["unit_price"]))
                    for p in approved.get("parts", [])
                ),
            )
        )
    return WorkOrder(
        ticket_id=item.ticket_id,
        customer_id=item.customer_id,
        unit_id=item.unit_id or "",
        estimate_id=item.estimate_id,
        estimate_version=int(item.estimate_version or 1),
        ro_number=int(item.ro_number) if item.ro_number is not None else None,
        ready=item.status == TicketStatus.READY_TO_SUBMIT.value,
        lines=tuple(lines),
        version=int(item.version or 0),
    )


def stage_still_ready(tx: TransactWrite, tenant_id: str, work_order_id: str, version: int) -> None:
    """Into the caller's transaction: it commits only while the work order is as read, ready to submit (a
    reopening racing with it wins)."""
    repo.stage_unchanged(tx, tenant_id, work_order_id, TicketStatus.READY_TO_SUBMIT.value, version)
