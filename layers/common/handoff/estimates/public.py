"""What other contexts may ask of estimates: the draft a confirmed booking opens, staged into the booking's
own transaction (no schemas, no use cases: cheap to import)."""

from __future__ import annotations

from dataclasses import dataclass

from pynamodb.transactions import TransactWrite

from handoff.estimates import repository as repo
from handoff.estimates.domain import Side
from handoff.store.table import Item


@dataclass(frozen=True)
class Draft:
    estimate_id: str
    item: Item


def draft_for_booking(tenant_id: str, customer_id: str, unit_id: str, booking_id: str, by: str) -> Draft:
    """The empty draft a confirmed booking opens, not yet written."""
    item = repo.new_estimate(
        tenant_id, customer_id, unit_id, currency=None, created_by=by, booking_id=booking_id
    )
    item.record("open-from-booking", Side.SHOP.value, by, booking_id=booking_id)
    return Draft(item.estimate_id, item)


def stage_draft(tx: TransactWrite, draft: Draft) -> None:
    """Into the booking's transaction: the draft and its unit's entry, written once."""
    assert isinstance(draft.item, repo.EstimateItem)
    repo.write(tx, draft.item, created=True)


def currency_of(tenant_id: str, estimate_id: str, version: int) -> str | None:
    """The currency of the frozen version a customer approved (the working copy may have changed since)."""
    frozen = repo.get_version(tenant_id, estimate_id, version)
    return frozen.currency if frozen is not None else None
