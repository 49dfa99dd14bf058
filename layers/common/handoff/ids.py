"""Identifiers: ULIDs for everything the server names, slugs for tenants.

ULIDs are made here rather than by python-ulid: the format is 48 bits of milliseconds and 80 random bits in
Crockford's base32, a few lines, and the library looks its own version up in the installed distributions
when imported, a few milliseconds of every cold start (ADR 0013).
"""

from __future__ import annotations

import os
import re
import threading
import time
from datetime import UTC, datetime

TENANT_ID_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$"
ULID_PATTERN = r"^[0-9A-HJKMNP-TV-Z]{26}$"
_TENANT_ID = re.compile(TENANT_ID_PATTERN)


CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RANDOM_BITS = 80


def _base32(value: int) -> str:
    """26 characters, most significant first, as the ULID spec writes 128 bits."""
    digits = []
    for _ in range(26):
        value, digit = divmod(value, 32)
        digits.append(CROCKFORD[digit])
    return "".join(reversed(digits))


def ulid_at(milliseconds: int, randomness: int) -> str:
    if not 0 <= milliseconds < 1 << 48 or not 0 <= randomness < 1 << _RANDOM_BITS:
        raise ValueError("a ULID holds 48 bits of milliseconds and 80 of randomness")
    return _base32(milliseconds << _RANDOM_BITS | randomness)


_last = [0, 0]  # the milliseconds and randomness of the last id this process made
_lock = threading.Lock()


def new_id() -> str:
    """Monotonic, as the spec's monotonic mode (and python-ulid) make them: an id made in the same
    millisecond as the one before (or with the clock set back) is that one plus one, so ids sort in the
    order they were made and lists that read "oldest first" by id hold it."""
    with _lock:
        milliseconds = time.time_ns() // 1_000_000
        if milliseconds > _last[0]:
            _last[:] = [milliseconds, int.from_bytes(os.urandom(_RANDOM_BITS // 8))]
        elif _last[1] + 1 < 1 << _RANDOM_BITS:
            _last[1] += 1
        else:  # 2**80 ids in one millisecond: borrow the next one
            _last[:] = [_last[0] + 1, 0]
        return ulid_at(_last[0], _last[1])


def is_tenant_id(value: str) -> bool:
    return bool(_TENANT_ID.match(value))


def utc_now() -> datetime:
    return datetime.now(UTC)


def ulid_floor(moment: datetime) -> str:
    """The smallest ULID of that millisecond: ids made at or after it sort at or after it."""
    if moment.timestamp() <= 0:  # before any ULID
        return "0" * 26
    return ulid_at(int(moment.timestamp() * 1000), 0)
