"""Use cases for booking requests: the customer asks, shop and customer negotiate, a timer expires stale
suggestions (a Step Functions execution per suggestion, started from its committed event and named after
the booking's version)."""

from __future__ import annotations

from typing import Any

from handoff.auth.access import Access
from handoff.bookings import domain
from handoff.bookings import repository as repo
from handoff.bookings.domain import Side, Status, Step
from handoff.bookings.schemas import BookingCreate, BookingOut, BookingPage, BookingStep
from handoff.errors import Invalid, NotFound
from handoff.estimates import public as estimates
from handoff.events.envelope import Actor, new_event, user_actor
from handoff.ids import utc_now
from handoff.portal import public as portal

SOURCE = "handoff.portal"
BOOKING_NOT_FOUND = "booking request not found"
EVENT_OF_STEP = {
    Step.SUGGEST: "BookingSuggested",
    Step.ACCEPT: "BookingConfirmed",
    Step.CONFIRM: "BookingConfirmed",
    Step.CONFIRM_WITH_ESTIMATE: "BookingConfirmed",
    Step.DECLINE: "BookingDeclined",
    Step.REJECT: "BookingSuggestionRejected",
    Step.EXPIRE: "BookingExpired",
}


def _out(item: repo.BookingItem) -> BookingOut:
    return BookingOut.model_validate(item, from_attributes=True)


def _side(access: Access) -> Side:
    return Side.CUSTOMER if access.is_portal_user else Side.SHOP


def _event(item: repo.BookingItem, type: str, actor: Actor, **data: Any) -> Any:
    return new_event(
        source=SOURCE,
        type=type,
        tenant_id=item.tenant_id,
        entity_type="booking",
        entity_id=item.booking_id,
        version=(item.version or 0) + 1,
        actor=actor,
        data={
            "customer_id": item.customer_id,
            "unit_id": item.unit_id,
            "status": item.status,
            "slot": item.slot.isoformat(),
            **data,
        },
    )


def _visible(access: Access, booking_id: str) -> repo.BookingItem:
    item = repo.get_booking(access.tenant, booking_id)
    if item is None or not access.may_see_customer(item.customer_id):
        raise NotFound(BOOKING_NOT_FOUND)
    return item


def request(access: Access, body: BookingCreate) -> BookingOut:
    unit = portal.unit(access.tenant, body.unit_id)
    if unit is None or not access.may_see_customer(unit.customer_id):
        raise Invalid("unit_id", "no such unit among your units")
    if unit.archived:
        raise Invalid("unit_id", "this unit is archived")
    domain.check_future(body.slot, utc_now())
    item = repo.new_booking(
        access.tenant, unit.customer_id, unit.unit_id, body.slot, body.description, access.user_id
    )
    item.record("request", _side(access).value, access.user_id, body.slot, None)
    repo.save(item, _event(item, "BookingRequested", user_actor(access.user_id, access.tenant)))
    return _out(item)


def get(access: Access, booking_id: str) -> BookingOut:
    return _out(_visible(access, booking_id))


def list_(
    access: Access, status: Status, customer_id: str | None, limit: int, cursor: str | None
) -> BookingPage:
    if access.is_portal_user and customer_id is None:
        if len(access.customer_ids) != 1:
            raise Invalid("customer_id", "name which of your companies to list", location="query")
        customer_id = next(iter(access.customer_ids))
    if customer_id is not None:
        if not access.may_see_customer(customer_id):
            raise NotFound("customer not found")
        page = repo.of_customer(access.tenant, customer_id, limit, cursor)
    else:
        page = repo.board(access.tenant, status.value, limit, cursor)
    return BookingPage(items=[_out(b) for b in page.items], next_cursor=page.next_cursor)


def act(access: Access, booking_id: str, step: Step, body: BookingStep) -> BookingOut:
    item = _visible(access, booking_id)
    side = _side(access)
    if step is Step.DECLINE and not body.note:
        raise Invalid("note", "give the customer a reason")
    _apply(item, step, side, access.user_id, body.slot, body.note, user_actor(access.user_id, access.tenant))
    return _out(item)


def _apply(
    item: repo.BookingItem, step: Step, side: Side, by: str, slot: Any, note: str | None, actor: Actor
) -> None:
    before = domain.Booking(
        Status(item.status),
        item.slot,
        item.pending_slot,
        Side(item.suggested_by) if item.suggested_by else None,
        steps_taken=len(item.history),
    )
    after = domain.take(before, step, side, slot=slot, now=utc_now())
    item.status, item.slot = after.status.value, after.slot
    item.pending_slot = after.pending_slot
    item.suggested_by = after.suggested_by.value if after.suggested_by else None
    estimate = (
        estimates.draft_for_booking(item.tenant_id, item.customer_id, item.unit_id, item.booking_id, by)
        if step is Step.CONFIRM_WITH_ESTIMATE
        else None
    )
    if estimate is not None:
        item.estimate_id = estimate.estimate_id
    item.record(step.value, side.value, by, after.pending_slot or after.slot, note)
    repo.save(item, _event(item, EVENT_OF_STEP[step], actor, step=step.value, note=note), estimate)
    # A suggestion's deadline timer starts from the committed BookingSuggested event (handoff.workflows).


def expire(tenant_id: str, booking_id: str, version: int) -> bool:
    """The deadline of one suggestion passed: expire the booking if that suggestion still waits unanswered."""
    item = repo.get_booking(tenant_id, booking_id)
    if item is None or item.version != version or item.status != Status.NEGOTIATING.value:
        return False  # answered, countered or gone meanwhile: this timer is stale
    _apply(item, Step.EXPIRE, Side.SYSTEM, "system", None, None, Actor(kind="system", id="booking-expiry"))
    return True
