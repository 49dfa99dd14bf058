"""What other contexts may ask of partner organizations."""

from __future__ import annotations

from handoff.partners import repository as repo


def org_unit_is_live(tenant_id: str, org_unit_id: str) -> bool | None:
    """True for a live org unit, False for an archived one, None when there is none."""
    item = repo.get_org_unit(tenant_id, org_unit_id)
    return None if item is None else not item.archived


def is_live(tenant_id: str, partner_org_id: str) -> bool | None:
    """True for a live organization, False for an archived one, None when there is none."""
    item = repo.get(tenant_id, partner_org_id)
    return None if item is None else not item.archived
