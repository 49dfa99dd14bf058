"""Data access for billing. Partner invoices: one item each in the owner's tenant (on the owner's board by
status, GSI1, and on the partner's list of what it invoiced that owner, GSI2), the guard that makes a
computation happen once per completion, and the issuer's invoice counters. A shop's invoices and the credit
notes that correct them. Rate cards: a head and its versions in one partition."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.transactions import TransactWrite

from handoff import keys
from handoff.billing.domain import RateScope, ShopStatus, scope_key
from handoff.errors import Conflict
from handoff.events.envelope import Envelope
from handoff.events.outbox import outbox_item
from handoff.ids import new_id, utc_now
from handoff.links import public as links
from handoff.store import reads
from handoff.store.pages import Page, newest_first
from handoff.store.table import Item, transaction


class StepHistory:
    """What both kinds of invoice keep: every step, who took it, when, with its note."""

    history: Any

    def record(self, action: str, by: str, note: str | None) -> None:
        step = {"action": action, "by": by, "at": utc_now().isoformat(), "note": note}
        self.history = [*self.history, step]


@dataclass(frozen=True)
class NumberTaken:
    """The next number of an issuer's series, read now; its transaction moves the counter from `last`."""

    issuer_id: str
    series: str
    last: int

    @property
    def taken(self) -> int:
        return self.last + 1


class PartnerInvoiceItem(StepHistory, Item, discriminator="partner_invoice"):
    tenant_id = UnicodeAttribute()  # the owner it is addressed to
    invoice_id = UnicodeAttribute()
    servicer_id = UnicodeAttribute()  # the partner that issues it
    ticket_id = UnicodeAttribute()
    ticket_version = NumberAttribute()  # the completion it bills
    title = UnicodeAttribute()
    currency = UnicodeAttribute()
    lines = JSONAttribute(default=list)
    computed_cents = NumberAttribute()  # the lines' sum: the work at the accepted terms
    adjustment_cents = NumberAttribute(default=0)  # what the partner added (or took off) when sending
    adjustment_note = UnicodeAttribute(null=True)
    total_cents = NumberAttribute()
    not_to_exceed_cents = NumberAttribute(null=True)
    status = UnicodeAttribute()
    series = UnicodeAttribute(null=True)
    number = UnicodeAttribute(null=True)  # given at the first sending, never again
    auto_approved = BooleanAttribute(default=False)
    dispute = JSONAttribute(null=True)  # the owner's note and line notes
    endorsements = JSONAttribute(default=list)  # approvers below the total who passed it up (this sending)
    history = JSONAttribute(default=list)  # every step: who, when, which, note
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    @property
    def nte(self) -> int | None:
        return int(self.not_to_exceed_cents) if self.not_to_exceed_cents is not None else None

    @property
    def over_nte(self) -> bool:
        return self.nte is not None and int(self.total_cents) > self.nte

    def place(self) -> None:
        sort = keys.invoice_sort(self.invoice_id)
        self.gsi1pk, self.gsi1sk = keys.partner_invoices_by_status(self.tenant_id, self.status), sort
        self.gsi2pk, self.gsi2sk = keys.partner_invoices_from(self.servicer_id, self.tenant_id), sort


class ComputedForItem(Item, discriminator="partner_invoice_guard"):
    invoice_id = UnicodeAttribute()


class InvoiceCounterItem(Item, discriminator="invoice_counter"):
    last = NumberAttribute(default=0)


def new_invoice(
    owner_id: str, servicer_id: str, ticket_id: str, version: int, **fields: Any
) -> PartnerInvoiceItem:
    invoice_id = new_id()
    pk, sk = keys.partner_invoice(owner_id, invoice_id)
    now = utc_now()
    return PartnerInvoiceItem(
        pk,
        sk,
        tenant_id=owner_id,
        invoice_id=invoice_id,
        servicer_id=servicer_id,
        ticket_id=ticket_id,
        ticket_version=version,
        created_at=now,
        updated_at=now,
        **fields,
    )


def invoice_keys(path: dict[str, str]) -> list[reads.Key]:
    return [keys.partner_invoice(path["tenant_id"], path["invoice_id"])]


def get_invoice(owner_id: str, invoice_id: str) -> PartnerInvoiceItem | None:
    return reads.get(PartnerInvoiceItem, keys.partner_invoice(owner_id, invoice_id))


def invoices_of_ticket(owner_id: str, ticket_id: str) -> list[PartnerInvoiceItem]:
    """Every invoice the ticket's completions made: one Query of their guards, one BatchGetItem."""
    partition = keys.partner_invoice_of_ticket(owner_id, ticket_id, 0)[0]
    guards = [g for g in ComputedForItem.query(partition) if isinstance(g, ComputedForItem)]
    return reads.get_many(PartnerInvoiceItem, [keys.partner_invoice(owner_id, g.invoice_id) for g in guards])


def take_number(issuer_id: str, series: str) -> NumberTaken:
    counter = reads.get(InvoiceCounterItem, keys.invoice_counter(issuer_id, series))
    return NumberTaken(issuer_id, series, int(counter.last) if counter is not None else 0)


def _stage_number(tx: TransactWrite, number: NumberTaken | None) -> None:
    """Into the invoice's transaction: two that read the same number cannot both commit (no gap, no twin)."""
    if number is None:
        return
    pk, sk = keys.invoice_counter(number.issuer_id, number.series)
    counter = InvoiceCounterItem(pk, sk, last=number.taken)
    first = Item.pk.does_not_exist()
    tx.save(counter, condition=InvoiceCounterItem.last == number.last if number.last else first)


def board(owner_id: str, status: str, limit: int, cursor: str | None) -> Page[PartnerInvoiceItem]:
    """The owner's invoices in one status, newest first: one Query."""
    scope = keys.cursor_scope(keys.CursorQuery.PARTNER_INVOICES, owner_id, status)
    partition = keys.partner_invoices_by_status(owner_id, status)
    return newest_first(
        PartnerInvoiceItem, PartnerInvoiceItem.gsi1, partition, limit=limit, cursor=cursor, scope=scope
    )


def issued(
    servicer_id: str, owner_id: str, status: str | None, limit: int, cursor: str | None
) -> Page[PartnerInvoiceItem]:
    """What the partner invoiced this owner, newest first: one Query (a status filters it)."""
    scope = keys.cursor_scope(keys.CursorQuery.PARTNER_INVOICES_FROM, owner_id, servicer_id, status)
    partition = keys.partner_invoices_from(servicer_id, owner_id)
    only = PartnerInvoiceItem.status == status if status else None
    return newest_first(
        PartnerInvoiceItem,
        PartnerInvoiceItem.gsi2,
        partition,
        limit=limit,
        cursor=cursor,
        scope=scope,
        only=only,
    )


def create(item: PartnerInvoiceItem, event: Envelope) -> bool:
    """The computed invoice, its event, and the guard of its completion: once (False: it was made before)."""
    item.place()
    pk, sk = keys.partner_invoice_of_ticket(item.tenant_id, item.ticket_id, int(item.ticket_version))
    try:
        with transaction("this completion was invoiced already") as tx:
            tx.save(ComputedForItem(pk, sk, invoice_id=item.invoice_id), condition=Item.pk.does_not_exist())
            tx.save(item, condition=Item.pk.does_not_exist())
            tx.save(outbox_item(event), condition=Item.pk.does_not_exist())
    except Conflict:
        reads.forget()
        if reads.get(ComputedForItem, (pk, sk)) is not None:
            return False
        raise
    return True


def save(
    item: PartnerInvoiceItem,
    events: list[Envelope],
    number: NumberTaken | None = None,
    *,
    partner_link: bool = False,
) -> None:
    """The invoice (versioned) and its events; at the first sending, the issuer's counter."""
    item.updated_at = utc_now()
    item.place()
    with transaction("the invoice or its series' numbers changed meanwhile; reload and retry") as tx:
        tx.save(item)
        for event in events:
            tx.save(outbox_item(event), condition=Item.pk.does_not_exist())
        if partner_link:  # the partner's step holds only while its link is active (a revocation wins)
            links.stage_still_active(tx, item.tenant_id, item.servicer_id)
        _stage_number(tx, number)


# ---- shop -> customer invoices ----------------------------------------------------------------------------


HIDDEN_FROM_CUSTOMERS = frozenset({"draft", "revised"})  # the shop's own work in progress


class InvoiceItem(StepHistory, Item, discriminator="invoice"):
    tenant_id = UnicodeAttribute()  # the shop
    invoice_id = UnicodeAttribute()
    kind = UnicodeAttribute(default="invoice")  # invoice | credit_note
    credits_invoice_id = UnicodeAttribute(null=True)  # a credit note: the finalized invoice it corrects
    credited = JSONAttribute(default=dict)  # an invoice: what credit notes took off each line (source id)
    credited_cents = NumberAttribute(default=0)  # ... and in all, taxes included
    credited_taxes = JSONAttribute(default=list)  # ... and of each tax it charged: [taxable, tax]
    tax_date = UnicodeAttribute(null=True)  # the day whose rate card taxes it (its tax point)
    taxes = JSONAttribute(default=list)  # each rule: name, rate, what it taxed, how much
    work_order_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    unit_id = UnicodeAttribute()
    ro_number = NumberAttribute(null=True)
    currency = UnicodeAttribute()
    lines = JSONAttribute(default=list)
    subtotal_cents = NumberAttribute()
    tax_rate_bp = NumberAttribute(null=True)  # the tenant's flat rate, where no shop rate card applies
    tax_cents = NumberAttribute()
    total_cents = NumberAttribute()
    differs_from_estimate = BooleanAttribute(default=False)
    needs_authorization = BooleanAttribute(default=False)  # the customer authorizes (finalizes) it
    status = UnicodeAttribute()
    series = UnicodeAttribute(null=True)
    number = UnicodeAttribute(null=True)  # given when it is finalized
    dispute = JSONAttribute(null=True)
    history = JSONAttribute(default=list)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    def place(self) -> None:
        sort = keys.invoice_sort(self.invoice_id)
        self.gsi1pk, self.gsi1sk = keys.invoices_by_status(self.tenant_id, self.status), sort
        seen = self.status not in HIDDEN_FROM_CUSTOMERS  # what was submitted to it, or finalized
        self.gsi2pk = keys.customer_invoices(self.tenant_id, self.customer_id) if seen else None
        self.gsi2sk = sort if seen else None


def new_shop_invoice(tenant_id: str, work_order_id: str, **fields: Any) -> InvoiceItem:
    invoice_id = new_id()
    pk, sk = keys.invoice(tenant_id, invoice_id)
    now = utc_now()
    return InvoiceItem(
        pk,
        sk,
        tenant_id=tenant_id,
        invoice_id=invoice_id,
        work_order_id=work_order_id,
        created_at=now,
        updated_at=now,
        **fields,
    )


def shop_invoice_keys(path: dict[str, str]) -> list[reads.Key]:
    return [keys.invoice(path["tenant_id"], path["invoice_id"])]


def get_shop_invoice(tenant_id: str, invoice_id: str) -> InvoiceItem | None:
    return reads.get(InvoiceItem, keys.invoice(tenant_id, invoice_id))


def invoice_of_work_order(tenant_id: str, work_order_id: str) -> InvoiceItem | None:
    """The work order's one invoice (its guard, then the invoice), or None."""
    guard = reads.get(ComputedForItem, keys.invoice_of_work_order(tenant_id, work_order_id))
    return get_shop_invoice(tenant_id, guard.invoice_id) if guard is not None else None


def stage_not_finalized(
    tx: TransactWrite, *, invoice: InvoiceItem | None, work_order: tuple[str, str]
) -> None:
    """Into another context's transaction: it commits only while the invoice (as read) is not finalized, or,
    where the work order had none, while none is made."""
    if invoice is None:
        guard = keys.invoice_of_work_order(*work_order)
        tx.condition_check(ComputedForItem, *guard, condition=Item.pk.does_not_exist())
    else:
        not_final = InvoiceItem.status != ShopStatus.FINALIZED.value
        tx.condition_check(InvoiceItem, invoice.pk, invoice.sk, condition=not_final)


def shop_board(tenant_id: str, status: str, limit: int, cursor: str | None) -> Page[InvoiceItem]:
    scope = keys.cursor_scope(keys.CursorQuery.INVOICES, tenant_id, status)
    partition = keys.invoices_by_status(tenant_id, status)
    return newest_first(InvoiceItem, InvoiceItem.gsi1, partition, limit=limit, cursor=cursor, scope=scope)


def of_customer(tenant_id: str, customer_id: str, limit: int, cursor: str | None) -> Page[InvoiceItem]:
    scope = keys.cursor_scope(keys.CursorQuery.CUSTOMER_INVOICES, tenant_id, customer_id)
    partition = keys.customer_invoices(tenant_id, customer_id)
    return newest_first(InvoiceItem, InvoiceItem.gsi2, partition, limit=limit, cursor=cursor, scope=scope)


def create_shop_invoice(item: InvoiceItem, event: Envelope) -> None:
    """The invoice, its event, and the work order's one-invoice guard: a second invoice of it is a 409."""
    item.place()
    pk, sk = keys.invoice_of_work_order(item.tenant_id, item.work_order_id)
    with transaction("this work order is invoiced already; correct it with a credit note") as tx:
        tx.save(ComputedForItem(pk, sk, invoice_id=item.invoice_id), condition=Item.pk.does_not_exist())
        tx.save(item, condition=Item.pk.does_not_exist())
        tx.save(outbox_item(event), condition=Item.pk.does_not_exist())


def save_shop_invoice(
    item: InvoiceItem,
    events: list[Envelope],
    number: NumberTaken | None,
    credit_note: InvoiceItem | None = None,
    *,
    ready: tuple[str, int] | None = None,
) -> None:
    """The invoice (versioned) and its events; when it is finalized, the shop's counter and the condition
    that its work order is still ready as read (`ready`: its id and version); a credit note with what it
    credited on the invoice (two credits that read the same invoice cannot both commit)."""
    item.updated_at = utc_now()
    item.place()
    with transaction("the invoice, its work order or its series' numbers changed meanwhile; retry") as tx:
        if ready is not None:
            from handoff.tickets import public as tickets  # loaded by the routes that read work (ADR 0013)

            tickets.stage_still_ready(tx, item.tenant_id, *ready)
        tx.save(item)
        if credit_note is not None:
            credit_note.place()
            tx.save(credit_note, condition=Item.pk.does_not_exist())
        for event in events:
            tx.save(outbox_item(event), condition=Item.pk.does_not_exist())
        _stage_number(tx, number)


# ---- rate cards -------------------------------------------------------------------------------------------


class RateCardItem(Item, discriminator="rate_card"):
    """A rate card's head: its scope and name, and its latest version (what a new version must follow)."""

    tenant_id = UnicodeAttribute()
    rate_card_id = UnicodeAttribute()
    scope = UnicodeAttribute()  # shop | partner
    servicer_id = UnicodeAttribute(null=True)  # the partner, for a partner's card
    name = UnicodeAttribute()
    currency = UnicodeAttribute()
    latest_version = NumberAttribute()
    latest_from = UnicodeAttribute()  # the day the version made last takes effect
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    @property
    def scope_key(self) -> str:
        return scope_key(RateScope(self.scope), self.servicer_id)

    def place(self) -> None:
        self.gsi1pk, self.gsi1sk = keys.rate_cards(self.tenant_id), f"{self.scope_key}#{self.rate_card_id}"


class RateVersionItem(Item, discriminator="rate_version"):
    """One version of a rate card, never changed: the work done from its day bills at it."""

    rate_card_id = UnicodeAttribute()
    number = NumberAttribute()
    effective_from = UnicodeAttribute()
    hourly_rate_cents = NumberAttribute()
    rates = JSONAttribute(default=dict)  # work type -> hourly rate
    markup_bp = NumberAttribute(default=0)
    default_nte_cents = NumberAttribute(null=True)
    tax_rules = JSONAttribute(default=list)
    note = UnicodeAttribute(null=True)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()


def new_rate_card(tenant_id: str, **fields: Any) -> RateCardItem:
    rate_card_id = new_id()
    pk, sk = keys.rate_card(tenant_id, rate_card_id)
    now = utc_now()
    return RateCardItem(
        pk, sk, tenant_id=tenant_id, rate_card_id=rate_card_id, created_at=now, updated_at=now, **fields
    )


def new_rate_version(card: RateCardItem, **fields: Any) -> RateVersionItem:
    number, effective_from = int(card.latest_version), str(card.latest_from)
    pk, sk = keys.rate_version(card.tenant_id, card.rate_card_id, effective_from, number)
    return RateVersionItem(
        pk,
        sk,
        rate_card_id=card.rate_card_id,
        number=number,
        effective_from=effective_from,
        created_at=utc_now(),
        **fields,
    )


def rate_card_keys(path: dict[str, str]) -> list[reads.Key]:
    return [keys.rate_card(path["tenant_id"], path["rate_card_id"])]


def get_rate_card(tenant_id: str, rate_card_id: str) -> RateCardItem | None:
    return reads.get(RateCardItem, keys.rate_card(tenant_id, rate_card_id))


class RateCardGuardItem(Item, discriminator="rate_card_guard"):
    """A scope's one rate card (a second card for it is a 409)."""

    rate_card_id = UnicodeAttribute()


def rate_card_of(tenant_id: str, scope_key: str) -> str | None:
    """The id of the scope's one card (its guard), or None."""
    guard = reads.get(RateCardGuardItem, keys.rate_card_for(tenant_id, scope_key))
    return guard.rate_card_id if guard is not None else None


def _versions(tenant_id: str, rate_card_id: str, by: str | None, limit: int) -> list[RateVersionItem]:
    """A card's versions (those in effect by the day `by`, or all), the latest first: one strongly
    consistent Query (what was just written shows)."""
    found = RateVersionItem.query(
        keys.rate_card(tenant_id, rate_card_id)[0],
        Item.sk.between(keys.RATE_VERSION, keys.rate_versions_until(by))
        if by
        else Item.sk.startswith(keys.RATE_VERSION),
        scan_index_forward=False,
        limit=limit,
        consistent_read=True,
    )
    return [v for v in found if isinstance(v, RateVersionItem)]


def version_in_force(tenant_id: str, rate_card_id: str, day: str) -> RateVersionItem | None:
    """The version in force on `day`: the last that took effect on or before it (Limit 1)."""
    return next(iter(_versions(tenant_id, rate_card_id, day, 1)), None)


LATEST_VERSIONS = 20  # versions read at once: those shown, or the one in force and those scheduled after it


def latest_versions(
    tenant_id: str, rate_card_id: str, day: str
) -> tuple[list[RateVersionItem], RateVersionItem | None]:
    """A card's latest versions, the latest first, and the one in force on `day`: found among them unless
    the day is older than all of them (then one more Query)."""
    versions = _versions(tenant_id, rate_card_id, None, LATEST_VERSIONS)
    in_force = next((v for v in versions if v.effective_from <= day), None)
    if in_force is None and len(versions) == LATEST_VERSIONS:
        in_force = version_in_force(tenant_id, rate_card_id, day)
    return versions, in_force


def rate_card_list(tenant_id: str, limit: int, cursor: str | None) -> Page[RateCardItem]:
    """The tenant's rate cards by scope: one Query."""
    scope = keys.cursor_scope(keys.CursorQuery.RATE_CARDS, tenant_id)
    return newest_first(
        RateCardItem,
        RateCardItem.gsi1,
        keys.rate_cards(tenant_id),
        limit=limit,
        cursor=cursor,
        scope=scope,
        newest=False,
    )


def save_rate_card(card: RateCardItem, version: RateVersionItem, event: Envelope, *, first: bool) -> None:
    """A card's new version with its head (versioned); the first one also takes the scope's guard."""
    card.updated_at = utc_now()
    card.place()
    message = "this scope has a rate card already" if first else "the rate card changed meanwhile; reload it"
    with transaction(message) as tx:
        if first:
            pk, sk = keys.rate_card_for(card.tenant_id, card.scope_key)
            guard = RateCardGuardItem(pk, sk, rate_card_id=card.rate_card_id)
            tx.save(guard, condition=Item.pk.does_not_exist())
            tx.save(card, condition=Item.pk.does_not_exist())
        else:
            tx.save(card)
        tx.save(version, condition=Item.pk.does_not_exist())
        tx.save(outbox_item(event), condition=Item.pk.does_not_exist())
