"""The one error body every 4xx/5xx carries: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import Response, content_types
from pydantic import BaseModel, Field

from handoff.errors import ServiceUnavailable


class ErrorDetail(BaseModel):
    field: str | None = Field(
        default=None, description="Where the problem is: body.name, query.limit, path.user_id"
    )
    reason: str
    type: str | None = None


class ErrorInfo(BaseModel):
    code: str = Field(description="Stable, machine-readable error code")
    message: str
    details: list[ErrorDetail] = []


class ErrorBody(BaseModel):
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
