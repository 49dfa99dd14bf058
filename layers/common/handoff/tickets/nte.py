"""Not-to-exceed: the most outsourced work may bill is the accepted terms' amount; time or a cost past it is
flagged on entry (`service.flag_nte`), and the partner asks the owner to raise it. One request waits at a
time; the owner's dispatchers and admins approve (the ticket's amount is raised in the same transaction) or
reject it with a reason."""

from __future__ import annotations

from handoff.auth.access import Access
from handoff.errors import Conflict, Forbidden, NotFound
from handoff.ids import utc_now
from handoff.tickets import domain, service
from handoff.tickets import repository as repo
from handoff.tickets.domain import NteAction, NteStatus, Side, TicketStatus
from handoff.tickets.schemas.nte import NteAnswer, NteRequestCreate, NteRequestOut, NteRequestPage

NOT_FOUND = "not-to-exceed request not found"
EVENT_OF_ANSWER = {NteAction.APPROVE: "NteIncreaseApproved", NteAction.REJECT: "NteIncreaseRejected"}


def request_out(item: repo.NteRequestItem) -> NteRequestOut:
    return NteRequestOut.model_validate(item, from_attributes=True)


def _facts(request: repo.NteRequestItem) -> dict[str, object]:
    return {
        "request_id": request.request_id,
        "current_cents": int(request.current_cents),
        "requested_cents": int(request.requested_cents),
        "request_status": request.status,
    }


def request(access: Access, ticket_id: str, body: NteRequestCreate) -> NteRequestOut:
    """The partner doing the work (its admins, and the members allowed to accept work) asks for more."""
    doer = service.doer_of(access)
    item = service.visible(access.tenant, ticket_id, doer)
    if doer.side is not Side.PARTNER or not doer.answers_offers:
        raise Forbidden(
            "the partner's admins, and its members allowed to accept work, ask to raise the not-to-exceed",
            code="may_not_accept_work",
        )
    domain.check_loggable(TicketStatus(item.status))
    pending = any(r.status == NteStatus.PENDING.value for r in _all(item, doer))
    domain.check_nte_increase(item.not_to_exceed_cents, body.requested_cents, pending)
    asked = repo.new_nte_request(item, doer.by, body.requested_cents, body.reason)
    facts = {**_facts(asked), "reason": body.reason}
    change = service.change_of(
        item,
        "NteIncreaseRequested",
        doer,
        "step",
        item.servicer_id,
        facts,
        step="nte-request",
        text=body.reason,
    )
    service.commit(item, doer, [change], nte_requests=(asked,))
    return request_out(asked)


def _all(item: repo.TicketItem, doer: service.Doer) -> list[repo.NteRequestItem]:
    """The requests of the current assignment (one page: one request waits at a time, and few are made)."""
    partner = doer.company_id if doer.side is Side.PARTNER else item.servicer_id
    page = repo.nte_requests(item.tenant_id, item.ticket_id, partner, 100, None)
    return page.items


def list_(access: Access, ticket_id: str, limit: int, cursor: str | None) -> NteRequestPage:
    doer = service.doer_of(access)
    service.visible(access.tenant, ticket_id, doer)
    partner = doer.company_id if doer.side is Side.PARTNER else None
    page = repo.nte_requests(access.tenant, ticket_id, partner, limit, cursor)
    return NteRequestPage(items=[request_out(r) for r in page.items], next_cursor=page.next_cursor)


def answer(
    access: Access, ticket_id: str, request_id: str, action: NteAction, body: NteAnswer
) -> NteRequestOut:
    """The owner approves (the ticket's not-to-exceed becomes the requested amount) or rejects."""
    doer = service.doer_of(access)
    item = service.visible(access.tenant, ticket_id, doer)
    asked = repo.get_nte_request(access.tenant, ticket_id, request_id)
    if asked is None:
        raise NotFound(NOT_FOUND)
    if not doer.may_dispatch:
        raise Forbidden("the owner's dispatchers and admins answer a not-to-exceed request")
    status = domain.answer_nte(NteStatus(asked.status), action, body.note)
    if asked.servicer_id != item.servicer_id:  # asked for an assignment that has ended
        raise Conflict("this request belongs to an earlier assignment", code="illegal_transition")
    asked.status = status.value
    asked.answer = {"by": doer.by, "at": utc_now().isoformat(), "note": body.note}
    if status is NteStatus.APPROVED:
        # Approved only while it still raises the amount (terms accepted since may name more already).
        domain.check_nte_increase(item.not_to_exceed_cents, int(asked.requested_cents), False)
        item.nte_cents = int(asked.requested_cents)
    facts = {**_facts(asked), "note": body.note, "not_to_exceed_cents": item.not_to_exceed_cents}
    step = f"nte-{action.value}"
    change = service.change_of(
        item, EVENT_OF_ANSWER[action], doer, "step", item.servicer_id, facts, step=step, text=body.note
    )
    service.commit(item, doer, [change], nte_requests=(asked,))
    return request_out(asked)
