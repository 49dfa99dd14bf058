"""What other contexts may ask of partner organizations."""

from __future__ import annotations

from handoff.partners import repository as repo


def is_live(tenant_id: str, partner_org_id: str) -> bool | None:
    """True for a live organization, False for an archived one, None when there is none."""
    item = repo.get(tenant_id, partner_org_id)
    return None if item is None else not item.archived
