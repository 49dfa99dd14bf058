"""Pure webhook rules: secrets, Standard Webhooks signatures, endpoint URL policy, payloads and retries."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import secrets as random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from handoff.errors import Invalid, Unauthorized

SECRET_PREFIX = "whsec_"
MAX_PAYLOAD_BYTES = 20_000
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


def check_endpoint_url(url: str, *, allow_loopback: bool) -> str:
    """https only, and never a private, loopback or link-local address (unless a local dev setting allows
    loopback over http)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host:
        raise Invalid("url", "must be an absolute URL")
    loopback_dev = allow_loopback and (host in ("localhost", "127.0.0.1", "::1"))
    if parts.scheme != "https" and not (loopback_dev and parts.scheme == "http"):
        raise Invalid("url", "must use https")
    if parts.username or parts.password:
        raise Invalid("url", "must not carry credentials")
    if loopback_dev:
        return url
    if host == "localhost" or host.endswith(".localhost") or host.endswith(".internal"):
        raise Invalid("url", "must not point to a private, loopback or link-local address")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return url
    if not address.is_global:
        raise Invalid("url", "must not point to a private, loopback or link-local address")
    return url


def address_allowed(address: str, *, allow_loopback: bool) -> bool:
    """Checked again at delivery time, on the address the name resolves to (no DNS tricks)."""
    ip = ipaddress.ip_address(address)
    return ip.is_global or (allow_loopback and ip.is_loopback)


def payload(envelope: dict[str, Any]) -> str:
    """The Standard Webhooks body: type, timestamp, data. Over 20 KB, the data is cut to its identity."""
    body = {"type": envelope["type"], "timestamp": envelope["occurred_at"], "data": envelope}
    text = json.dumps(body, separators=(",", ":"))
    if len(text.encode()) <= MAX_PAYLOAD_BYTES:
        return text
    thin = {k: v for k, v in envelope.items() if k != "data"} | {"data": {}, "truncated": True}
    return json.dumps({**body, "data": thin}, separators=(",", ":"))


def audiences(envelope: dict[str, Any]) -> list[str]:
    """The instances whose subscriptions see this event: its tenant, and those it is shared with."""
    shared = [t for t in envelope.get("shared_with") or [] if isinstance(t, str)]
    return list(dict.fromkeys([envelope["tenant_id"], *shared]))


def subscribed(event_types: list[str], event_type: str) -> bool:
    return "*" in event_types or event_type in event_types


class Outcome:
    SUCCEEDED = "succeeded"
    RETRYING = "retrying"
    FAILED = "failed"
    GONE = "gone"
    SKIPPED = "skipped"


FINAL = frozenset({Outcome.SUCCEEDED, Outcome.FAILED, Outcome.GONE, Outcome.SKIPPED})


def after_attempt(status_code: int | None, attempts: int, schedule: list[int]) -> tuple[str, int | None]:
    """What an attempt's result means: final status, or the seconds to wait before the next attempt."""
    if status_code is not None and 200 <= status_code < 300:
        return Outcome.SUCCEEDED, None
    if status_code == 410:
        return Outcome.GONE, None
    if attempts <= len(schedule):
        return Outcome.RETRYING, schedule[attempts - 1]
    return Outcome.FAILED, None
