"""Pure webhook rules: endpoint URL policy, payloads, audiences and retries (signing: handoff.signing)."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Collection
from typing import Any
from urllib.parse import urlsplit

from handoff.errors import Invalid

MAX_PAYLOAD_BYTES = 20_000


# Addresses that embed or translate another address (NAT64, 6to4, Teredo, IPv4-mapped and -compatible) or are
# reserved for protocols and benchmarks: refused even where the library calls them global.
EMBEDDING_OR_RESERVED = tuple(
    ipaddress.ip_network(n)
    for n in (
        "64:ff9b::/96",
        "64:ff9b:1::/48",
        "2002::/16",
        "2001::/32",
        "::ffff:0:0/96",
        "::ffff:0:0:0/96",
        "::/96",
        "5f00::/16",
        "3fff::/20",
        "100.64.0.0/10",
        "192.0.0.0/24",
        "198.18.0.0/15",
    )
)
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")
SECURE_PORTS = (443, 8443)


def effective_port(url: str) -> int:
    parts = urlsplit(url)
    return parts.port or (443 if parts.scheme == "https" else 80)


def check_port(port: int, *, allowed: Collection[int], blocked: Collection[int]) -> None:
    if allowed and port not in allowed:
        raise Invalid("url", "must use port " + " or ".join(str(p) for p in sorted(allowed)))
    if port in blocked:
        raise Invalid("url", "must not point to this stack's own services")


def _numeric_but_not_dotted_ipv4(host: str) -> bool:
    """`127.1`, `2130706433`, `0x7f000001`, `0177.0.0.1`: forms resolvers read as an address, refused;
    only a plain dotted IPv4 address (checked like any address) or a name is taken."""
    labels = host.split(".")
    if not all(_NUMERIC_LABEL.match(label) for label in labels):
        return False
    try:
        return str(ipaddress.IPv4Address(host)) != host
    except ValueError:
        return True


def check_endpoint_url(
    url: str,
    *,
    allow_loopback: bool,
    allowed_ports: Collection[int] = SECURE_PORTS,
    blocked_ports: Collection[int] = (),
) -> str:
    """https only, on an allowed port, and never a private, loopback, link-local or embedding address, a
    numeric host form, or a name ending in a dot (unless a local dev setting allows loopback over http)."""
    if any(ord(char) < 0x21 or ord(char) == 0x7F for char in url):
        raise Invalid("url", "must not contain spaces or control characters (CR, LF, tab)")
    if not url.isascii():
        raise Invalid(
            "url", "must be ASCII: give the host in its IDNA form (xn--…) and percent-encode the path"
        )
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
    check_port(effective_port(url), allowed=allowed_ports, blocked=blocked_ports)
    if loopback_dev:
        return url
    if host.endswith("."):
        raise Invalid("url", "must name its host without a trailing dot")
    if host == "localhost" or host.endswith(".localhost") or host.endswith(".internal"):
        raise Invalid("url", "must not point to a private, loopback or link-local address")
    if _numeric_but_not_dotted_ipv4(host):
        raise Invalid("url", "must name its host, or give a plain dotted IPv4 address")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return url
    if not address_allowed(str(address), allow_loopback=False):
        raise Invalid("url", "must not point to a private, loopback or link-local address")
    return url


def address_allowed(address: str, *, allow_loopback: bool) -> bool:
    """Checked again at delivery time, on the address the name resolves to, which is the address delivery
    then connects to (no second lookup a rebinding DNS could answer differently)."""
    ip = ipaddress.ip_address(address)
    if allow_loopback and ip.is_loopback:
        return True
    if ip.is_multicast or any(ip.version == net.version and ip in net for net in EMBEDDING_OR_RESERVED):
        return False
    return ip.is_global


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
