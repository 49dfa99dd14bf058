"""What other contexts may ask of locations (read through the locations repository; no schemas)."""

from __future__ import annotations

from handoff.locations import repository as repo


def exists(tenant_id: str, location_id: str) -> bool:
    return repo.get_location(tenant_id, location_id) is not None
