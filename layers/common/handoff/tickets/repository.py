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

from handoff import keys
from handoff.events.envelope import Envelope
from handoff.events.outbox import outbox_item
from handoff.ids import new_id, utc_now
from handoff.links.domain import LinkStatus
from handoff.links.repository import LinkItem
from handoff.store import reads
from handoff.store.pages import Page, decode_cursor, first_page, newest_first
from handoff.store.table import Item, transaction
from handoff.tickets.domain import Terms

HISTORY_ON_ITEM = 20


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
        """The latest steps, kept on the item for the ticket view; the whole trail is append-only in the
        activity (a step entry each), so the item stays far below DynamoDB's 400 KB whatever the ticket goes
        through. `assignment`: the partner whose outsourcing the entry belongs to (only it sees the entry)."""
        entry: dict[str, Any] = {"at": utc_now().isoformat(), "step": step, "by": by}
        entry.update({"company_id": company_id, "note": note, "status": self.status})
        entry["servicer_id"] = assignment
        self.history = [*self.history, entry][-HISTORY_ON_ITEM:]

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
    """A step, a time entry or a note on a ticket: who made it, for which company, and which partner's
    assignment it belongs to (that partner sees it; nobody else outside the owner)."""

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
    step = UnicodeAttribute(null=True)
    assignment = UnicodeAttribute(null=True)  # the partner it is shared with (its assignment), or none
    created_at = UTCDateTimeAttribute()

    @property
    def day(self) -> date | None:
        return date.fromisoformat(self.work_date) if self.work_date else None


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


def new_activity(
    ticket: TicketItem, kind: str, by: str, company_id: str, *, assignment: str | None, **fields: Any
) -> ActivityItem:
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
        assignment=assignment,
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


def ticket_keys(path: dict[str, str]) -> list[reads.Key]:
    return [keys.ticket(path["tenant_id"], path["ticket_id"])]


def get_ticket(tenant_id: str, ticket_id: str) -> TicketItem | None:
    return reads.get(TicketItem, keys.ticket(tenant_id, ticket_id))


def was_received(owner_id: str, servicer_id: str, message_id: str) -> bool:
    return reads.get(InboundMessageItem, keys.inbound_message(owner_id, servicer_id, message_id)) is not None


def board(tenant_id: str, status: str, limit: int, cursor: str | None) -> Page[TicketItem]:
    """The owner's tickets in one status, newest first: one Query."""
    partition = keys.tickets_by_status(tenant_id, status)
    scope = keys.cursor_scope(keys.CursorQuery.TICKETS, tenant_id, status)
    return newest_first(TicketItem, TicketItem.gsi1, partition, limit=limit, cursor=cursor, scope=scope)


def outsourced(
    servicer_id: str, owner_id: str, status: str | None, limit: int, cursor: str | None
) -> Page[TicketItem]:
    """What this owner outsourced to this partner (every status, or one), newest first: one Query."""
    partition = keys.outsourced_to(servicer_id, owner_id)
    scope = keys.cursor_scope(keys.CursorQuery.OUTSOURCED, owner_id, servicer_id, status)
    only = TicketItem.status == status if status else None
    return newest_first(
        TicketItem, TicketItem.gsi2, partition, limit=limit, cursor=cursor, scope=scope, only=only
    )


def activity(
    tenant_id: str, ticket_id: str, partner: str | None, limit: int, cursor: str | None
) -> Page[ActivityItem]:
    """A ticket's steps, time entries and notes, oldest first: one Query. For a partner, only the entries of
    its own assignments (its own, and what the owner shared with it then)."""
    scope = keys.cursor_scope(keys.CursorQuery.ACTIVITY, tenant_id, ticket_id, partner)
    results = ActivityItem.query(
        keys.ticket_partition(tenant_id, ticket_id),
        Item.sk.startswith(keys.ACTIVITY_PREFIX),
        filter_condition=ActivityItem.assignment == partner if partner else None,
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
    active_link: tuple[str, str] | None = None,
) -> None:
    """The ticket (versioned), its new activity entries, the received inbound message id (a replay fails its
    condition), one event per change and, for a partner's change, the check that its link is still active:
    one transaction."""
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
        if active_link is not None:
            pk, sk = keys.servicer_link(*active_link)
            tx.condition_check(LinkItem, pk, sk, condition=LinkItem.status == LinkStatus.ACTIVE.value)
