"""Data access for booking requests (history inside the item); a confirmed booking's draft estimate is
written in the same transaction, through the estimates context's public functions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.attributes import JSONAttribute, UnicodeAttribute, UTCDateTimeAttribute, VersionAttribute

from handoff import keys
from handoff.estimates import public as estimates
from handoff.events.envelope import Envelope
from handoff.events.outbox import outbox_item
from handoff.ids import new_id, utc_now
from handoff.store import reads
from handoff.store.pages import Page, newest_first
from handoff.store.table import Item, transaction


class BookingItem(Item, discriminator="booking"):
    tenant_id = UnicodeAttribute()
    booking_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    unit_id = UnicodeAttribute()
    description = UnicodeAttribute()
    status = UnicodeAttribute()
    slot = UTCDateTimeAttribute()
    pending_slot = UTCDateTimeAttribute(null=True)
    suggested_by = UnicodeAttribute(null=True)
    estimate_id = UnicodeAttribute(null=True)
    history = JSONAttribute(default=list)  # append-only: who, when, which step, which slot, note
    requested_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    def record(self, step: str, side: str, by: str, slot: datetime | None, note: str | None) -> None:
        entry: dict[str, Any] = {"at": utc_now().isoformat(), "step": step, "side": side, "by": by}
        entry.update({"slot": slot.isoformat() if slot else None, "note": note, "status": self.status})
        self.history = [*self.history, entry]

    def place_on_board(self) -> None:
        self.gsi1pk = keys.bookings_by_status(self.tenant_id, self.status)


def new_booking(
    tenant_id: str, customer_id: str, unit_id: str, slot: datetime, description: str, requested_by: str
) -> BookingItem:
    booking_id = new_id()
    pk, sk = keys.booking(tenant_id, booking_id)
    now = utc_now()
    item = BookingItem(
        pk,
        sk,
        tenant_id=tenant_id,
        booking_id=booking_id,
        customer_id=customer_id,
        unit_id=unit_id,
        description=description,
        status="requested",
        slot=slot,
        requested_by=requested_by,
        created_at=now,
        updated_at=now,
        gsi1sk=keys.booking_sort(booking_id),
        gsi2pk=keys.customer_bookings(tenant_id, customer_id),
        gsi2sk=keys.booking_sort(booking_id),
    )
    item.place_on_board()
    return item


def booking_keys(path: dict[str, str]) -> list[reads.Key]:
    return [keys.booking(path["tenant_id"], path["booking_id"])]


def get_booking(tenant_id: str, booking_id: str) -> BookingItem | None:
    return reads.get(BookingItem, keys.booking(tenant_id, booking_id))


def board(tenant_id: str, status: str, limit: int, cursor: str | None) -> Page[BookingItem]:
    """The shop's board: one Query of one status, newest first."""
    partition = keys.bookings_by_status(tenant_id, status)
    scope = keys.cursor_scope(keys.CursorQuery.BOOKINGS, tenant_id, status)
    return newest_first(BookingItem, BookingItem.gsi1, partition, limit=limit, cursor=cursor, scope=scope)


def of_customer(tenant_id: str, customer_id: str, limit: int, cursor: str | None) -> Page[BookingItem]:
    """A customer's bookings, newest first: one Query."""
    partition = keys.customer_bookings(tenant_id, customer_id)
    scope = keys.cursor_scope(keys.CursorQuery.CUSTOMER_BOOKINGS, tenant_id, customer_id)
    return newest_first(BookingItem, BookingItem.gsi2, partition, limit=limit, cursor=cursor, scope=scope)


def save(item: BookingItem, event: Envelope, estimate: estimates.Draft | None = None) -> None:
    """The booking (versioned), its event and, when one is opened, the draft estimate: one transaction."""
    item.updated_at = utc_now()
    item.place_on_board()
    with transaction() as tx:
        tx.save(item)
        if estimate is not None:
            estimates.stage_draft(tx, estimate)
        tx.save(outbox_item(event), condition=Item.pk.does_not_exist())
