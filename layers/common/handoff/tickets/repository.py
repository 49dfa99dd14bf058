"""Data access for tickets: the ticket and its activity share one partition; the owner's board (GSI1) and a
partner's outsourced list (GSI2, led by the partner) are the two other ways in."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.expressions.condition import Condition

from handoff import keys
from handoff.events.envelope import Envelope
from handoff.events.outbox import outbox_item
from handoff.ids import new_id, utc_now
from handoff.store import reads
from handoff.store.pages import Page, decode_cursor, first_page, newest_first
from handoff.store.table import Item, transaction
from handoff.tickets.domain import Terms


class TicketItem(Item, discriminator="ticket"):
    tenant_id = UnicodeAttribute()
    ticket_id = UnicodeAttribute()
    title = UnicodeAttribute()
    description = UnicodeAttribute(null=True)
    location_id = UnicodeAttribute(null=True)
    status = UnicodeAttribute()
    servicer_id = UnicodeAttribute(null=True)
    hourly_rate_cents = NumberAttribute(null=True)
    currency = UnicodeAttribute(null=True)
    logged_minutes = NumberAttribute(default=0)
    billable_cents = NumberAttribute(default=0)
    history = JSONAttribute(default=list)  # append-only: who (and for which company), when, which step, note
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    @property
    def terms(self) -> Terms | None:
        if self.hourly_rate_cents is None or self.currency is None:
            return None
        return Terms(int(self.hourly_rate_cents), self.currency)

    def assign(self, servicer_id: str | None, terms: Terms | None) -> None:
        """Outsourced to this partner at these rates (or taken back): its logged totals start afresh."""
        self.servicer_id = servicer_id
        self.hourly_rate_cents = terms.hourly_rate_cents if terms else None
        self.currency = terms.currency if terms else None
        self.logged_minutes, self.billable_cents = 0, 0

    def record(
        self, step: str, by: str, company_id: str, note: str | None, *, assignment: str | None
    ) -> None:
        """`assignment`: the partner whose outsourcing the entry belongs to (only it sees the entry)."""
        entry: dict[str, Any] = {
            "at": utc_now().isoformat(),
            "step": step,
            "by": by,
            "company_id": company_id,
        }
        entry.update({"note": note, "status": self.status, "servicer_id": assignment})
        self.history = [*self.history, entry]

    def place(self) -> None:
        """On the owner's board under its status, and on the partner's list while outsourced to it."""
        self.gsi1pk = keys.tickets_by_status(self.tenant_id, self.status)
        self.gsi1sk = keys.ticket_sort(self.ticket_id)
        if self.servicer_id:
            self.gsi2pk = keys.outsourced_to(self.servicer_id, self.tenant_id)
            self.gsi2sk = keys.ticket_sort(self.ticket_id)
        else:
            self.gsi2pk, self.gsi2sk = None, None


class ActivityItem(Item, discriminator="ticket_activity"):
    """A time entry or a note on a ticket, tagged with the company that made it (a partner sees its own)."""

    tenant_id = UnicodeAttribute()
    ticket_id = UnicodeAttribute()
    entry_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # time | note
    by = UnicodeAttribute()
    company_id = UnicodeAttribute()
    minutes = NumberAttribute(null=True)
    work_date = UnicodeAttribute(null=True)
    amount_cents = NumberAttribute(null=True)
    text = UnicodeAttribute(null=True)
    internal = BooleanAttribute(default=False)
    created_at = UTCDateTimeAttribute()

    @property
    def day(self) -> date | None:
        return date.fromisoformat(self.work_date) if self.work_date else None


class InboundSecretItem(Item, discriminator="inbound_secret"):
    owner_id = UnicodeAttribute()
    servicer_id = UnicodeAttribute()
    secrets = JSONAttribute(default=list)
    rotated_by = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


class InboundMessageItem(Item, discriminator="inbound_message"):
    message_id = UnicodeAttribute()
    received_at = UTCDateTimeAttribute()
    expires_at = NumberAttribute()


def new_ticket(
    tenant_id: str, title: str, description: str | None, location_id: str | None, created_by: str
) -> TicketItem:
    ticket_id = new_id()
    pk, sk = keys.ticket(tenant_id, ticket_id)
    now = utc_now()
    item = TicketItem(
        pk,
        sk,
        tenant_id=tenant_id,
        ticket_id=ticket_id,
        title=title,
        description=description,
        location_id=location_id,
        status="open",
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    item.place()
    return item


def new_activity(ticket: TicketItem, kind: str, by: str, company_id: str, **fields: Any) -> ActivityItem:
    entry_id = new_id()
    pk, sk = keys.ticket_activity(ticket.tenant_id, ticket.ticket_id, entry_id)
    return ActivityItem(
        pk,
        sk,
        tenant_id=ticket.tenant_id,
        ticket_id=ticket.ticket_id,
        entry_id=entry_id,
        kind=kind,
        by=by,
        company_id=company_id,
        created_at=utc_now(),
        **fields,
    )


def new_inbound_message(
    owner_id: str, servicer_id: str, message_id: str, keep_until: datetime
) -> InboundMessageItem:
    pk, sk = keys.inbound_message(owner_id, servicer_id, message_id)
    return InboundMessageItem(
        pk, sk, message_id=message_id, received_at=utc_now(), expires_at=int(keep_until.timestamp())
    )


def new_inbound_secret(owner_id: str, servicer_id: str) -> InboundSecretItem:
    pk, sk = keys.inbound_secret(owner_id, servicer_id)
    return InboundSecretItem(pk, sk, owner_id=owner_id, servicer_id=servicer_id, updated_at=utc_now())


def ticket_keys(path: dict[str, str]) -> list[reads.Key]:
    return [keys.ticket(path["tenant_id"], path["ticket_id"])]


def get_ticket(tenant_id: str, ticket_id: str) -> TicketItem | None:
    return reads.get(TicketItem, keys.ticket(tenant_id, ticket_id))


def get_inbound_secret(owner_id: str, servicer_id: str) -> InboundSecretItem | None:
    return reads.get(InboundSecretItem, keys.inbound_secret(owner_id, servicer_id))


def was_received(owner_id: str, servicer_id: str, message_id: str) -> bool:
    return reads.get(InboundMessageItem, keys.inbound_message(owner_id, servicer_id, message_id)) is not None


def board(tenant_id: str, status: str, limit: int, cursor: str | None) -> Page[TicketItem]:
    """The owner's tickets in one status, newest first: one Query."""
    partition = keys.tickets_by_status(tenant_id, status)
    scope = f"tickets|{tenant_id}|{status}"
    return newest_first(TicketItem, TicketItem.gsi1, partition, limit=limit, cursor=cursor, scope=scope)


def outsourced(
    servicer_id: str, owner_id: str, status: str | None, limit: int, cursor: str | None
) -> Page[TicketItem]:
    """What this owner outsourced to this partner (every status, or one), newest first: one Query."""
    partition = keys.outsourced_to(servicer_id, owner_id)
    scope = f"outsourced|{owner_id}|{servicer_id}|{status or ''}"
    only = TicketItem.status == status if status else None
    return newest_first(
        TicketItem, TicketItem.gsi2, partition, limit=limit, cursor=cursor, scope=scope, only=only
    )


def activity(
    tenant_id: str, ticket_id: str, company_id: str | None, limit: int, cursor: str | None
) -> Page[ActivityItem]:
    """A ticket's time entries and notes, oldest first: one Query. For a partner (`company_id`), only its own
    entries and the owner's shared notes (not the owner's own time)."""
    scope = f"activity|{tenant_id}|{ticket_id}|{company_id or ''}"
    visible: Condition | None = None
    if company_id is not None:
        visible = (ActivityItem.company_id == company_id) | (
            (ActivityItem.company_id == tenant_id)
            & (ActivityItem.kind == "note")
            & (ActivityItem.internal == False)  # noqa: E712
        )
    results = ActivityItem.query(
        keys.ticket_partition(tenant_id, ticket_id),
        Item.sk.startswith("ACT#"),
        filter_condition=visible,
        page_size=limit,
        last_evaluated_key=decode_cursor(cursor, scope),
    )
    return first_page(results, ActivityItem, scope)


def save(
    item: TicketItem,
    events: list[Envelope],
    *,
    entries: tuple[ActivityItem, ...] = (),
    message: InboundMessageItem | None = None,
) -> None:
    """The ticket (versioned), its new activity entries, the received inbound message id (a replay fails its
    condition) and one event per change: one transaction."""
    item.updated_at = utc_now()
    item.place()
    with transaction() as tx:
        tx.save(item)
        for entry in entries:
            tx.save(entry, condition=Item.pk.does_not_exist())
        if message is not None:
            tx.save(message, condition=Item.pk.does_not_exist())
        for event in events:
            tx.save(outbox_item(event), condition=Item.pk.does_not_exist())


def save_inbound_secret(item: InboundSecretItem) -> None:
    item.updated_at = utc_now()
    with transaction() as tx:
        tx.save(item)
