"""Typed errors raised by the domain and data access; the API maps each to one HTTP status, once."""

from __future__ import annotations

from typing import Any


class HandoffError(Exception):
    """Base of every error the API turns into a response body."""

    status = 500
    code = "internal_error"

    def __init__(self, message: str, *, details: list[dict[str, Any]] | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []
        if code:
            self.code = code


class BadRequest(HandoffError):
    status = 400
    code = "bad_request"


class Unauthorized(HandoffError):
    status = 401
    code = "unauthorized"


class Forbidden(HandoffError):
    status = 403
    code = "forbidden"


class NotFound(HandoffError):
    """Also what a caller sees for another tenant's object: the two must be indistinguishable."""

    status = 404
    code = "not_found"


class Conflict(HandoffError):
    status = 409
    code = "conflict"


class PayloadTooLarge(HandoffError):
    status = 413
    code = "payload_too_large"


class UnsupportedMediaType(HandoffError):
    status = 415
    code = "unsupported_media_type"


class ServiceUnavailable(HandoffError):
    """A dependency (DynamoDB, the key set) did not answer in time: nothing was decided, retry later."""

    status = 503
    code = "service_unavailable"
    retry_after_seconds = 2


class Invalid(HandoffError):
    """A domain rule rejected otherwise well-formed input (422, naming the field)."""

    status = 422
    code = "validation_error"

    def __init__(self, field: str, reason: str, *, location: str = "body"):
        where = f"{location}.{field}"
        super().__init__(f"{where}: {reason}", details=[{"field": where, "reason": reason, "type": "rule"}])


def check_live(field: str, live: bool | None, noun: str, *, hint: str = "") -> None:
    """A reference to a record that must exist (`live` None: it does not) and be in use (False: archived):
    422 naming the field otherwise."""
    if live is None:
        raise Invalid(field, f"no such {noun}")
    if not live:
        raise Invalid(field, f"this {noun} is archived{hint}")


def check_version(expected: int | None, actual: int | None) -> None:
    """An `If-Match` version that is not the stored one: the caller read a state that no longer exists."""
    if expected is not None and expected != actual:
        raise Conflict(
            f"version {expected} is stale; the current version is {actual}", code="version_conflict"
        )
