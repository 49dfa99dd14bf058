"""Data access for tickets: the ticket and its activity share one partition; the owner's board (GSI1), a
partner's outsourced list (GSI2, led by the partner) or a unit's work orders (GSI2), and a member's assigned
tickets (GSI3) are the other ways in. Also the service board (work required, each item its own partition), the
repair order counter and each technician's clock."""

from __future__ import annotations

from collections.abc import Callable
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
from pynamodb.transactions import TransactWrite

from handoff import keys
from handoff.events.envelope import Envelope
from handoff.events.outbox import outbox_item
from handoff.ids import new_id, ulid_floor, utc_now
from handoff.links import public as links
from handoff.store import reads
from handoff.store.pages import Page, decode_cursor, first_page, newest_first
from handoff.store.table import Item, transaction
from handoff.tickets.domain import (
    ACTIVE,
    SearchFilters,
    SearchView,
    Terms,
    TicketKind,
    TicketStatus,
    title_words,
)

HISTORY_ON_ITEM = 20
RECENT_SPANS = 20


class TicketItem(Item, discriminator="ticket"):
    tenant_id = UnicodeAttribute()
    ticket_id = UnicodeAttribute()
    title = UnicodeAttribute()
    description = UnicodeAttribute(null=True)
    location_id = UnicodeAttribute(null=True)
    status = UnicodeAttribute()
    servicer_id = UnicodeAttribute(null=True)
    # The terms on the table while offered (the latest round), then the accepted ones: what the work bills at.
    terms_doc = JSONAttribute(null=True)
    offer_id = UnicodeAttribute(null=True)  # the offer of the current outsourcing
    logged_minutes = NumberAttribute(default=0)
    labour_cents = NumberAttribute(default=0)  # the logged time at the accepted rates
    cost_cents = NumberAttribute(default=0)  # the logged costs as they cost
    billed_cost_cents = NumberAttribute(default=0)  # the same with the accepted markup
    history = JSONAttribute(default=list)  # append-only: who (and for which company), when, which step, note
    kind = UnicodeAttribute(default=TicketKind.TICKET.value)
    priority = UnicodeAttribute(default="normal")
    due_date = UnicodeAttribute(null=True)
    assignee_id = UnicodeAttribute(null=True)  # the member it is assigned to (a company: servicer_id)
    partner_assignee_id = UnicodeAttribute(null=True)  # the partner's member its company assigned it to
    assignee_org_id = UnicodeAttribute(null=True)  # the partner organization of its assignee (a partner user)
    team_id = UnicodeAttribute(null=True)  # the team it is routed in
    routing_layer = NumberAttribute(null=True)  # the escalation layer that holds it
    routing_round = NumberAttribute(default=0)  # how many times it was routed: names each deadline
    routing_waiting = BooleanAttribute(default=False)  # the layer's deadline runs: no answer yet
    nte_cents = NumberAttribute(null=True)  # the not-to-exceed amount an owner raised (else the terms')
    search = JSONAttribute(null=True)  # the keys of its search entries (see search_keys)
    report = JSONAttribute(null=True)  # what it adds to the report buckets (see contribution)
    # A work order: its repair order number, what it repairs, and the approved lines it carries, each with
    # the seconds clocked on it; who is clocked on now (user -> entry, line, start).
    ro_number = NumberAttribute(null=True)
    unit_id = UnicodeAttribute(null=True)
    customer_id = UnicodeAttribute(null=True)
    estimate_id = UnicodeAttribute(null=True)
    estimate_version = NumberAttribute(null=True)
    lines = JSONAttribute(null=True)
    clocked_on = JSONAttribute(default=dict)
    approval_version = NumberAttribute(null=True)  # the version whose completion waits for approval
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    @property
    def terms(self) -> Terms | None:
        return Terms.from_doc(self.terms_doc) if self.terms_doc else None

    @terms.setter
    def terms(self, terms: Terms | None) -> None:
        self.terms_doc = terms.to_doc() if terms else None

    @property
    def not_to_exceed_cents(self) -> int | None:
        """The most the work may bill: the accepted terms' amount, or what the owner raised it to."""
        if self.nte_cents is not None:
            return int(self.nte_cents)
        terms = self.terms
        return terms.not_to_exceed_cents if terms else None

    @property
    def billable_cents(self) -> int:
        return int(self.labour_cents) + int(self.billed_cost_cents)

    def assign(self, servicer_id: str | None, terms: Terms | None, offer_id: str | None = None) -> None:
        """Outsourced to this partner at these terms (or taken back): its logged totals start afresh."""
        self.servicer_id, self.terms, self.offer_id = servicer_id, terms, offer_id
        self.partner_assignee_id, self.nte_cents = None, None
        self.logged_minutes, self.labour_cents, self.cost_cents, self.billed_cost_cents = 0, 0, 0, 0

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

    def search_view(self, side: str) -> SearchView:
        """What the owner's side (`owner`) or the partner holding it (`partner`) finds it by."""
        owner = side == "owner"
        return SearchView(
            status=self.status,
            assignee=self.assignee_id if owner else self.partner_assignee_id,
            partner=self.servicer_id if owner else None,
            location=self.location_id,
            words=tuple(title_words(self.title)),
            organization=self.assignee_org_id if owner else None,
        )

    def search_keys(self) -> set[tuple[str, str]]:
        """Its search entries: one per facet on the owner's side, and on the partner's holding it."""
        sort = keys.ticket_sort(self.ticket_id)
        found = {
            (keys.ticket_search(self.tenant_id, self.tenant_id, f), sort)
            for f in self.search_view("owner").facets()
        }
        if self.servicer_id:
            found |= {
                (keys.ticket_search(self.servicer_id, self.tenant_id, f), sort)
                for f in self.search_view("partner").facets()
            }
        return found

    def contribution(self) -> dict[str, Any]:
        """What it adds to the owner's reports now: its creation day, partner, status and currency, its
        logged time and amounts."""
        terms = self.terms
        return {
            "day": self.created_at.date().isoformat(),
            "partner": self.servicer_id or keys.IN_HOUSE,
            "status": self.status,
            "currency": terms.currency if terms else keys.IN_HOUSE,
            "created": int(self.created_at.timestamp()),
            "minutes": int(self.logged_minutes),
            "labour_cents": int(self.labour_cents),
            "cost_cents": int(self.cost_cents),
            "billable_cents": self.billable_cents,
        }

    @property
    def is_work_order(self) -> bool:
        return self.kind == TicketKind.WORK_ORDER.value

    def place(self) -> None:
        """On the owner's board under its status; on the partner's list while outsourced to it, or on its
        unit's list when it is a work order; on its assignee's list while it is worked."""
        sort = keys.ticket_sort(self.ticket_id)
        self.gsi1pk, self.gsi1sk = keys.tickets_by_status(self.tenant_id, self.status), sort
        if self.servicer_id:
            self.gsi2pk, self.gsi2sk = keys.outsourced_to(self.servicer_id, self.tenant_id), sort
        elif self.unit_id:
            self.gsi2pk, self.gsi2sk = keys.unit_work_orders(self.tenant_id, self.unit_id), sort
        else:
            self.gsi2pk, self.gsi2sk = None, None
        if self.servicer_id:  # never assigned to a member while a partner company holds it
            self.gsi3pk = keys.outsourced_in_status(self.servicer_id, self.tenant_id, self.status)
            self.gsi3sk = sort
        elif self.assignee_id and TicketStatus(self.status) in ACTIVE:
            self.gsi3pk, self.gsi3sk = keys.assigned_to(self.tenant_id, self.assignee_id), sort
        else:
            self.gsi3pk, self.gsi3sk = None, None


class ReportBucketItem(Item, discriminator="report_bucket"):
    """What the owner's tickets of one creation day, partner, status and currency add up to (or, for a
    status counter, how many are in a status now and the sum of their creation times): changed in the
    transaction of every ticket change that moves them."""

    tickets = NumberAttribute(default=0)
    minutes = NumberAttribute(default=0)
    labour_cents = NumberAttribute(default=0)
    cost_cents = NumberAttribute(default=0)
    billable_cents = NumberAttribute(default=0)
    created_sum = NumberAttribute(default=0)  # status counters: seconds since the epoch, summed


class TicketSearchItem(Item, discriminator="ticket_search"):
    """A search entry: which ticket one side finds in this partition's facet (its sort key is the ticket's,
    so newest first and created-date ranges are key conditions)."""

    ticket_id = UnicodeAttribute()


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
    rate_cents = NumberAttribute(null=True)  # a time entry: the hourly rate its amount is at
    text = UnicodeAttribute(null=True)
    internal = BooleanAttribute(default=False)
    step = UnicodeAttribute(null=True)
    assignment = UnicodeAttribute(null=True)  # the partner it is shared with (its assignment), or none
    # A clocked entry (kind "clock"): whose, on which work required, from when to when, and every correction.
    technician_id = UnicodeAttribute(null=True)
    work_id = UnicodeAttribute(null=True)
    started_at = UTCDateTimeAttribute(null=True)
    stopped_at = UTCDateTimeAttribute(null=True)
    seconds = NumberAttribute(null=True)
    corrections = JSONAttribute(null=True)
    work_type = UnicodeAttribute(null=True)
    offer_id = UnicodeAttribute(null=True)  # an offer entry: the offer it proposes or answers
    cost_id = UnicodeAttribute(null=True)
    attachment_id = UnicodeAttribute(null=True)
    routing = JSONAttribute(null=True)  # a routing entry: the RoutingDecision (who, which layer, why)
    over_nte = BooleanAttribute(default=False)  # time or a cost that took the total past the not-to-exceed
    created_at = UTCDateTimeAttribute()

    @property
    def day(self) -> date | None:
        return date.fromisoformat(self.work_date) if self.work_date else None

    def place_clocked(self) -> None:
        """On the technician's time list, by start (the neighbour a correction is checked against)."""
        assert self.technician_id and self.started_at
        self.gsi2pk = keys.technician_time(self.tenant_id, self.technician_id)
        self.gsi2sk = f"{self.started_at.isoformat()}#{self.entry_id}"


class OfferItem(Item, discriminator="ticket_offer"):
    """An offer of a ticket to a partner and its negotiation: every round's terms, who proposed them, and
    whose answer it waits for (in the ticket's partition; on the owner's offer board by status, GSI1, and
    on the partner's, GSI2)."""

    tenant_id = UnicodeAttribute()
    ticket_id = UnicodeAttribute()
    offer_id = UnicodeAttribute()
    servicer_id = UnicodeAttribute()
    title = UnicodeAttribute()
    status = UnicodeAttribute(default="pending")
    turn = UnicodeAttribute()  # owner | partner: whose answer the latest round waits for
    rounds = JSONAttribute(default=list)  # [{round, side, by, at, terms, note}], oldest first
    window_hours = NumberAttribute()
    expires_at = UTCDateTimeAttribute()  # when the latest round expires unanswered
    reminded_round = NumberAttribute(null=True)
    answer = JSONAttribute(null=True)  # how it ended: {action, side, by, at, note}
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    @property
    def round(self) -> int:
        return len(self.rounds or [])

    @property
    def terms(self) -> Terms:
        return Terms.from_doc(self.rounds[-1]["terms"])

    def propose(self, side: str, by: str, terms: Terms, note: str | None, expires_at: datetime) -> None:
        entry = {"round": self.round + 1, "side": side, "by": by, "at": utc_now().isoformat()}
        entry.update({"terms": terms.to_doc(), "note": note})
        self.rounds = [*(self.rounds or []), entry]
        self.turn = "partner" if side == "owner" else "owner"
        self.expires_at = expires_at

    def place(self) -> None:
        sort = keys.offer_sort(self.offer_id)
        self.gsi1pk, self.gsi1sk = keys.offers_by_status(self.tenant_id, self.status), sort
        self.gsi2pk, self.gsi2sk = keys.offers_to(self.servicer_id, self.tenant_id, self.status), sort


class CostItem(Item, discriminator="ticket_cost"):
    """A cost logged on a ticket (materials, travel, other): what it cost, and as billed with the markup of
    the terms in force; the company that logged it and the assignment it belongs to."""

    tenant_id = UnicodeAttribute()
    ticket_id = UnicodeAttribute()
    cost_id = UnicodeAttribute()
    category = UnicodeAttribute()
    description = UnicodeAttribute()
    quantity = UnicodeAttribute()  # a decimal, kept exactly as given
    unit_cost_cents = NumberAttribute()
    cost_cents = NumberAttribute()
    billed_cents = NumberAttribute()
    currency = UnicodeAttribute(null=True)
    work_date = UnicodeAttribute()
    receipt_id = UnicodeAttribute(null=True)  # an attachment of the ticket
    by = UnicodeAttribute()
    company_id = UnicodeAttribute()
    assignment = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()


class NteRequestItem(Item, discriminator="ticket_nte_request"):
    """A partner's request to raise the ticket's not-to-exceed amount, and the owner's answer."""

    tenant_id = UnicodeAttribute()
    ticket_id = UnicodeAttribute()
    request_id = UnicodeAttribute()
    servicer_id = UnicodeAttribute()
    current_cents = NumberAttribute()  # the not-to-exceed amount when asked
    requested_cents = NumberAttribute()
    reason = UnicodeAttribute()
    status = UnicodeAttribute(default="pending")  # pending | approved | rejected
    answer = JSONAttribute(null=True)  # {by, at, note}
    by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


class AttachmentItem(Item, discriminator="ticket_attachment"):
    """A file on a ticket or one of its cost lines: announced (a presigned upload waits for it), then
    confirmed (its bytes checked and published under its own key) or rejected (the upload deleted)."""

    tenant_id = UnicodeAttribute()
    ticket_id = UnicodeAttribute()
    attachment_id = UnicodeAttribute()
    filename = UnicodeAttribute()
    content_type = UnicodeAttribute()
    size_bytes = NumberAttribute()
    purpose = UnicodeAttribute()  # photo | document | receipt
    cost_id = UnicodeAttribute(null=True)
    internal = BooleanAttribute(default=False)
    status = UnicodeAttribute(default="awaiting_upload")  # awaiting_upload | available | rejected
    rejection = UnicodeAttribute(null=True)
    upload_key = UnicodeAttribute()
    object_key = UnicodeAttribute(null=True)
    by = UnicodeAttribute()
    company_id = UnicodeAttribute()
    assignment = UnicodeAttribute(null=True)
    expires_at = NumberAttribute(null=True)  # an upload never confirmed is forgotten (the table's TTL)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


class WorkRequiredItem(Item, discriminator="work_required"):
    """One approved labour line (with its parts) waiting on the service board, then on a work order."""

    work_id = UnicodeAttribute()
    tenant_id = UnicodeAttribute()
    estimate_id = UnicodeAttribute()
    estimate_version = NumberAttribute()
    line_id = UnicodeAttribute()
    unit_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    line = JSONAttribute()
    status = UnicodeAttribute(default="open")  # open | in_progress (on a work order) | done | superseded
    work_order_id = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()

    def place(self) -> None:
        """On the service board and its unit's list until its work order is ready to submit."""
        if self.status in ("open", "in_progress"):
            sort = keys.work_sort(self.work_id)
            self.gsi1pk, self.gsi1sk = keys.work_required_board(self.tenant_id), sort
            self.gsi2pk, self.gsi2sk = keys.unit_work_required(self.tenant_id, self.unit_id), sort
        else:
            self.gsi1pk, self.gsi1sk, self.gsi2pk, self.gsi2sk = None, None, None, None


class CounterItem(Item, discriminator="counter"):
    last = NumberAttribute(default=0)


class ClockItem(Item, discriminator="technician_clock"):
    """A technician's clock: the job they are on now, if any, and when their last entry stopped."""

    user_id = UnicodeAttribute()
    ticket_id = UnicodeAttribute(null=True)
    entry_id = UnicodeAttribute(null=True)
    ro_number = NumberAttribute(null=True)
    last_stopped_at = UTCDateTimeAttribute(null=True)
    # The spans of the technician's latest stopped or corrected entries, as they are now: the time index
    # (a GSI) may still show an entry changed a moment ago where it was; this list, read with the clock
    # itself, never does.
    recent = JSONAttribute(default=list)
    version = VersionAttribute()

    def remember(self, entry_id: str, start: datetime, stop: datetime) -> None:
        kept = [r for r in self.recent or [] if r["entry_id"] != entry_id]
        span = {"entry_id": entry_id, "start": start.isoformat(), "stop": stop.isoformat()}
        self.recent = [*kept, span][-RECENT_SPANS:]

    def recent_spans(self) -> list[tuple[str, datetime, datetime]]:
        return [
            (r["entry_id"], datetime.fromisoformat(r["start"]), datetime.fromisoformat(r["stop"]))
            for r in self.recent or []
        ]


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


def new_offer(ticket: TicketItem, servicer_id: str, window_hours: int, created_by: str) -> OfferItem:
    offer_id = new_id()
    pk, sk = keys.ticket_offer(ticket.tenant_id, ticket.ticket_id, offer_id)
    now = utc_now()
    return OfferItem(
        pk,
        sk,
        tenant_id=ticket.tenant_id,
        ticket_id=ticket.ticket_id,
        offer_id=offer_id,
        servicer_id=servicer_id,
        title=ticket.title,
        turn="partner",
        window_hours=window_hours,
        expires_at=now,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )


def new_cost(ticket: TicketItem, by: str, company_id: str, assignment: str | None, **fields: Any) -> CostItem:
    cost_id = new_id()
    pk, sk = keys.ticket_cost(ticket.tenant_id, ticket.ticket_id, cost_id)
    return CostItem(
        pk,
        sk,
        tenant_id=ticket.tenant_id,
        ticket_id=ticket.ticket_id,
        cost_id=cost_id,
        by=by,
        company_id=company_id,
        assignment=assignment,
        created_at=utc_now(),
        **fields,
    )


def new_nte_request(ticket: TicketItem, by: str, requested_cents: int, reason: str) -> NteRequestItem:
    request_id = new_id()
    pk, sk = keys.ticket_nte_request(ticket.tenant_id, ticket.ticket_id, request_id)
    now = utc_now()
    return NteRequestItem(
        pk,
        sk,
        tenant_id=ticket.tenant_id,
        ticket_id=ticket.ticket_id,
        request_id=request_id,
        servicer_id=ticket.servicer_id,
        current_cents=ticket.not_to_exceed_cents,
        requested_cents=requested_cents,
        reason=reason,
        by=by,
        created_at=now,
        updated_at=now,
    )


def nte_request_keys(path: dict[str, str]) -> list[reads.Key]:
    return [
        *ticket_keys(path),
        keys.ticket_nte_request(path["tenant_id"], path["ticket_id"], path["request_id"]),
    ]


def get_nte_request(tenant_id: str, ticket_id: str, request_id: str) -> NteRequestItem | None:
    return reads.get(NteRequestItem, keys.ticket_nte_request(tenant_id, ticket_id, request_id))


def nte_requests(
    tenant_id: str, ticket_id: str, partner: str | None, limit: int, cursor: str | None
) -> Page[NteRequestItem]:
    """A ticket's not-to-exceed requests, oldest first (a partner: its own)."""
    only = NteRequestItem.servicer_id == partner if partner else None
    query, prefix = keys.CursorQuery.NTE_REQUESTS, keys.NTE_PREFIX
    return _beside_ticket(
        NteRequestItem, query, tenant_id, ticket_id, prefix, partner, only, limit, cursor, newest=False
    )


def new_attachment(
    ticket: TicketItem, by: str, company_id: str, assignment: str | None, **fields: Any
) -> AttachmentItem:
    attachment_id = new_id()
    pk, sk = keys.ticket_attachment(ticket.tenant_id, ticket.ticket_id, attachment_id)
    now = utc_now()
    return AttachmentItem(
        pk,
        sk,
        tenant_id=ticket.tenant_id,
        ticket_id=ticket.ticket_id,
        attachment_id=attachment_id,
        upload_key=keys.attachment_upload_key(ticket.tenant_id, ticket.ticket_id, attachment_id),
        by=by,
        company_id=company_id,
        assignment=assignment,
        created_at=now,
        updated_at=now,
        **fields,
    )


def new_inbound_message(
    owner_id: str, servicer_id: str, message_id: str, keep_until: datetime
) -> InboundMessageItem:
    pk, sk = keys.inbound_message(owner_id, servicer_id, message_id)
    return InboundMessageItem(
        pk, sk, message_id=message_id, received_at=utc_now(), expires_at=int(keep_until.timestamp())
    )


def new_work_order(
    tenant_id: str, work: WorkRequiredItem, ro_number: int, title: str, created_by: str
) -> TicketItem:
    item = new_ticket(tenant_id, title, None, None, created_by)
    item.kind, item.status, item.ro_number = (
        TicketKind.WORK_ORDER.value,
        TicketStatus.IN_PROGRESS.value,
        ro_number,
    )
    item.unit_id, item.customer_id = work.unit_id, work.customer_id
    item.estimate_id, item.estimate_version = work.estimate_id, work.estimate_version
    item.lines = []
    item.place()
    return item


def new_work(
    tenant_id: str,
    estimate_id: str,
    version: int,
    unit_id: str,
    customer_id: str,
    line: dict[str, Any],
) -> WorkRequiredItem:
    work_id = new_id()
    pk, sk = keys.work_required(tenant_id, work_id)
    item = WorkRequiredItem(
        pk,
        sk,
        work_id=work_id,
        tenant_id=tenant_id,
        estimate_id=estimate_id,
        estimate_version=version,
        line_id=line["line_id"],
        unit_id=unit_id,
        customer_id=customer_id,
        line=line,
        created_at=utc_now(),
    )
    item.place()
    return item


def ticket_keys(path: dict[str, str]) -> list[reads.Key]:
    return [keys.ticket(path["tenant_id"], path["ticket_id"])]


def time_entry_keys(path: dict[str, str]) -> list[reads.Key]:
    """A correction reads the ticket and the entry with the membership."""
    return [*ticket_keys(path), keys.ticket_activity(path["tenant_id"], path["ticket_id"], path["entry_id"])]


def clock_keys(path: dict[str, str]) -> list[reads.Key]:
    """A clocking route reads the ticket and the caller's own clock with the membership."""
    return [*ticket_keys(path), keys.technician_clock(path["tenant_id"], path[reads.CALLER])]


def clock_on_keys(path: dict[str, str]) -> list[reads.Key]:
    """A clock-on reads the work required, the repair order counter and the caller's clock with the
    membership."""
    tenant_id = path["tenant_id"]
    return [
        keys.work_required(tenant_id, path["item_id"]),
        keys.repair_order_counter(tenant_id),
        keys.technician_clock(tenant_id, path[reads.CALLER]),
    ]


def offer_keys(path: dict[str, str]) -> list[reads.Key]:
    """An offer's routes read the ticket and the offer with the membership."""
    return [*ticket_keys(path), keys.ticket_offer(path["tenant_id"], path["ticket_id"], path["offer_id"])]


def attachment_keys(path: dict[str, str]) -> list[reads.Key]:
    tenant_id, ticket_id = path["tenant_id"], path["ticket_id"]
    return [*ticket_keys(path), keys.ticket_attachment(tenant_id, ticket_id, path["attachment_id"])]


def get_offer(tenant_id: str, ticket_id: str, offer_id: str) -> OfferItem | None:
    return reads.get(OfferItem, keys.ticket_offer(tenant_id, ticket_id, offer_id))


def get_attachment(tenant_id: str, ticket_id: str, attachment_id: str) -> AttachmentItem | None:
    return reads.get(AttachmentItem, keys.ticket_attachment(tenant_id, ticket_id, attachment_id))


def get_cost(tenant_id: str, ticket_id: str, cost_id: str) -> CostItem | None:
    return reads.get(CostItem, keys.ticket_cost(tenant_id, ticket_id, cost_id))


def announce(attachment: AttachmentItem) -> None:
    """An announced upload, before any byte of it arrives: nothing of the ticket changes yet."""
    attachment.save(condition=Item.pk.does_not_exist())


def _beside_ticket[M: Item](
    model: type[M],
    query: keys.CursorQuery,
    tenant_id: str,
    ticket_id: str,
    prefix: str,
    partner: str | None,
    only: Condition | None,
    limit: int,
    cursor: str | None,
    *,
    newest: bool,
) -> Page[M]:
    """One page of what a ticket's partition holds beside it (offers, costs, files): one Query."""
    scope = keys.cursor_scope(query, tenant_id, ticket_id, partner)
    partition = keys.ticket_partition(tenant_id, ticket_id)
    within = Item.sk.startswith(prefix)
    return newest_first(
        model,
        model,
        partition,
        within=within,
        only=only,
        limit=limit,
        cursor=cursor,
        scope=scope,
        newest=newest,
    )


def ticket_offers(
    tenant_id: str, ticket_id: str, partner: str | None, limit: int, cursor: str | None
) -> Page[OfferItem]:
    """A ticket's offers, newest first (a partner: its own only)."""
    only = OfferItem.servicer_id == partner if partner else None
    query, prefix = keys.CursorQuery.TICKET_OFFERS, keys.OFFER_PREFIX
    return _beside_ticket(
        OfferItem, query, tenant_id, ticket_id, prefix, partner, only, limit, cursor, newest=True
    )


def offer_board(tenant_id: str, status: str, limit: int, cursor: str | None) -> Page[OfferItem]:
    """The owner's offers in one status, newest first: one Query."""
    scope = keys.cursor_scope(keys.CursorQuery.OFFERS, tenant_id, status)
    partition = keys.offers_by_status(tenant_id, status)
    return newest_first(OfferItem, OfferItem.gsi1, partition, limit=limit, cursor=cursor, scope=scope)


def partner_offers(
    servicer_id: str, owner_id: str, status: str, limit: int, cursor: str | None
) -> Page[OfferItem]:
    """The offers this owner made to this partner in one status, newest first: one Query."""
    scope = keys.cursor_scope(keys.CursorQuery.PARTNER_OFFERS, owner_id, servicer_id, status)
    partition = keys.offers_to(servicer_id, owner_id, status)
    return newest_first(OfferItem, OfferItem.gsi2, partition, limit=limit, cursor=cursor, scope=scope)


def costs(
    tenant_id: str, ticket_id: str, partner: str | None, limit: int, cursor: str | None
) -> Page[CostItem]:
    """A ticket's costs, oldest first (a partner: those of its own assignments)."""
    only = CostItem.assignment == partner if partner else None
    query, prefix = keys.CursorQuery.COSTS, keys.COST_PREFIX
    return _beside_ticket(
        CostItem, query, tenant_id, ticket_id, prefix, partner, only, limit, cursor, newest=False
    )


def attachments(
    tenant_id: str, ticket_id: str, partner: str | None, limit: int, cursor: str | None
) -> Page[AttachmentItem]:
    """A ticket's attachments, oldest first. Each company sees its own, and the other side's that are
    available and not internal (a partner: of its own assignment only)."""
    viewer = partner or tenant_id
    theirs_shared = (AttachmentItem.internal == False) & (AttachmentItem.status == "available")  # noqa: E712
    shown = (AttachmentItem.company_id == viewer) | theirs_shared
    if partner:
        shown = (AttachmentItem.assignment == partner) & shown
    query, prefix = keys.CursorQuery.ATTACHMENTS, keys.ATTACHMENT_PREFIX
    return _beside_ticket(
        AttachmentItem, query, tenant_id, ticket_id, prefix, partner, shown, limit, cursor, newest=False
    )


def load_work_order(order: TicketItem) -> None:
    """Everything a step of a work order may touch, in one BatchGetItem: its work required, and the clocks
    and running entries of whoever is clocked on to it."""
    tenant_id, ticket_id = order.tenant_id, order.ticket_id
    running = order.clocked_on or {}
    reads.prefetch(
        [
            *(keys.work_required(tenant_id, line["work_id"]) for line in order.lines or []),
            *(keys.technician_clock(tenant_id, user) for user in running),
            *(keys.ticket_activity(tenant_id, ticket_id, r["entry_id"]) for r in running.values()),
        ]
    )


def get_work(tenant_id: str, work_id: str) -> WorkRequiredItem | None:
    return reads.get(WorkRequiredItem, keys.work_required(tenant_id, work_id))


def get_works(tenant_id: str, work_ids: list[str]) -> list[WorkRequiredItem]:
    """Several work-required items by id: one BatchGetItem."""
    return reads.get_many(WorkRequiredItem, (keys.work_required(tenant_id, w) for w in work_ids))


def last_repair_order(tenant_id: str) -> int:
    counter = reads.get(CounterItem, keys.repair_order_counter(tenant_id))
    return int(counter.last) if counter else 0


def get_clock(tenant_id: str, user_id: str) -> ClockItem:
    """The technician's clock (a fresh one, never on a job, for a technician who never clocked on)."""
    pk, sk = keys.technician_clock(tenant_id, user_id)
    return reads.get(ClockItem, (pk, sk)) or ClockItem(pk, sk, user_id=user_id)


def get_entry(tenant_id: str, ticket_id: str, entry_id: str) -> ActivityItem | None:
    return reads.get(ActivityItem, keys.ticket_activity(tenant_id, ticket_id, entry_id))


def get_entries(tenant_id: str, ticket_id: str, entry_ids: list[str]) -> list[ActivityItem]:
    return reads.get_many(ActivityItem, (keys.ticket_activity(tenant_id, ticket_id, e) for e in entry_ids))


def entries_before(tenant_id: str, user_id: str, stop: datetime) -> list[ActivityItem]:
    """The technician's two latest entries starting before `stop` (the one being corrected may be one of
    them): one Query."""
    results = ActivityItem.gsi2.query(
        keys.technician_time(tenant_id, user_id),
        Item.gsi2sk < stop.isoformat(),
        scan_index_forward=False,
        limit=2,
    )
    return [e for e in results if isinstance(e, ActivityItem)]


def work_board(tenant_id: str, limit: int, cursor: str | None) -> Page[WorkRequiredItem]:
    """Work required not yet ready to submit, oldest first: one Query."""
    scope = keys.cursor_scope(keys.CursorQuery.WORK_REQUIRED, tenant_id)
    partition = keys.work_required_board(tenant_id)
    return newest_first(
        WorkRequiredItem,
        WorkRequiredItem.gsi1,
        partition,
        limit=limit,
        cursor=cursor,
        scope=scope,
        newest=False,
    )


def unit_work(tenant_id: str, unit_id: str, limit: int, cursor: str | None) -> Page[WorkRequiredItem]:
    scope = keys.cursor_scope(keys.CursorQuery.UNIT_WORK_REQUIRED, tenant_id, unit_id)
    partition = keys.unit_work_required(tenant_id, unit_id)
    return newest_first(
        WorkRequiredItem,
        WorkRequiredItem.gsi2,
        partition,
        limit=limit,
        cursor=cursor,
        scope=scope,
        newest=False,
    )


def unit_work_orders(tenant_id: str, unit_id: str, limit: int, cursor: str | None) -> Page[TicketItem]:
    scope = keys.cursor_scope(keys.CursorQuery.UNIT_WORK_ORDERS, tenant_id, unit_id)
    partition = keys.unit_work_orders(tenant_id, unit_id)
    return newest_first(TicketItem, TicketItem.gsi2, partition, limit=limit, cursor=cursor, scope=scope)


def open_load(tenant_id: str, user_id: str) -> int:
    """How many active tickets are assigned to this member now: one COUNT Query of their partition (it holds
    only active tickets)."""
    return int(TicketItem.gsi3.count(keys.assigned_to(tenant_id, user_id)))


def assigned(
    tenant_id: str, user_id: str, status: str | None, limit: int, cursor: str | None
) -> Page[TicketItem]:
    """The tickets being worked that are assigned to this member, newest first: one Query of that member's
    partition (a status narrows it with a filter: the partition holds only their active tickets)."""
    scope = keys.cursor_scope(keys.CursorQuery.ASSIGNED, tenant_id, user_id, status)
    partition = keys.assigned_to(tenant_id, user_id)
    only = TicketItem.status == status if status else None
    return newest_first(
        TicketItem, TicketItem.gsi3, partition, limit=limit, cursor=cursor, scope=scope, only=only
    )


SUMMED = ("minutes", "labour_cents", "cost_cents", "billable_cents")


def bucket_deltas(contribution: dict[str, Any] | None, sign: int) -> dict[str, dict[str, int]]:
    """The report buckets a contribution is in, and what it adds to each (`sign` -1: what leaving takes)."""
    if contribution is None:
        return {}
    c = contribution
    summed = {"tickets": sign, **{name: sign * int(c[name]) for name in SUMMED}}
    return {
        keys.report_by_day(c["day"], c["partner"], c["status"], c["currency"]): summed,
        keys.report_by_partner(c["partner"], c["day"], c["status"], c["currency"]): summed,
        keys.report_status(c["partner"], c["status"]): {
            "tickets": sign,
            "created_sum": sign * int(c["created"]),
        },
    }


def _stage_reports(tx: Any, item: TicketItem) -> None:
    """The ticket's move between report buckets, in its own transaction: out of where it was counted, into
    where it is now (one update per bucket whose sums change)."""
    after = item.contribution()
    if item.report == after:
        return
    merged: dict[str, dict[str, int]] = {}
    for deltas in (bucket_deltas(item.report, -1), bucket_deltas(after, 1)):
        for sk, fields in deltas.items():
            into = merged.setdefault(sk, {})
            for name, value in fields.items():
                into[name] = into.get(name, 0) + value
    partition = keys.reports_partition(item.tenant_id)
    for sk, fields in merged.items():
        changes = {name: value for name, value in fields.items() if value}
        if not changes:
            continue
        actions = [getattr(ReportBucketItem, name).add(value) for name, value in changes.items()]
        tx.update(ReportBucketItem(partition, sk), actions=[Item.entity.set(ReportBucketItem), *actions])
    item.report = after


def report_buckets(owner_id: str, low: str, high: str) -> list[ReportBucketItem]:
    """Every report bucket whose key lies between `low` and `high` (a period's days, for all partners or
    one): a Query read to its end. Its size grows with the period and the partners, never with the tickets."""
    results = ReportBucketItem.query(keys.reports_partition(owner_id), Item.sk.between(low, high))
    return [r for r in results if isinstance(r, ReportBucketItem)]


def status_counters(owner_id: str, partner: str | None) -> list[ReportBucketItem]:
    prefix = keys.report_status(partner, "") if partner else "STATUS#"
    results = ReportBucketItem.query(keys.reports_partition(owner_id), Item.sk.startswith(prefix))
    return [r for r in results if isinstance(r, ReportBucketItem)]


def oldest(owner_id: str, partner: str | None, status: str) -> TicketItem | None:
    """The oldest ticket in a status (of one partner's): one Query of the board, oldest first, limit 1."""
    index: Any
    if partner and partner != keys.IN_HOUSE:
        partition, index = keys.outsourced_in_status(partner, owner_id, status), TicketItem.gsi3
    else:
        partition, index = keys.tickets_by_status(owner_id, status), TicketItem.gsi1
    for found in index.query(partition, scan_index_forward=True, limit=1):
        if isinstance(found, TicketItem):
            return found
    return None


def search(
    viewer: str, owner_id: str, filters: SearchFilters, limit: int, cursor: str | None, scope: str
) -> tuple[list[TicketItem], str | None]:
    """One page of a search, newest first: one Query of the partition of its most selective filter (created
    dates bound the sort key), one BatchGetItem of those tickets; the other filters keep what matches, so a
    page may hold fewer than `limit`."""
    partition = keys.ticket_search(viewer, owner_id, filters.start())
    within: Condition | None = None
    low = keys.ticket_sort(ulid_floor(filters.created_from)) if filters.created_from else None
    high = keys.ticket_sort(ulid_floor(filters.created_to)) if filters.created_to else None
    if low and high:
        within = Item.sk.between(low, high)
    elif low:
        within = Item.sk >= low
    elif high:
        within = Item.sk < high
    page = newest_first(
        TicketSearchItem, TicketSearchItem, partition, within=within, limit=limit, cursor=cursor, scope=scope
    )
    found = reads.get_many(TicketItem, (keys.ticket(owner_id, e.ticket_id) for e in page.items))
    side = "owner" if viewer == owner_id else "partner"
    # The index is eventually consistent: a ticket taken back from a partner a moment ago may still be
    # listed on its side; what counts is who holds the ticket now.
    by_id = {t.ticket_id: t for t in found if side == "owner" or t.servicer_id == viewer}
    ordered = [by_id[e.ticket_id] for e in page.items if e.ticket_id in by_id]
    return [
        t for t in ordered if filters.matches(t.search_view(side), t.created_at, t.updated_at)
    ], page.next_cursor


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
    """What this owner outsourced to this partner (every status: GSI2, or one: GSI3), newest first: one
    Query over exactly what it shows."""
    scope = keys.cursor_scope(keys.CursorQuery.OUTSOURCED, owner_id, servicer_id, status)
    if status is None:
        partition = keys.outsourced_to(servicer_id, owner_id)
        return newest_first(TicketItem, TicketItem.gsi2, partition, limit=limit, cursor=cursor, scope=scope)
    partition = keys.outsourced_in_status(servicer_id, owner_id, status)
    return newest_first(TicketItem, TicketItem.gsi3, partition, limit=limit, cursor=cursor, scope=scope)


def activity(
    tenant_id: str, ticket_id: str, partner: str | None, limit: int, cursor: str | None
) -> Page[ActivityItem]:
    """A ticket's steps, time entries, costs, files and notes, oldest first: one Query. For a partner, only
    the entries of its own assignments (its own, and what the owner shared with it then); for the owner,
    everything but what a partner kept internal."""
    scope = keys.cursor_scope(keys.CursorQuery.ACTIVITY, tenant_id, ticket_id, partner)
    shown = (
        ActivityItem.assignment == partner
        if partner
        else (ActivityItem.internal == False) | (ActivityItem.company_id == tenant_id)  # noqa: E712
    )
    results = ActivityItem.query(
        keys.ticket_partition(tenant_id, ticket_id),
        Item.sk.startswith(keys.ACTIVITY_PREFIX),
        filter_condition=shown,
        page_size=limit,
        last_evaluated_key=decode_cursor(cursor, scope),
    )
    return first_page(results, ActivityItem, scope)


def stage_unchanged(tx: TransactWrite, tenant_id: str, ticket_id: str, status: str, version: int) -> None:
    """Into another context's transaction: it commits only while the ticket is in `status` at `version`."""
    pk, sk = keys.ticket(tenant_id, ticket_id)
    unchanged = (TicketItem.status == status) & (TicketItem.version == version)
    tx.condition_check(TicketItem, pk, sk, condition=unchanged)


def save(
    item: TicketItem,
    events: list[Envelope],
    *,
    entries: tuple[ActivityItem, ...] = (),
    message: InboundMessageItem | None = None,
    active_link: tuple[str, str] | None = None,
    changed_entries: tuple[ActivityItem, ...] = (),
    work: tuple[tuple[WorkRequiredItem, str], ...] = (),
    clocks: tuple[ClockItem, ...] = (),
    repair_order: tuple[int, int] | None = None,
    offers: tuple[OfferItem, ...] = (),
    costs: tuple[CostItem, ...] = (),
    attachments: tuple[AttachmentItem, ...] = (),
    nte_requests: tuple[NteRequestItem, ...] = (),
    also: tuple[Callable[[TransactWrite], None], ...] = (),
) -> None:
    """The ticket (versioned), its new and changed activity entries, the received inbound message id (a
    replay fails its condition), one event per change and, for a partner's change, the check that its link is
    still active; for a work order also the work required it moves (each from the status it was read in),
    the technicians' clocks (versioned) and the repair order counter (from the number read to the one taken);
    the offer a negotiation changes, a new cost, an attachment (versioned): one transaction."""
    item.updated_at = utc_now()
    item.place()
    with transaction() as tx:
        before = {(pk, sk) for pk, sk in item.search or []}
        after = item.search_keys()
        for pk, sk in before - after:
            tx.delete(TicketSearchItem(pk, sk))
        for pk, sk in after - before:
            tx.save(TicketSearchItem(pk, sk, ticket_id=item.ticket_id))
        item.search = sorted([pk, sk] for pk, sk in after)
        _stage_reports(tx, item)
        tx.save(item)
        for entry in entries:
            tx.save(entry, condition=Item.pk.does_not_exist())
        for entry in changed_entries:
            tx.save(entry, condition=Item.pk.exists())
        for work_item, was in work:
            work_item.place()
            tx.save(work_item, condition=WorkRequiredItem.status == was)
        for clock in clocks:
            tx.save(clock)
        for offer in offers:
            offer.updated_at = item.updated_at
            offer.place()
            tx.save(offer)
        for cost in costs:
            tx.save(cost, condition=Item.pk.does_not_exist())
        for attachment in attachments:
            attachment.updated_at = item.updated_at
            tx.save(attachment)
        for request in nte_requests:  # versioned: two answers to one request cannot both commit
            request.updated_at = item.updated_at
            tx.save(request)
        if repair_order is not None:
            last, taken = repair_order
            pk, sk = keys.repair_order_counter(item.tenant_id)
            counter = CounterItem(pk, sk, last=taken)
            tx.save(counter, condition=CounterItem.last == last if last else Item.pk.does_not_exist())
        if message is not None:
            tx.save(message, condition=Item.pk.does_not_exist())
        for event in events:
            tx.save(outbox_item(event), condition=Item.pk.does_not_exist())
        if active_link is not None:
            links.stage_still_active(tx, *active_link)
        for stage in also:  # another context's part of the change (a team's routing turn)
            stage(tx)
