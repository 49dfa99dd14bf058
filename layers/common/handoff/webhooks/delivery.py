"""Sends one signed webhook over HTTP: no redirects, a hard timeout, and never to a private address."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

from handoff.webhooks.domain import address_allowed


class _NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = build_opener(_NoRedirects)


@dataclass(frozen=True)
class Attempt:
    status_code: int | None
    error: str | None


def _resolves_to_allowed_addresses(url: str, allow_loopback: bool) -> bool:
    parts = urlsplit(url)
    try:
        infos = socket.getaddrinfo(
            parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
        )
    except OSError:
        return False
    return bool(infos) and all(
        address_allowed(str(info[4][0]), allow_loopback=allow_loopback) for info in infos
    )


def post(url: str, body: str, headers: dict[str, str], *, timeout: float, allow_loopback: bool) -> Attempt:
    if not _resolves_to_allowed_addresses(url, allow_loopback):
        return Attempt(None, "the endpoint does not resolve to an allowed public address")
    request = Request(url, data=body.encode(), headers=headers, method="POST")  # noqa: S310 - checked above
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return Attempt(int(response.status), None)
    except HTTPError as error:
        return Attempt(error.code, None)
    except (URLError, TimeoutError, OSError) as error:
        return Attempt(None, str(getattr(error, "reason", error))[:200])
