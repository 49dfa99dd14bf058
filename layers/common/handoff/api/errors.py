"""The one error body every 4xx/5xx carries: {"error": {"code", "message", "details"}}."""

import json
from typing import Any

from aws_lambda_powertools.event_handler import Response, content_types
from pydantic import Field

from handoff.errors import ServiceUnavailable
from handoff.ids import TENANT_ID_PATTERN, ULID_PATTERN
from handoff.schema import EMAIL_PATTERN, ReadModel


class ErrorDetail(ReadModel):
    field: str | None = Field(
        default=None, description="Where the problem is: body.name, query.limit, path.user_id"
    )
    reason: str
    type: str | None = None


class ErrorInfo(ReadModel):
    code: str = Field(description="Stable, machine-readable error code")
    message: str
    details: list[ErrorDetail] = []


class ErrorBody(ReadModel):
    error: ErrorInfo


ERROR_STATUSES: dict[int, str] = {
    400: "Malformed request (bad JSON, bad encoding, bad cursor)",
    401: "Missing, expired or invalid bearer token",
    403: "Authenticated, but not allowed here",
    404: "Not found (also what another tenant's object looks like)",
    409: "Conflict with the object's current state or version",
    413: "Request body too large",
    415: "Unsupported content type (send application/json)",
    422: "Invalid input; details name each field and reason",
    500: "Unexpected server error",
    503: "A dependency did not answer in time; nothing changed, retry after the Retry-After seconds",
}


# What each input pattern means, in words: a client shows the reason, not a regular expression.
PATTERN_WORDS = {
    TENANT_ID_PATTERN: "lowercase letters, digits and hyphens (1 to 40, no hyphen first or last)",
    ULID_PATTERN: "an id of 26 digits and capital letters, as this API hands them out",
    EMAIL_PATTERN: "an e-mail address (name@domain.tld)",
    r"^[A-Z]{3}$": "a currency code of three capital letters (ISO 4217, e.g. EUR)",
    r"^[A-Z]{2}$": "a country code of two capital letters (ISO 3166, e.g. DE)",
    r"^[0-9+() .-]+$": "a phone number: digits, spaces and + ( ) . -",
    r"^(\*|[A-Z][A-Za-z]{2,63})$": "an event type such as MemberAdded, or *",
    f"^(me|{ULID_PATTERN.strip('^$')})$": "me, or a member's id",
}


def reason_of(error: dict[str, Any]) -> str:
    """A validation error's reason, in words where the library would print a regular expression."""
    if error.get("type") == "string_pattern_mismatch":
        pattern = str((error.get("ctx") or {}).get("pattern", ""))
        if pattern in PATTERN_WORDS:
            return f"must be {PATTERN_WORDS[pattern]}"
    return str(error.get("msg", "invalid value"))


def error_responses() -> dict[int, Any]:
    return {
        status: {"description": text, "content": {content_types.APPLICATION_JSON: {"model": ErrorBody}}}
        for status, text in ERROR_STATUSES.items()
    }


def error_payload(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def error_headers(status: int) -> dict[str, str]:
    return {"Retry-After": str(ServiceUnavailable.retry_after_seconds)} if status == 503 else {}


def error_response(
    status: int, code: str, message: str, details: list[dict[str, Any]] | None = None
) -> Response:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps(error_payload(code, message, details)),
        headers=error_headers(status),
    )


def error_proxy_result(
    status: int, code: str, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A raw API Gateway proxy result, for errors found before the resolver runs."""
    return {
        "statusCode": status,
        "headers": {"Content-Type": content_types.APPLICATION_JSON, **error_headers(status)},
        "multiValueHeaders": {},
        "body": json.dumps(error_payload(code, message, details)),
        "isBase64Encoded": False,
    }
