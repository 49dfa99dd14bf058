"""Use cases of partner invoices (automatic billing): when an outsourced ticket completes (or, where the owner
requires approval, is approved), the partner-invoicing workflow has its invoice computed from the partner's
time and costs at the accepted terms; the partner reviews and sends it (numbered then, per partner and series,
without gaps); it approves itself when sent as computed and within the not-to-exceed amount; otherwise the
owner's approvers approve (within their limits), dispute it with line notes, or reject it."""

from __future__ import annotations

from typing import Any

from handoff.accounts import public as accounts
from handoff.auth.access import Access
from handoff.billing import documents, domain
from handoff.billing import repository as repo
from handoff.billing.domain import InvoiceAction, InvoiceSide, InvoiceStatus
from handoff.billing.schemas import PartnerInvoiceOut, PartnerInvoicePage, PartnerInvoiceStep
from handoff.errors import Forbidden, Invalid, NotFound, check_version
from handoff.events.envelope import Actor, Envelope, new_event, user_actor
from handoff.ids import utc_now
from handoff.store import reads

SOURCE = "handoff.billing"
NOT_FOUND = "partner invoice not found"
EVENT_OF = {
    InvoiceStatus.SENT: "PartnerInvoiceSent",
    InvoiceStatus.APPROVED: "PartnerInvoiceApproved",
    InvoiceStatus.DISPUTED: "PartnerInvoiceDisputed",
    InvoiceStatus.REJECTED: "PartnerInvoiceRejected",
}
EVENT_OF_ACTION = {InvoiceAction.ESCALATE: "PartnerInvoiceEscalated"}


def invoice_out(item: repo.PartnerInvoiceItem, *, to_partner: bool = False) -> PartnerInvoiceOut:
    """The invoice as its reader sees it: the owner's endorsements (its approvers and their limits) stay the
    owner's."""
    return PartnerInvoiceOut.model_validate(
        {
            "invoice_id": item.invoice_id,
            "owner_id": item.tenant_id,
            "servicer_id": item.servicer_id,
            "ticket_id": item.ticket_id,
            "title": item.title,
            "currency": item.currency,
            "status": item.status,
            "number": item.number,
            "lines": item.lines,
            "computed_cents": int(item.computed_cents),
            "adjustment_cents": int(item.adjustment_cents),
            "adjustment_note": item.adjustment_note,
            "total_cents": int(item.total_cents),
            "not_to_exceed_cents": item.nte,
            "over_nte": item.over_nte,
            "auto_approved": bool(item.auto_approved),
            "dispute": item.dispute,
            "endorsements": [] if to_partner else item.endorsements or [],
            "history": item.history,
            "version": int(item.version or 0),
            "created_at": item.created_at,
            "updated_at": item.updated_at,
        }
    )


def _event(
    item: repo.PartnerInvoiceItem, type: str, actor: Actor, *, shared: bool = True, **data: Any
) -> Envelope:
    return new_event(
        source=SOURCE,
        type=type,
        tenant_id=item.tenant_id,
        entity_type="partner_invoice",
        entity_id=item.invoice_id,
        version=int(item.version or 0) + 1,
        actor=actor,
        data={
            "ticket_id": item.ticket_id,
            "servicer_id": item.servicer_id,
            "status": item.status,
            "number": item.number,
            "currency": item.currency,
            "computed_cents": int(item.computed_cents),
            "total_cents": int(item.total_cents),
            "over_nte": item.over_nte,
            **data,
        },
        shared_with=[item.servicer_id] if shared else [],
    )


# ---- computed by the partner-invoicing workflow (through the bus) -----------------------------------------


def compute(owner_id: str, ticket_id: str, servicer_id: str, version: int) -> str:
    """The invoice of one completion, from the partner's time and costs at the accepted terms: once, and
    without what an earlier invoice of the ticket (not rejected) billed already."""
    from handoff.tickets import public as tickets  # loaded by the routes that read work (ADR 0013)

    work = tickets.partner_work(owner_id, ticket_id, servicer_id)
    if work is None:
        return "nothing to bill"
    billed = frozenset(
        str(line["source_id"])
        for earlier in repo.invoices_of_ticket(owner_id, ticket_id)
        if earlier.status != InvoiceStatus.REJECTED.value
        for line in earlier.lines
    )
    lines = domain.invoice_lines(work.terms, work.time, work.costs, billed)
    if not lines:
        return "nothing new to bill"
    computed = sum(line.amount_cents for line in lines)
    item = repo.new_invoice(
        owner_id,
        work.servicer_id,
        ticket_id,
        version,
        title=work.title,
        currency=work.terms.currency,
        lines=[line.to_doc() for line in lines],
        computed_cents=computed,
        total_cents=computed,
        not_to_exceed_cents=work.not_to_exceed_cents,
        status=InvoiceStatus.DRAFT.value,
    )
    item.record("computed", "system:partner-invoicing", None)
    actor = Actor(kind="system", id="partner-invoicing", tenant_id=owner_id)
    made = repo.create(item, _event(item, "PartnerInvoiceComputed", actor, lines=len(lines)))
    return "computed" if made else "already computed"


# ---- the API ---------------------------------------------------------------------------------------------


def _side(access: Access) -> InvoiceSide:
    return InvoiceSide.PARTNER if access.servicer is not None else InvoiceSide.OWNER


def _visible(access: Access, invoice_id: str) -> repo.PartnerInvoiceItem:
    """The owner's staff see every invoice addressed to it; a partner only its own."""
    item = repo.get_invoice(access.tenant, invoice_id)
    partner = access.servicer.servicer_id if access.servicer is not None else None
    if item is None or (partner is not None and item.servicer_id != partner):
        raise NotFound(NOT_FOUND)
    return item


def get(access: Access, invoice_id: str) -> PartnerInvoiceOut:
    return invoice_out(_visible(access, invoice_id), to_partner=access.servicer is not None)


def as_csv(invoice: PartnerInvoiceOut) -> str:
    """The invoice as CSV: a row per line, then the computed amount, the adjustment and the total rows."""
    lines = ((ln.kind, ln.description, ln.quantity, ln.unit_cents, ln.amount_cents) for ln in invoice.lines)
    totals = [
        ("computed", invoice.computed_cents),
        ("adjustment", invoice.adjustment_cents),
        ("total", invoice.total_cents),
    ]
    return documents.as_csv(invoice.invoice_id, invoice.number, lines, totals)


def issuer_name(invoice: PartnerInvoiceOut) -> str:
    """The partner's name, as its invoice prints it (the owner and the partner are linked)."""
    return accounts.tenant_name(invoice.servicer_id)


def list_(access: Access, status: InvoiceStatus | None, limit: int, cursor: str | None) -> PartnerInvoicePage:
    """The owner: one status (sent by default: what waits for it); a partner: what it invoiced this owner."""
    if access.servicer is not None:
        page = repo.issued(
            access.servicer.servicer_id, access.tenant, status.value if status else None, limit, cursor
        )
    else:
        page = repo.board(access.tenant, (status or InvoiceStatus.SENT).value, limit, cursor)
    to_partner = access.servicer is not None
    items = [invoice_out(i, to_partner=to_partner) for i in page.items]
    return PartnerInvoicePage(items=items, next_cursor=page.next_cursor)


def act(
    access: Access,
    invoice_id: str,
    action: InvoiceAction,
    body: PartnerInvoiceStep,
    expected_version: int | None = None,
) -> PartnerInvoiceOut:
    """A step of the invoice, decided again from fresh reads if it loses a race (two sendings taking the same
    number, an approval crossing a dispute)."""
    return reads.retry_on_conflict(lambda: _act(access, invoice_id, action, body, expected_version))


def _act(
    access: Access,
    invoice_id: str,
    action: InvoiceAction,
    body: PartnerInvoiceStep,
    expected_version: int | None,
) -> PartnerInvoiceOut:
    item = _visible(access, invoice_id)
    check_version(expected_version, item.version)  # an approver decides on the total they saw
    side = _side(access)
    if side is InvoiceSide.PARTNER and not access.answers_offers:
        raise Forbidden(
            "your company's admins, and the members they allow to accept work, send its invoices",
            code="may_not_accept_work",
        )
    _check_fields(action, body, item)
    after = domain.take(InvoiceStatus(item.status), action, side)
    actor = user_actor(access.user_id, access.servicer.servicer_id if access.servicer else access.tenant)
    number: repo.NumberTaken | None = None
    if action is InvoiceAction.SEND:
        adjustment = body.adjustment_cents or 0
        item.total_cents = domain.total(int(item.computed_cents), adjustment)
        item.adjustment_cents, item.adjustment_note = adjustment, body.note if adjustment else None
        item.dispute, item.endorsements = None, []
        from handoff.tickets import public as tickets  # loaded by the routes that read work (ADR 0013)

        item.not_to_exceed_cents = tickets.not_to_exceed(item.tenant_id, item.ticket_id)  # as it is now
        if item.number is None:
            series = str(utc_now().year)
            number = repo.take_number(item.servicer_id, series)
            item.series, item.number = series, domain.invoice_number(series, number.taken)
    elif action is InvoiceAction.APPROVE:
        domain.check_approver(accounts.approval_limit(access.tenant, access.user_id), int(item.total_cents))
    elif action is InvoiceAction.ESCALATE:
        limit = accounts.approval_limit(access.tenant, access.user_id)
        endorsed = [str(e["by"]) for e in item.endorsements or []]
        domain.check_escalation(limit, int(item.total_cents), endorsed, access.user_id)
        endorsement = {
            "by": access.user_id,
            "limit_cents": limit,
            "note": body.note,
            "at": utc_now().isoformat(),
        }
        item.endorsements = [*(item.endorsements or []), endorsement]
    elif action is InvoiceAction.DISPUTE:
        item.dispute = {"note": body.note, "items": [i.model_dump() for i in body.items or []]}
    item.status = after.value
    if action is not InvoiceAction.ESCALATE:  # an endorsement is the owner's own: kept in `endorsements`
        item.record(action.value, access.user_id, body.note)
    if action is InvoiceAction.DISPUTE and item.dispute is not None:  # kept after a resend clears it
        item.history[-1]["items"] = item.dispute["items"]
    event_type = EVENT_OF_ACTION.get(action) or EVENT_OF[after]
    escalation = {"needs_limit_cents": int(item.total_cents)} if action is InvoiceAction.ESCALATE else {}
    shared = action is not InvoiceAction.ESCALATE
    events = [
        _event(item, event_type, actor, shared=shared, note=body.note, dispute=item.dispute, **escalation)
    ]
    disputed = any(step["action"] == InvoiceAction.DISPUTE.value for step in item.history)
    if after is InvoiceStatus.SENT and domain.auto_approves(
        int(item.computed_cents), int(item.total_cents), item.nte, disputed
    ):
        item.status, item.auto_approved = InvoiceStatus.APPROVED.value, True
        item.record("auto-approved", "system:partner-invoicing", None)
        system = Actor(kind="system", id="partner-invoicing", tenant_id=item.tenant_id)
        events.append(_event(item, "PartnerInvoiceApproved", system, auto=True))
    repo.save(item, events, number, partner_link=side is InvoiceSide.PARTNER)
    return invoice_out(item, to_partner=side is InvoiceSide.PARTNER)


def _check_fields(action: InvoiceAction, body: PartnerInvoiceStep, item: repo.PartnerInvoiceItem) -> None:
    """Each step takes its own fields, and says which one is wrong."""
    if body.adjustment_cents is not None and action is not InvoiceAction.SEND:
        raise Invalid("adjustment_cents", "only sending adjusts the amount")
    if body.items is not None and action is not InvoiceAction.DISPUTE:
        raise Invalid("items", "only a dispute names lines")
    if action is InvoiceAction.SEND and body.adjustment_cents and not body.note:
        raise Invalid("note", "say what the adjustment is for")
    if action is InvoiceAction.DISPUTE and not body.items:
        raise Invalid("items", "name the lines you dispute, with a note each")
    sources = {str(line["source_id"]) for line in item.lines}
    seen: set[str] = set()
    for index, disputed in enumerate(body.items or []):
        if disputed.source_id not in sources or disputed.source_id in seen:
            raise Invalid(f"items.{index}.source_id", "name each line of this invoice once, by its source_id")
        seen.add(disputed.source_id)
    if action is InvoiceAction.REJECT and not body.note:
        raise Invalid("note", "give a reason to reject")
