"""What other contexts may ask of locations (read through the locations repository; no schemas)."""

from __future__ import annotations

from handoff.locations import repository as repo


def exists(tenant_id: str, location_id: str) -> bool:
    return repo.get_location(tenant_id, location_id) is not None


def is_live(tenant_id: str, location_id: str) -> bool | None:
    """Whether the location is in use (None: there is no such location)."""
    item = repo.get_location(tenant_id, location_id)
    return None if item is None else not item.archived
