"""Use cases of rate cards: a shop's own (the taxes of its invoices) and one per partner relationship (what a
linked partner's work bills at when it is offered a ticket without terms of its own). A card is versioned:
each version takes effect on a day, today or later, and the work done on a day bills at the version in force
that day — a new version never reprices what was done before it."""

from __future__ import annotations

from datetime import date
from typing import Any

from handoff.auth.access import Access
from handoff.billing import domain
from handoff.billing import repository as repo
from handoff.billing.domain import RateScope, TaxRule
from handoff.billing.schemas import (
    RateCardCreate,
    RateCardOut,
    RateCardPage,
    RateCardSummary,
    RatesIn,
)
from handoff.errors import Invalid, NotFound, check_version
from handoff.events.envelope import Envelope, new_event, user_actor
from handoff.ids import utc_now
from handoff.links import public as links

SOURCE = "handoff.billing"
NOT_FOUND = "rate card not found"


def _today() -> date:
    return utc_now().date()


def card_out(card: repo.RateCardItem, on: date | None = None) -> RateCardOut:
    versions, in_force = repo.latest_versions(card.tenant_id, card.rate_card_id, (on or _today()).isoformat())
    return RateCardOut.model_validate(
        {
            **RateCardSummary.model_validate(card, from_attributes=True).model_dump(),
            "in_force": in_force,
            "versions": versions,
            "created_at": card.created_at,
            "updated_at": card.updated_at,
        },
        from_attributes=True,
    )


def _event(access: Access, card: repo.RateCardItem, type: str, rates: RatesIn) -> Envelope:
    return new_event(
        source=SOURCE,
        type=type,
        tenant_id=card.tenant_id,
        entity_type="rate_card",
        entity_id=card.rate_card_id,
        version=int(card.version or 0) + 1,
        actor=user_actor(access.user_id, access.tenant),
        data={
            "scope": card.scope,
            "servicer_id": card.servicer_id,
            "currency": card.currency,
            "version_number": int(card.latest_version),
            "effective_from": card.latest_from,
            "hourly_rate_cents": rates.hourly_rate_cents,
        },
    )


def _version_fields(access: Access, rates: RatesIn) -> dict[str, Any]:
    return {
        "hourly_rate_cents": rates.hourly_rate_cents,
        "rates": dict(rates.rates),
        "markup_bp": rates.markup_bp,
        "default_nte_cents": rates.default_nte_cents,
        "tax_rules": [
            TaxRule(r.name, r.rate_bp, tuple(dict.fromkeys(r.applies_to))).to_doc() for r in rates.tax_rules
        ],
        "note": rates.note,
        "created_by": access.user_id,
    }


def create(access: Access, body: RateCardCreate) -> RateCardOut:
    scope = RateScope(body.scope)
    if scope is RateScope.PARTNER and not links.is_active(access.tenant, str(body.servicer_id)):
        raise Invalid("servicer_id", "not an actively linked partner instance")
    effective_from = body.effective_from or _today()
    domain.check_version_date(effective_from, _today())
    card = repo.new_rate_card(
        access.tenant,
        scope=scope.value,
        servicer_id=body.servicer_id,
        name=body.name,
        currency=body.currency,
        latest_version=1,
        latest_from=effective_from.isoformat(),
    )
    version = repo.new_rate_version(card, **_version_fields(access, body))
    repo.save_rate_card(card, version, _event(access, card, "RateCardCreated", body), first=True)
    return card_out(card)


def _visible(access: Access, rate_card_id: str) -> repo.RateCardItem:
    card = repo.get_rate_card(access.tenant, rate_card_id)
    if card is None:
        raise NotFound(NOT_FOUND)
    return card


def get(access: Access, rate_card_id: str, on: date | None) -> RateCardOut:
    return card_out(_visible(access, rate_card_id), on)


def list_(access: Access, limit: int, cursor: str | None) -> RateCardPage:
    page = repo.rate_card_list(access.tenant, limit, cursor)
    items = [RateCardSummary.model_validate(c, from_attributes=True) for c in page.items]
    return RateCardPage(items=items, next_cursor=page.next_cursor)


def revise(access: Access, rate_card_id: str, body: RatesIn, expected_version: int | None) -> RateCardOut:
    """A new version, in force from its day (the head moves with it, under its version: two revisions that
    read the same card cannot both commit)."""
    card = _visible(access, rate_card_id)
    check_version(expected_version, card.version)
    effective_from = body.effective_from or _today()
    domain.check_version_date(effective_from, _today())
    card.latest_version, card.latest_from = int(card.latest_version) + 1, effective_from.isoformat()
    version = repo.new_rate_version(card, **_version_fields(access, body))
    repo.save_rate_card(card, version, _event(access, card, "RateCardRevised", body), first=False)
    return card_out(card)
