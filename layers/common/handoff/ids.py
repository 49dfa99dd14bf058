"""Identifiers: ULIDs for everything the server names, slugs for tenants."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from ulid import ULID

TENANT_ID_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$"
ULID_PATTERN = r"^[0-9A-HJKMNP-TV-Z]{26}$"
_TENANT_ID = re.compile(TENANT_ID_PATTERN)


def new_id() -> str:
    return str(ULID())


def is_tenant_id(value: str) -> bool:
    return bool(_TENANT_ID.match(value))


def utc_now() -> datetime:
    return datetime.now(UTC)


def ulid_floor(moment: datetime) -> str:
    """The smallest ULID of that millisecond: ids made at or after it sort at or after it."""
    if moment.timestamp() <= 0:  # before any ULID
        return "0" * 26
    return str(ULID.from_timestamp(moment.timestamp()))[:10] + "0" * 16
