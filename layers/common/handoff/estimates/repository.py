"""Data access for estimates: the estimate (history inside), its frozen versions and its unit's entry. The
only code that knows their keys; the work required its approvals produce is the tickets context's (intake)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pynamodb.attributes import (
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.transactions import TransactWrite

from handoff import keys
from handoff.events.envelope import Envelope
from handoff.events.outbox import outbox_item
from handoff.ids import new_id, utc_now
from handoff.store import reads
from handoff.store.pages import Page, newest_first
from handoff.store.table import Item, transaction

MAX_HISTORY = 200  # a dispute goes back and forth; the item stays far below DynamoDB's 400 KB


class EstimateItem(Item, discriminator="estimate"):
    tenant_id = UnicodeAttribute()
    estimate_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    unit_id = UnicodeAttribute()
    booking_id = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default="draft")
    currency = UnicodeAttribute(null=True)  # a draft opened from a booking has none until the shop sets it
    labour_lines = JSONAttribute(default=list)  # the working copy (frozen copies are versions)
    submitted_version = NumberAttribute(default=0)
    approved_version = NumberAttribute(null=True)
    approved_line_ids = JSONAttribute(null=True)
    work_ids = JSONAttribute(null=True)  # the work required the current approval produced
    dispute = JSONAttribute(null=True)
    history = JSONAttribute(default=list)
    created_by = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    def record(self, action: str, side: str, by: str, **details: Any) -> None:
        entry = {"at": utc_now().isoformat(), "action": action, "side": side, "by": by, **details}
        self.history = [*self.history, {**entry, "status": self.status}][-MAX_HISTORY:]

    def place(self) -> None:
        self.gsi1pk = keys.estimates_by_status(self.tenant_id, self.status)
        self.gsi1sk = keys.estimate_sort(self.estimate_id)
        # The customer's list holds what was ever sent to it (a sparse index: drafts never sent stay out).
        sent = bool(self.submitted_version)
        self.gsi2pk = keys.customer_estimates(self.tenant_id, self.customer_id) if sent else None
        self.gsi2sk = keys.estimate_sort(self.estimate_id) if sent else None


class UnitEstimateItem(Item, discriminator="unit_estimate"):
    """A unit's entry for one estimate, kept in step with it in the same transaction."""

    estimate_id = UnicodeAttribute()
    status = UnicodeAttribute()
    submitted_version = NumberAttribute(default=0)
    updated_at = UTCDateTimeAttribute()


class VersionItem(Item, discriminator="estimate_version"):
    """A frozen submission: never written again."""

    estimate_id = UnicodeAttribute()
    number = NumberAttribute()
    currency = UnicodeAttribute()
    labour_lines = JSONAttribute()
    totals = JSONAttribute()
    submitted_at = UTCDateTimeAttribute()
    submitted_by = UnicodeAttribute()


def _not_exists() -> Any:
    return Item.pk.does_not_exist()


def new_estimate(
    tenant_id: str,
    customer_id: str,
    unit_id: str,
    *,
    currency: str | None,
    created_by: str,
    booking_id: str | None = None,
    estimate_id: str | None = None,
) -> EstimateItem:
    estimate_id = estimate_id or new_id()
    pk, sk = keys.estimate(tenant_id, estimate_id)
    now = utc_now()
    item = EstimateItem(
        pk,
        sk,
        tenant_id=tenant_id,
        estimate_id=estimate_id,
        customer_id=customer_id,
        unit_id=unit_id,
        booking_id=booking_id,
        currency=currency,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    item.place()
    return item


def estimate_keys(path: dict[str, str]) -> list[reads.Key]:
    return [keys.estimate(path["tenant_id"], path["estimate_id"])]


def read_keys(path: dict[str, str]) -> list[reads.Key]:
    """An estimate route reads the estimate and the tenant (its tax rate): one BatchGetItem with access."""
    return [*estimate_keys(path), keys.tenant(path["tenant_id"])]


def version_read_keys(path: dict[str, str]) -> list[reads.Key]:
    """A version route also reads the version it names, in the same BatchGetItem."""
    number = path.get("version", "")
    if not re.fullmatch(r"[0-9]{1,5}", number):  # validated later; the prefetch just leaves it out
        return read_keys(path)
    return [*read_keys(path), keys.estimate_version(path["tenant_id"], path["estimate_id"], int(number))]


def tenant_keys(path: dict[str, str]) -> list[reads.Key]:
    return [keys.tenant(path["tenant_id"])]


def unit_keys(path: dict[str, str]) -> list[reads.Key]:
    return [keys.unit(path["tenant_id"], path["unit_id"])]


def get_estimate(tenant_id: str, estimate_id: str) -> EstimateItem | None:
    return reads.get(EstimateItem, keys.estimate(tenant_id, estimate_id))


def get_version(tenant_id: str, estimate_id: str, number: int) -> VersionItem | None:
    return reads.get(VersionItem, keys.estimate_version(tenant_id, estimate_id, number))


def get_versions(tenant_id: str, estimate_id: str, numbers: list[int]) -> list[VersionItem | None]:
    """Several versions in one BatchGetItem (a diff), in the order asked."""
    wanted = [keys.estimate_version(tenant_id, estimate_id, n) for n in numbers]
    reads.prefetch(wanted)
    return [reads.get(VersionItem, key) for key in wanted]


def versions(tenant_id: str, estimate_id: str, limit: int, cursor: str | None) -> Page[VersionItem]:
    scope = keys.cursor_scope(keys.CursorQuery.ESTIMATE_VERSIONS, tenant_id, estimate_id)
    partition = keys.estimate_partition(tenant_id, estimate_id)
    within = Item.sk.startswith(keys.VERSION_PREFIX)
    return newest_first(
        VersionItem,
        VersionItem,
        partition,
        limit=limit,
        cursor=cursor,
        scope=scope,
        within=within,
        newest=False,
    )


def board(tenant_id: str, status: str, limit: int, cursor: str | None) -> Page[EstimateItem]:
    scope = keys.cursor_scope(keys.CursorQuery.ESTIMATES, tenant_id, status)
    partition = keys.estimates_by_status(tenant_id, status)
    return newest_first(EstimateItem, EstimateItem.gsi1, partition, limit=limit, cursor=cursor, scope=scope)


def of_customer(tenant_id: str, customer_id: str, limit: int, cursor: str | None) -> Page[EstimateItem]:
    scope = keys.cursor_scope(keys.CursorQuery.CUSTOMER_ESTIMATES, tenant_id, customer_id)
    partition = keys.customer_estimates(tenant_id, customer_id)
    return newest_first(EstimateItem, EstimateItem.gsi2, partition, limit=limit, cursor=cursor, scope=scope)


def of_unit(tenant_id: str, unit_id: str, limit: int, cursor: str | None) -> Page[UnitEstimateItem]:
    scope = keys.cursor_scope(keys.CursorQuery.UNIT_ESTIMATES, tenant_id, unit_id)
    partition = keys.unit(tenant_id, unit_id)[0]
    within = Item.sk.startswith(keys.UNIT_ESTIMATE_PREFIX)
    return newest_first(
        UnitEstimateItem, UnitEstimateItem, partition, limit=limit, cursor=cursor, scope=scope, within=within
    )


def frozen(
    item: EstimateItem, number: int, lines: list[dict[str, Any]], totals: dict[str, int], by: str
) -> VersionItem:
    pk, sk = keys.estimate_version(item.tenant_id, item.estimate_id, number)
    return VersionItem(
        pk,
        sk,
        estimate_id=item.estimate_id,
        number=number,
        currency=item.currency,
        labour_lines=lines,
        totals=totals,
        submitted_at=utc_now(),
        submitted_by=by,
    )


def write(tx: TransactWrite, item: EstimateItem, *, created: bool = False) -> None:
    """The estimate and its unit's entry, into a transaction (also the booking's, when one opens a draft)."""
    item.updated_at = utc_now()
    item.place()
    pk, sk = keys.unit_estimate(item.tenant_id, item.unit_id, item.estimate_id)
    entry = UnitEstimateItem(
        pk,
        sk,
        estimate_id=item.estimate_id,
        status=item.status,
        submitted_version=item.submitted_version,
        updated_at=item.updated_at,
    )
    tx.save(item, condition=_not_exists() if created else None)
    tx.save(entry)


def announce(item: EstimateItem, event: Envelope) -> None:
    """An event about the estimate as it is (unchanged): the outbox item, if the estimate did not move."""
    with transaction() as tx:
        tx.condition_check(EstimateItem, item.pk, item.sk, condition=EstimateItem.version == item.version)
        tx.save(outbox_item(event), condition=_not_exists())


def save(
    item: EstimateItem,
    events: list[Envelope],
    *,
    created: bool = False,
    version: VersionItem | None = None,
    also: Callable[[TransactWrite], None] | None = None,
) -> None:
    """The estimate (versioned: a concurrent change makes this a 409), its unit's entry, a frozen version,
    the events and what `also` stages (the work required an approval hands to the tickets context, and what
    a new version supersedes): one transaction."""
    with transaction() as tx:
        write(tx, item, created=created)
        if version is not None:
            tx.save(version, condition=_not_exists())
        if also is not None:  # what another context's public function stages into this transaction
            also(tx)
        for event in events:
            tx.save(outbox_item(event), condition=_not_exists())
