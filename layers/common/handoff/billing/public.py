"""What other contexts may ask of billing: the terms a partner's rate card gives an offer made without terms
of its own, the rate the shop's card gives an estimate's line, and whether a work order's invoice is
finalized. Read through the billing repository; no
schemas."""

from __future__ import annotations

import functools
from collections.abc import Callable

from pynamodb.transactions import TransactWrite

from handoff.billing import repository as repo
from handoff.billing.domain import RateScope, ShopStatus, scope_key
from handoff.errors import Conflict
from handoff.tickets.domain import RateStep, Terms, rates_of


def partner_terms(owner_id: str, servicer_id: str, day: str) -> Terms | None:
    """The owner's rate card for this partner as an offer's terms on `day`: its version in force, its default
    not-to-exceed amount, and the changes already scheduled (each from its day), so the partner sees all it
    accepts and a version made later never reprices the job. None: no card, or none in force yet."""
    card_id = repo.rate_card_of(owner_id, scope_key(RateScope.PARTNER, servicer_id))
    card = repo.get_rate_card(owner_id, card_id) if card_id else None
    if card is None:
        return None
    versions, in_force = repo.latest_versions(owner_id, card.rate_card_id, day)
    if in_force is None:
        return None
    scheduled: dict[str, repo.RateVersionItem] = {}
    for version in versions:  # per day, the latest version of it
        if version.effective_from > day:
            scheduled.setdefault(version.effective_from, version)
    schedule = tuple(
        RateStep(v.effective_from, int(v.hourly_rate_cents), rates_of(v.rates), int(v.markup_bp or 0))
        for v in sorted(scheduled.values(), key=lambda v: v.effective_from)
    )
    nte = int(in_force.default_nte_cents) if in_force.default_nte_cents is not None else None
    return Terms(
        hourly_rate_cents=int(in_force.hourly_rate_cents),
        currency=card.currency,
        rates=rates_of(in_force.rates),
        markup_bp=int(in_force.markup_bp or 0),
        not_to_exceed_cents=nte,
        rate_card_id=card.rate_card_id,
        schedule=schedule,
    )


def stage_not_invoiced(tenant_id: str, work_order_id: str) -> Callable[[TransactWrite], None]:
    """For a change that needs the work order's invoice not finalized (reopening it): 409 once it is; while
    it is not, the condition for the change's transaction (a finalization racing with it wins)."""
    invoice = repo.invoice_of_work_order(tenant_id, work_order_id)
    if invoice is not None and invoice.status == ShopStatus.FINALIZED.value:
        raise Conflict("its invoice is finalized; a credit note corrects it", code="invoiced")
    return functools.partial(repo.stage_not_finalized, invoice=invoice, work_order=(tenant_id, work_order_id))


def shop_rate(tenant_id: str, currency: str, work_type: str | None, day: str) -> int | None:
    """The shop's card's hourly rate for a work type (none: its standard rate) in force on `day`; None
    without a card in that currency, a version in force, or a rate for the type."""
    card_id = repo.rate_card_of(tenant_id, scope_key(RateScope.SHOP, None))
    card = repo.get_rate_card(tenant_id, card_id) if card_id else None
    if card is None or card.currency != currency:
        return None
    version = repo.version_in_force(tenant_id, card.rate_card_id, day)
    if version is None:
        return None
    if work_type is None:
        return int(version.hourly_rate_cents)
    rate = (version.rates or {}).get(work_type)
    return int(rate) if rate is not None else None
