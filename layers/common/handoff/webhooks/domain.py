"""Pure webhook rules: endpoint URL policy, payloads, audiences and retries (signing: handoff.signing)."""

from __future__ import annotations

import ipaddress
import json
from typing import Any
from urllib.parse import urlsplit

from handoff.errors import Invalid

MAX_PAYLOAD_BYTES = 20_000


def check_endpoint_url(url: str, *, allow_loopback: bool) -> str:
    """https only, and never a private, loopback or link-local address (unless a local dev setting allows
    loopback over http)."""
    if any(ord(char) < 0x21 or ord(char) == 0x7F for char in url):
        raise Invalid("url", "must not contain spaces or control characters (CR, LF, tab)")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - a port that is not a number raises here, not at delivery time
    except ValueError as error:
        raise Invalid("url", "is not a valid URL") from error
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
