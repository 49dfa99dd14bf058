"""Sends one signed webhook over HTTP: no redirects, a hard timeout, and never to a refused address — the
name is resolved once, every address checked, and the connection made to the checked address (the Host
header and TLS SNI keep the name), so a DNS answer that changes between check and connect reaches nothing."""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urlsplit

from handoff.errors import Invalid
from handoff.webhooks.domain import address_allowed, check_port, effective_port


@dataclass(frozen=True)
class Attempt:
    status_code: int | None
    error: str | None


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to `address`, with certificate and SNI checked against the URL's host name."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Plain HTTP to `address` (local development's loopback receivers only)."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def resolve_checked(host: str, port: int, allow_loopback: bool) -> str | None:
    """The address to connect to: the first the name resolves to, provided every address it resolves to is
    allowed (one refused answer refuses the name)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError):  # unresolvable, or not a name a resolver takes
        return None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses or not all(address_allowed(a, allow_loopback=allow_loopback) for a in addresses):
        return None
    return addresses[0]


def post(
    url: str,
    body: str,
    headers: dict[str, str],
    *,
    timeout: float,
    allow_loopback: bool,
    allowed_ports: Collection[int] = (),
    blocked_ports: Collection[int] = (),
) -> Attempt:
    parts = urlsplit(url)
    port = effective_port(url)
    try:
        check_port(port, allowed=allowed_ports, blocked=blocked_ports)
    except Invalid:
        return Attempt(None, "the endpoint's port is not allowed")
    host = parts.hostname or ""
    address = resolve_checked(host, port, allow_loopback)
    if address is None:
        return Attempt(None, "the endpoint does not resolve to an allowed public address")
    pinned = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = pinned(host, address, port, timeout)
    target = parts.path or "/"
    if parts.query:
        target = f"{target}?{parts.query}"
    try:
        connection.request("POST", target, body=body.encode(), headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)  # drain a little; the answer's body is not kept
        return Attempt(int(response.status), None)  # a redirect is an answer, never followed
    except (OSError, http.client.HTTPException, UnicodeError, ValueError) as error:
        return Attempt(None, str(error)[:200] or type(error).__name__)
    finally:
        connection.close()
