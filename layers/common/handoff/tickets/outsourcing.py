"""Outsourcing: the owner offers a ticket to a linked partner at terms; the two sides negotiate round by round
(accept, counter, decline, reject) within an acceptance window until one side accepts what the other
proposed, and what was accepted is what the work bills at. The ticket's own steps (outsource, accept,
decline, withdraw, cancel) go through the offer too, so there is one way to outsource whatever the route.
Every answer is committed with the ticket, the offer, their activity entries and events in one transaction;
the window's timer starts and stops from those committed events."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from handoff.accounts import public as accounts
from handoff.auth.access import Access
from handoff.config import workflow_settings
from handoff.errors import Conflict, Forbidden, Invalid, NotFound
from handoff.ids import utc_now
from handoff.tickets import domain, service
from handoff.tickets import repository as repo
from handoff.tickets.domain import OfferAction, OfferStatus, Side, Terms, TicketAction, TicketStatus
from handoff.tickets.schemas import AssignIn, TicketOut, TicketStep
from handoff.tickets.schemas.offers import OfferAnswer, OfferCreate, OfferOut, OfferPage

OFFER_NOT_FOUND = "offer not found"
EVENT_OF_ANSWER = {
    OfferAction.ACCEPT: "OfferAccepted",
    OfferAction.DECLINE: "OfferDeclined",
    OfferAction.COUNTER: "OfferCountered",
    OfferAction.REJECT: "OfferRejected",
}
# The ticket steps that answer the offer on the table (the ticket route's accept and decline).
ANSWER_OF_STEP = {TicketAction.ACCEPT: OfferAction.ACCEPT, TicketAction.DECLINE: OfferAction.DECLINE}
# Steps that end an offer still waiting for its answer.
ENDING_STEPS = frozenset({TicketAction.WITHDRAW, TicketAction.CANCEL})


def offer_out(offer: repo.OfferItem) -> OfferOut:
    pending = offer.status == OfferStatus.PENDING.value
    return OfferOut.model_validate(
        {
            "offer_id": offer.offer_id,
            "ticket_id": offer.ticket_id,
            "owner_id": offer.tenant_id,
            "servicer_id": offer.servicer_id,
            "title": offer.title,
            "status": offer.status,
            "turn": offer.turn if pending else None,
            "terms": offer.rounds[-1]["terms"],
            "rounds": offer.rounds,
            "window_hours": int(offer.window_hours),
            "expires_at": offer.expires_at if pending else None,
            "answer": offer.answer,
            "version": int(offer.version or 0),
            "created_at": offer.created_at,
            "updated_at": offer.updated_at,
        }
    )


def _expiry(window_hours: int) -> Any:
    return utc_now() + timedelta(seconds=window_hours * workflow_settings().offer_hour_seconds)


def _facts(offer: repo.OfferItem, **more: Any) -> dict[str, Any]:
    """What every offer event says: the offer, its round and terms, and the window its timer runs for."""
    return {
        "offer_id": offer.offer_id,
        "offer_status": offer.status,
        "round": offer.round,
        "turn": offer.turn,
        "terms": offer.rounds[-1]["terms"],
        "window_hours": int(offer.window_hours),
        **more,
    }


def _visible_offer(item: repo.TicketItem, offer_id: str, doer: service.Doer) -> repo.OfferItem:
    offer = repo.get_offer(item.tenant_id, item.ticket_id, offer_id)
    if offer is None or (doer.side is Side.PARTNER and offer.servicer_id != doer.company_id):
        raise NotFound(OFFER_NOT_FOUND)
    return offer


# ---- staging ----------------------------------------------------------------------------------------------


def _rate_card_terms(owner_id: str, servicer_id: str) -> Terms | None:
    # Imported here: only an offer without terms reads billing, and the tickets API starts without it.
    from handoff.billing import public as billing

    return billing.partner_terms(owner_id, servicer_id, utc_now().date().isoformat())


def stage_offer(
    item: repo.TicketItem,
    doer: service.Doer,
    servicer_id: str | None,
    terms: Terms | None,
    window_hours: int | None,
    note: str | None,
) -> tuple[repo.OfferItem, list[service.Change]]:
    """The outsource step (link, location and dispatch checks), and the offer's first round: at the terms
    given, or else at the owner's rate card for the partner."""
    if servicer_id is not None and terms is None:
        terms = _rate_card_terms(item.tenant_id, servicer_id)
    outsourced = service.stage_step(
        item, TicketAction.OUTSOURCE, doer, note, servicer_id=servicer_id, terms=terms
    )
    assert servicer_id is not None and terms is not None  # the outsource step refuses them missing
    hours = window_hours or accounts.offer_window_hours(item.tenant_id)
    offer = repo.new_offer(item, servicer_id, hours, doer.by)
    offer.propose(Side.OWNER.value, doer.by, terms, note, _expiry(hours))
    item.offer_id = offer.offer_id
    made = service.change_of(
        item, "OfferMade", doer, "offer", servicer_id, _facts(offer), step="offer", offer_id=offer.offer_id
    )
    return offer, [outsourced, made]


def stage_answer(
    item: repo.TicketItem,
    offer: repo.OfferItem,
    action: OfferAction,
    doer: service.Doer,
    terms: Terms | None,
    note: str | None,
) -> list[service.Change]:
    """One answer: the offer's status and turn from the one table of answers, the ticket's step for an answer
    that ends the negotiation, and an entry and event each."""
    if doer.side is Side.PARTNER and not doer.answers_offers:
        raise Forbidden(
            "only your company's admins, and the members they allow to accept work, answer offers",
            code="may_not_accept_work",
        )
    if doer.side is Side.OWNER and not doer.may_dispatch:
        raise Forbidden("your roles in this tenant do not allow you to answer offers")
    after = domain.answer(OfferStatus(offer.status), Side(offer.turn), offer.round, action, doer.side)
    if offer.offer_id != item.offer_id:  # defensive: a pending offer is always the ticket's current one
        raise Conflict("this offer is no longer the ticket's", code="offer_closed")
    if action is OfferAction.COUNTER and terms is None:
        raise Invalid("terms", "a counter names the terms proposed instead")
    if action is not OfferAction.COUNTER and terms is not None:
        raise Invalid("terms", "only a counter names terms")
    if action in domain.NEEDS_REASON and not note:
        raise Invalid("note", f"give a reason to {action.value}")
    answered = offer.round
    changes: list[service.Change] = []
    if action is OfferAction.COUNTER:
        assert terms is not None
        offer.propose(doer.side.value, doer.by, terms, note, _expiry(int(offer.window_hours)))
        item.terms = terms  # the terms on the table
        item.record("counter", doer.by, doer.company_id, note, assignment=offer.servicer_id)
    else:
        step = domain.TICKET_STEP_OF_ANSWER[action]
        changes.append(service.stage_step(item, step, doer, note))
        _close(offer, after, action.value, doer, note)
        if action is OfferAction.ACCEPT:  # either side: it holds only while the link is active
            changes[-1].needs_link = offer.servicer_id
    facts = _facts(offer, answered_round=answered, note=note)
    changes.append(
        service.change_of(
            item,
            EVENT_OF_ANSWER[action],
            doer,
            "offer",
            offer.servicer_id,
            facts,
            step=f"offer-{action.value}",
            offer_id=offer.offer_id,
            text=note,
        )
    )
    return changes


def _close(
    offer: repo.OfferItem, status: OfferStatus, how: str, doer: service.Doer, note: str | None
) -> None:
    offer.status = status.value
    offer.answer = {
        "action": how,
        "side": doer.side.value,
        "by": doer.by,
        "at": utc_now().isoformat(),
        "note": note,
    }


def stage_end(
    item: repo.TicketItem, offer: repo.OfferItem, doer: service.Doer, event_type: str, how: str, note: str
) -> service.Change:
    """An offer still waiting ends without an answer: withdrawn by the owner, or expired."""
    answered = offer.round
    status = OfferStatus.EXPIRED if event_type == "OfferExpired" else OfferStatus.WITHDRAWN
    _close(offer, status, how, doer, note)
    return service.change_of(
        item,
        event_type,
        doer,
        "offer",
        offer.servicer_id,
        _facts(offer, answered_round=answered, note=note),
        step=f"offer-{how}",
        offer_id=offer.offer_id,
        text=note,
    )


def _pending_offer(item: repo.TicketItem) -> repo.OfferItem | None:
    if item.offer_id is None or item.status != TicketStatus.OFFERED.value:
        return None
    offer = repo.get_offer(item.tenant_id, item.ticket_id, item.offer_id)
    return offer if offer is not None and offer.status == OfferStatus.PENDING.value else None


def stage_ticket_step(
    item: repo.TicketItem,
    step: TicketAction,
    doer: service.Doer,
    note: str | None,
    *,
    servicer_id: str | None = None,
    terms: Terms | None = None,
) -> tuple[list[service.Change], tuple[repo.OfferItem, ...]]:
    """A ticket step, through the offer where it concerns one: outsourcing makes an offer, accept and
    decline answer the one on the table, withdraw and cancel end it."""
    if step is TicketAction.OUTSOURCE:
        offer, changes = stage_offer(item, doer, servicer_id, terms, None, note)
        return changes, (offer,)
    pending = _pending_offer(item)
    if step in ANSWER_OF_STEP and pending is not None:
        return stage_answer(item, pending, ANSWER_OF_STEP[step], doer, None, note), (pending,)
    if step in ANSWER_OF_STEP and item.status == TicketStatus.OFFERED.value:
        raise Conflict("no offer of this ticket waits for an answer", code="offer_closed")
    changes = [service.stage_step(item, step, doer, note)]
    if step in ENDING_STEPS and pending is not None:
        changes.append(stage_end(item, pending, doer, "OfferWithdrawn", "withdraw", note or step.value))
        return changes, (pending,)
    return changes, ()


# ---- API use cases ----------------------------------------------------------------------------------------


def act(access: Access, ticket_id: str, step: TicketAction, body: TicketStep) -> TicketOut:
    doer = service.doer_of(access)
    item = service.visible(access.tenant, ticket_id, doer)
    terms = body.terms.to_terms() if body.terms else None
    if step is not TicketAction.OUTSOURCE and (body.servicer_id or body.terms):
        raise Invalid("servicer_id" if body.servicer_id else "terms", "only outsourcing names a partner")
    changes, offers = stage_ticket_step(
        item, step, doer, body.note, servicer_id=body.servicer_id, terms=terms
    )
    more, extra = service.stage_work_order_step(item, step, doer) if item.is_work_order else ([], {})
    service.commit(item, doer, [*changes, *more], offers=offers, **extra)
    return service.ticket_out(item, doer)


def assign(access: Access, ticket_id: str, body: AssignIn) -> TicketOut:
    """To a member (reassigning from another), or to a partner company: an offer at the given terms."""
    doer = service.doer_of(access)
    item = service.visible(access.tenant, ticket_id, doer)
    if body.servicer_id is None:
        return service.assign_member(access, item, body)
    previous = item.assignee_id
    terms = body.terms.to_terms() if body.terms else None
    offer, changes = stage_offer(item, doer, body.servicer_id, terms, None, body.note)
    company: dict[str, Any] = {
        "assignee_kind": "company",
        "assignee_id": body.servicer_id,
        "previous_assignee_id": previous,
    }
    assigned = service.change_of(
        item, "TicketAssigned", doer, "step", item.servicer_id, company, step="assign"
    )
    service.commit(item, doer, [*changes, assigned], offers=(offer,))
    return service.ticket_out(item, doer)


def make(access: Access, ticket_id: str, body: OfferCreate) -> OfferOut:
    doer = service.doer_of(access)
    item = service.visible(access.tenant, ticket_id, doer)
    offer, changes = stage_offer(
        item,
        doer,
        body.servicer_id,
        body.terms.to_terms() if body.terms else None,
        body.window_hours,
        body.note,
    )
    service.commit(item, doer, changes, offers=(offer,))
    return offer_out(offer)


def get(access: Access, ticket_id: str, offer_id: str) -> OfferOut:
    doer = service.doer_of(access)
    item = service.visible(access.tenant, ticket_id, doer)
    return offer_out(_visible_offer(item, offer_id, doer))


def list_for_ticket(access: Access, ticket_id: str, limit: int, cursor: str | None) -> OfferPage:
    doer = service.doer_of(access)
    service.visible(access.tenant, ticket_id, doer)
    partner = doer.company_id if doer.side is Side.PARTNER else None
    page = repo.ticket_offers(access.tenant, ticket_id, partner, limit, cursor)
    return OfferPage(items=[offer_out(o) for o in page.items], next_cursor=page.next_cursor)


def board(access: Access, status: OfferStatus, limit: int, cursor: str | None) -> OfferPage:
    """The owner's offers in one status; a partner's members: the offers this owner made to them."""
    doer = service.doer_of(access)
    if doer.side is Side.PARTNER:
        page = repo.partner_offers(doer.company_id, access.tenant, status.value, limit, cursor)
    else:
        page = repo.offer_board(access.tenant, status.value, limit, cursor)
    return OfferPage(items=[offer_out(o) for o in page.items], next_cursor=page.next_cursor)


def answer(access: Access, ticket_id: str, offer_id: str, action: OfferAction, body: OfferAnswer) -> OfferOut:
    doer = service.doer_of(access)
    item = service.visible(access.tenant, ticket_id, doer)
    offer = _visible_offer(item, offer_id, doer)
    terms = body.terms.to_terms() if body.terms else None
    changes = stage_answer(item, offer, action, doer, terms, body.note)
    service.commit(item, doer, changes, offers=(offer,))
    return offer_out(offer)


# ---- the acceptance window (from the Step Functions workflow, through the bus) -----------------------------


def window_deadline(kind: str, tenant_id: str, ticket_id: str, offer_id: str, round_: int) -> str:
    """A reminder, or the expiry, of one round of an offer: only if that very round still waits (an answer
    made the timer stale). An expired offer goes back to the owner: the ticket is open again."""
    item = repo.get_ticket(tenant_id, ticket_id)
    offer = repo.get_offer(tenant_id, ticket_id, offer_id)
    if item is None or offer is None or offer.status != OfferStatus.PENDING.value or offer.round != round_:
        return "stale"
    window = service.system(tenant_id, "offer-window")
    if kind == "reminder" and offer.reminded_round == round_:
        return "stale"  # a redelivered reminder: it was given
    if kind == "reminder":
        offer.reminded_round = round_
        facts = _facts(offer, answered_round=round_, expires_at=offer.expires_at.isoformat())
        reminder = service.change_of(
            item, "OfferReminderDue", window, "offer", offer.servicer_id, facts, step="offer-reminder"
        )
        item.record("offer-reminder", window.by, tenant_id, None, assignment=offer.servicer_id)
        service.commit(item, window, [reminder], offers=(offer,))
        return "reminder"
    note = f"the offer was not answered within {int(offer.window_hours)} hours"
    withdrawn = service.stage_step(item, TicketAction.WITHDRAW, window, note)
    expired = stage_end(item, offer, window, "OfferExpired", "expire", note)
    service.commit(item, window, [withdrawn, expired], offers=(offer,))
    return "expired"


# ---- a link that ends takes its offers with it (from the committed revocation, through the bus) ------------


def withdraw_offers_to(owner_id: str, servicer_id: str) -> int:
    """Every offer still waiting for this partner's answer (or the owner's, on its counter) is withdrawn, with
    its event; the tickets are the owner's to offer again. Run again, it finds none (redelivery is safe)."""
    withdrawn, cursor = 0, None
    link_ended = service.system(owner_id, "link-revocation")
    while True:
        page = repo.partner_offers(servicer_id, owner_id, OfferStatus.PENDING.value, 100, cursor)
        for pending in page.items:
            item = repo.get_ticket(owner_id, pending.ticket_id)
            offer = repo.get_offer(owner_id, pending.ticket_id, pending.offer_id)
            if item is None or offer is None or offer.status != OfferStatus.PENDING.value:
                continue  # the index lags a change made a moment ago
            note = "the link to this partner was revoked"
            released = service.stage_step(item, TicketAction.WITHDRAW, link_ended, note)
            ended = stage_end(item, offer, link_ended, "OfferWithdrawn", "withdraw", note)
            service.commit(item, link_ended, [released, ended], offers=(offer,))
            withdrawn += 1
        cursor = page.next_cursor
        if cursor is None:
            return withdrawn
