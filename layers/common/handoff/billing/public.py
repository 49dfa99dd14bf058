"""What other contexts may ask of billing: the terms a partner's rate card gives an offer made without terms
of its own, and the rates it bills a day's work at. Read through the billing repository; no schemas."""

from __future__ import annotations

from dataclasses import replace

from handoff.billing import repository as repo
from handoff.billing.domain import RateScope, scope_key
from handoff.tickets.domain import Terms


def _terms(rate_card_id: str, currency: str, version: repo.RateVersionItem, nte: int | None) -> Terms:
    return Terms(
        hourly_rate_cents=int(version.hourly_rate_cents),
        currency=currency,
        rates=tuple(sorted((str(k), int(v)) for k, v in (version.rates or {}).items())),
        markup_bp=int(version.markup_bp or 0),
        not_to_exceed_cents=nte,
        rate_card_id=rate_card_id,
    )


def partner_terms(owner_id: str, servicer_id: str, day: str) -> Terms | None:
    """The owner's rate card for this partner as an offer's terms on `day` (its version in force, its
    default not-to-exceed amount), naming the card so each entry bills at the version of its own day; None:
    no card, or none in force yet."""
    card_id = repo.rate_card_of(owner_id, scope_key(RateScope.PARTNER, servicer_id))
    card = repo.get_rate_card(owner_id, card_id) if card_id else None
    version = repo.version_in_force(owner_id, card.rate_card_id, day) if card else None
    if card is None or version is None:
        return None
    nte = int(version.default_nte_cents) if version.default_nte_cents is not None else None
    return _terms(card.rate_card_id, card.currency, version, nte)


def terms_on(owner_id: str, accepted: Terms, day: str) -> Terms:
    """What a day's work bills at under terms that follow a rate card: the card's version in force that day,
    under the accepted not-to-exceed amount and conditions (before the card's first version, or without a
    card: the accepted terms). A card keeps its currency, so the accepted one is the card's: one Query."""
    if accepted.rate_card_id is None:
        return accepted
    version = repo.version_in_force(owner_id, accepted.rate_card_id, day)
    if version is None:
        return accepted
    in_force = _terms(accepted.rate_card_id, accepted.currency, version, accepted.not_to_exceed_cents)
    return replace(in_force, conditions=accepted.conditions)
