"""Standard Webhooks signing, both ways: `whsec_` secrets, the three headers, HMAC-SHA256 signatures, the
freshness window and secret rotation with an overlap. Used by outgoing webhooks (handoff.webhooks), inbound
partner updates (handoff.tickets.inbound) and the API entry that declares signed routes. Pure: no AWS."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets as random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from handoff.errors import Unauthorized

SECRET_PREFIX = "whsec_"
INBOUND_TOLERANCE = timedelta(minutes=5)


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(random.token_bytes(24)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, message_id: str, timestamp: int, body: str) -> str:
    """`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, as the Standard Webhooks spec defines it."""
    digest = hmac.new(_key(secret), f"{message_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")


def signed_headers(secrets: list[str], message_id: str, timestamp: int, body: str) -> dict[str, str]:
    """The three Standard Webhooks headers of a message (what we send, and what a partner system sends us)."""
    values = (message_id, str(timestamp), signature_header(secrets, message_id, timestamp, body))
    return dict(zip(HEADERS, values, strict=True))


def signature_header(secrets: list[str], message_id: str, timestamp: int, body: str) -> str:
    """One signature per live secret (two during a rotation's overlap), space separated."""
    return " ".join(signature(secret, message_id, timestamp, body) for secret in secrets)


def check_fresh(timestamp: str, now: datetime) -> int:
    """The unix seconds a message was signed at, if within 5 minutes of now (checked before any lookup)."""
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        raise Unauthorized("webhook-timestamp is not a unix timestamp", code="invalid_signature")
    sent_at = int(timestamp)
    if abs(now.timestamp() - sent_at) > INBOUND_TOLERANCE.total_seconds():
        raise Unauthorized("webhook-timestamp is outside the allowed 5 minutes", code="stale_timestamp")
    return sent_at


def verify(
    secrets: list[str], message_id: str, timestamp: str, signatures: str, body: str, now: datetime
) -> None:
    """Checks an inbound message the way receivers check ours: a fresh timestamp and a matching signature."""
    sent_at = check_fresh(timestamp, now)
    offered = {part for part in signatures.split(" ") if part.startswith("v1,")}
    expected = {signature(secret, message_id, sent_at, body) for secret in secrets}
    if not any(hmac.compare_digest(a, b) for a in offered for b in expected):
        raise Unauthorized("webhook-signature does not match", code="invalid_signature")


@dataclass(frozen=True)
class SecretSlot:
    secret: str
    expires_at: datetime | None  # None: the current secret


def slots_from_json(stored: list[dict[str, Any]]) -> list[SecretSlot]:
    return [
        SecretSlot(s["secret"], datetime.fromisoformat(s["expires_at"]) if s.get("expires_at") else None)
        for s in stored
    ]


def slots_to_json(slots: list[SecretSlot]) -> list[dict[str, Any]]:
    return [
        {"secret": s.secret, "expires_at": s.expires_at.isoformat() if s.expires_at else None} for s in slots
    ]


def live_secrets(slots: list[SecretSlot], now: datetime) -> list[str]:
    return [s.secret for s in slots if s.expires_at is None or s.expires_at > now]


def previous_expires_at(slots: list[SecretSlot], now: datetime) -> datetime | None:
    """When the last previous secret still verifying stops (None: only the current secret is live)."""
    previous = [s.expires_at for s in slots if s.expires_at is not None and s.expires_at > now]
    return max(previous) if previous else None


def rotate(slots: list[SecretSlot], now: datetime, overlap: timedelta) -> tuple[list[SecretSlot], str]:
    """A new current secret; the old one stays valid for `overlap` so receivers can switch without gaps."""
    fresh = new_secret()
    previous = [SecretSlot(s.secret, now + overlap) for s in slots if s.expires_at is None]
    still_valid = [s for s in slots if s.expires_at is not None and s.expires_at > now]
    return [SecretSlot(fresh, None), *previous, *still_valid], fresh
