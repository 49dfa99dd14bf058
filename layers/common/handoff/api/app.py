"""Builds every function's resolver the same way: validation, declared actions, one error mapping, and a
Lambda entry that refuses malformed input and unauthenticated callers before any route runs."""

from __future__ import annotations

import base64
import binascii
import functools
import inspect
import json
import re
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Annotated, Any, TypeVar

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Header
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import TypeAdapter

from handoff import coldstart, keys
from handoff import signing as webhook_signing
from handoff.api import idempotency
from handoff.api.errors import error_proxy_result, error_response, error_responses, reason_of
from handoff.api.groups import RouteGroups
from handoff.api.params import wants_csv
from handoff.auth import access as access_resolver
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.auth.tokens import bearer_token, verify
from handoff.config import settings
from handoff.errors import (
    BadRequest,
    HandoffError,
    Invalid,
    PayloadTooLarge,
    ServiceUnavailable,
    UnsupportedMediaType,
)
from handoff.store import reads
from handoff.store.table import client, timed_out

logger = Logger()

F = TypeVar("F", bound=Callable[..., Any])

# (METHOD, /template/{style}/path) -> the action the route performs. Filled as function modules import;
# the tests fail for any template route missing here, so no route can skip authorization.
ROUTE_ACTIONS: dict[tuple[str, str], Action] = {}
# (METHOD, /template/{style}/path) -> how a route that takes signed messages instead of bearer tokens
# authenticates its caller: (path parameters, lower-cased headers, raw body) -> the verified signer, or 401.
Authenticator = Callable[[dict[str, str], dict[str, str], str], Any]
SIGNED_ROUTES: dict[tuple[str, str], Authenticator] = {}
# (METHOD, /template/{style}/path) -> the action a request performs, when its path picks it (one route with
# an {action} segment whose steps belong to different parties); ROUTE_ACTIONS then holds the default.
ActionOf = Callable[[dict[str, str]], Action]
ACTIONS_BY_PATH: dict[tuple[str, str], ActionOf] = {}


def route_action(method: str, path: str, path_parameters: dict[str, str]) -> Action:
    """The action a request to this route performs (what the policy is asked about)."""
    action_of = ACTIONS_BY_PATH.get((method.upper(), path))
    return action_of(path_parameters) if action_of else ROUTE_ACTIONS[(method.upper(), path)]


_PATH_PARAM = re.compile(r"<(\w+)>")
REQUEST_ID_HEADER = "X-Request-Id"
MUTATING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
IDEMPOTENCY_PARAMETER = "idempotency_key"
IDEMPOTENCY_HEADER = inspect.Parameter(
    IDEMPOTENCY_PARAMETER,
    inspect.Parameter.POSITIONAL_OR_KEYWORD,
    default=None,
    annotation=Annotated[
        str | None,
        Header(
            alias="idempotency-key",
            min_length=1,
            max_length=255,
            description="Replaying the same request with the same key has one effect and the same response",
        ),
    ],
)


def _header(name: str, description: str) -> inspect.Parameter:
    return inspect.Parameter(
        name.replace("-", "_"),
        inspect.Parameter.KEYWORD_ONLY,
        annotation=Annotated[str, Header(alias=name, min_length=1, description=description)],
    )


# Standard Webhooks headers of a signed request (what `signed_endpoint` routes declare), by parameter name.
SIGNATURE_HEADERS = {
    param.name: param
    for param in map(
        _header,
        webhook_signing.HEADERS,
        (
            "Unique per message; a message id is applied once",
            "Unix seconds; refused when more than 5 minutes off",
            'v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>"> with the inbound secret',
        ),
    )
}


# Response fields that reveal a secret: shown to the first response only, never kept for a replay (the
# idempotency record would otherwise hold it in plain text for 24 h).
SHOWN_ONCE = frozenset({"secret"})
REDACTED = "shown once, to the first response; rotate the secret to get a new one"


def _shown_once(body: Any) -> Any:
    if isinstance(body, dict):
        return {k: (REDACTED if k in SHOWN_ONCE and v else _shown_once(v)) for k, v in body.items()}
    return body


def template_path(rule: str) -> str:
    return _PATH_PARAM.sub(r"{\1}", rule)


def new_app() -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(enable_validation=True)

    @app.exception_handler(HandoffError)
    def _domain_error(error: HandoffError) -> Response:
        return error_response(error.status, error.code, error.message, error.details)

    @app.exception_handler(RequestValidationError)
    def _invalid_request(error: RequestValidationError) -> Response:
        details = [
            {
                "field": ".".join(str(part) for part in e["loc"]),
                "reason": reason_of(e),
                "type": e.get("type"),
            }
            for e in error.errors()
        ]
        fields = ", ".join(d["field"] for d in details)
        return error_response(422, "validation_error", f"invalid input: {fields}", details)

    @app.not_found
    def _no_route(_: Exception) -> Response:
        return error_response(404, "not_found", "no such resource")

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response:
        if timed_out(error):
            logger.warning("a dependency timed out", error=repr(error))
            return error_response(503, ServiceUnavailable.code, "a dependency did not answer in time; retry")
        logger.exception("unhandled error")
        return error_response(500, "internal_error", "an unexpected error occurred; it has been logged")

    return app


def endpoint(
    app: APIGatewayRestResolver,
    method: str,
    rule: str,
    *,
    action: Action,
    status: HTTPStatus = HTTPStatus.OK,
    summary: str,
    prefetch: Callable[[dict[str, str]], list[reads.Key]] | None = None,
    action_of: ActionOf | None = None,
    produces: str | None = None,
) -> Callable[[F], F]:
    """Registers a route that performs `action` (or, with `action_of`, the action its path names). Before the
    handler runs, the caller's access to the tenant in the path is resolved and checked against the policy; a
    handler that takes `access` receives it. `prefetch` (from the aggregate's repository) names the items the
    route reads, loaded with the check. `produces`: a document's media type (a PDF) instead of JSON."""
    # A GET answers HEAD too (the template serves both): the same route, its body dropped at the entry.
    for verb in ("GET", "HEAD") if method.upper() == "GET" else (method.upper(),):
        ROUTE_ACTIONS[(verb, template_path(rule))] = action
        if action_of is not None:
            ACTIONS_BY_PATH[(verb, template_path(rule))] = action_of

    status = HTTPStatus(status)

    def decorator(handler: F) -> F:
        signature = inspect.signature(handler, eval_str=True)
        wants_access = "access" in signature.parameters

        def respond(result: Any) -> Any:
            if status is HTTPStatus.OK:
                return result
            if status is HTTPStatus.NO_CONTENT:
                return Response(status_code=status, body="")
            return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=result)

        def once(granted: Access, key: str, run: Callable[[], Any]) -> Any:
            """The first request with this key runs; its replays get the same response and do nothing."""
            event = app.current_event
            scope = (granted.tenant_id or keys.GLOBAL, granted.user_id, key)
            request = idempotency.fingerprint(method.upper(), event.path, event.body)
            replay = idempotency.begin(*scope, request)
            if replay is not None:
                body = json.loads(replay.body) if replay.body else ""
                return Response(
                    status_code=replay.status, content_type=content_types.APPLICATION_JSON, body=body
                )
            try:
                result = run()
            except Exception:
                idempotency.release(*scope, request)
                raise
            stored = (
                ""
                if result is None
                else json.dumps(_shown_once(TypeAdapter(Any).dump_python(result, mode="json")))
            )
            idempotency.finish(*scope, request, int(status), stored)
            return respond(result)

        def route(**kwargs: Any) -> Any:
            idempotency_key = kwargs.pop(IDEMPOTENCY_PARAMETER, None)
            principal = app.context["principal"]
            path = app.current_event.path_parameters or {}
            chosen = action_of(path) if action_of is not None else action
            granted = access_resolver.resolve(principal, chosen, path, prefetch)
            if wants_access:
                kwargs["access"] = granted
            if idempotency_key is None:
                return respond(handler(**kwargs))
            return once(granted, idempotency_key, lambda: handler(**kwargs))

        extra = [IDEMPOTENCY_HEADER] if method.upper() in MUTATING_METHODS else []
        _register(
            app,
            method,
            rule,
            handler,
            route,
            hidden="access",
            extra=extra,
            status=status,
            summary=summary,
            produces=produces,
        )
        return handler

    return decorator


def _register(
    app: APIGatewayRestResolver,
    method: str,
    rule: str,
    handler: Callable[..., Any],
    route: Callable[..., Any],
    *,
    hidden: str,
    extra: list[inspect.Parameter],
    status: HTTPStatus,
    summary: str,
    produces: str | None = None,
) -> None:
    """Registers `route` in place of `handler`: the handler's parameters minus the one the wrapper injects
    (`hidden`), plus `extra` ones the wrapper reads, so validation and the OpenAPI document see both."""
    signature = inspect.signature(handler, eval_str=True)
    parameters = [p for name, p in signature.parameters.items() if name != hidden]
    # A document (`produces`) is bytes the JSON response validation must not serialize: no return model.
    returned = inspect.Signature.empty if produces is not None else signature.return_annotation
    route.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=parameters + extra, return_annotation=returned
    )
    route.__name__ = handler.__name__
    route.__doc__ = handler.__doc__
    success: dict[str, Any] = {"description": status.phrase}
    if produces is not None:
        success["content"] = {produces: {"schema": {"type": "string", "format": "binary"}}}
    elif status is not HTTPStatus.NO_CONTENT:
        success["content"] = {content_types.APPLICATION_JSON: {"model": signature.return_annotation}}
    responses: dict[int, Any] = {int(status): success, **error_responses()}
    app.route(rule, method.upper(), summary=summary, description=handler.__doc__, responses=responses)(route)


def signed_endpoint(
    app: APIGatewayRestResolver,
    method: str,
    rule: str,
    *,
    action: Action,
    summary: str,
    authenticate: Authenticator,
) -> Callable[[F], F]:
    """Registers a route whose caller is a partner system: `authenticate` checks the message's signature
    before any route or validation runs; a handler that takes `signed` receives the verified signer."""
    ROUTE_ACTIONS[(method.upper(), template_path(rule))] = action
    SIGNED_ROUTES[(method.upper(), template_path(rule))] = authenticate

    def decorator(handler: F) -> F:
        def route(**kwargs: Any) -> Any:
            for name in SIGNATURE_HEADERS:
                kwargs.pop(name, None)  # verified before routing; declared for validation and the document
            return handler(**kwargs, signed=app.context["signed"])

        _register(
            app,
            method,
            rule,
            handler,
            route,
            hidden="signed",
            extra=list(SIGNATURE_HEADERS.values()),
            status=HTTPStatus.OK,
            summary=summary,
        )
        return handler

    return decorator


# No request of ours nests deeper than a few levels; a deep one only costs the parser (and recursion).
MAX_JSON_DEPTH = 32


def _is_json(content_type: str | None) -> bool:
    """application/json only: Powertools parses nothing else (a `+json` type reached it and crashed)."""
    if not content_type:
        return True
    return content_type.split(";")[0].strip().lower() == "application/json"


def _nul_at(value: Any, path: str) -> str | None:
    """The path of the first string (or key) holding a NUL character, or None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        here = f"{path}.{key}" if path else str(key)
        if isinstance(key, str) and "\x00" in key:
            return here
        found = _nul_at(inner, here)
        if found is not None:
            return found
    return None


def _too_deep(text: str) -> bool:
    """Nesting deeper than MAX_JSON_DEPTH, found by counting brackets outside strings (before parsing)."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        elif char in "]}":
            depth -= 1
    return False


def precheck(event: dict[str, Any]) -> HandoffError | None:
    """Malformed input is a 4xx, never a 500: too large, not JSON, not UTF-8, unparseable."""
    body = event.get("body")
    if body is None or body == "":
        return None
    raw: bytes
    if event.get("isBase64Encoded"):
        try:
            raw = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            return BadRequest("the body is not valid base64", code="malformed_body")
    else:
        raw = body.encode("utf-8", "surrogateescape") if isinstance(body, str) else bytes(body)
    if len(raw) > settings().max_body_bytes:
        return PayloadTooLarge(f"the body exceeds {settings().max_body_bytes} bytes")
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    if not _is_json(headers.get("content-type")):
        return UnsupportedMediaType("send the body as application/json")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return BadRequest("the body is not valid UTF-8", code="invalid_encoding")
    if _too_deep(text):
        return BadRequest(f"the body nests deeper than {MAX_JSON_DEPTH} levels", code="too_deep")
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        return BadRequest("the body is not valid JSON", code="malformed_json")
    where = _nul_at(parsed, "")
    if where is not None:  # no text of ours may hold NUL: stores, logs and partner systems choke on it
        return Invalid(where or "body", "must not contain NUL characters")
    if event.get("isBase64Encoded"):
        event["body"], event["isBase64Encoded"] = text, False
    return None


def lambda_entry(
    served: APIGatewayRestResolver | RouteGroups,
) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
    """The function's handler: refuse malformed input, authenticate, route, and log one line per request.
    `served`: the function's resolver, or its route groups (the group of the request's path is loaded).

    In a sandbox the table's client is built here, in the init (every request reads the table): while the
    collector is paused (handoff.coldstart), not in the first request."""
    if coldstart.IN_LAMBDA:
        client()

    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        started = time.perf_counter()
        request_id = (event.get("requestContext") or {}).get("requestId")
        # Per thread: the local stack serves requests concurrently in one process (Lambda never does), and
        # each log line must carry its own request's id.
        logger.thread_safe_append_keys(correlation_id=request_id)
        try:
            return _handle(event, context, request_id, started)
        finally:
            logger.thread_safe_remove_keys(["correlation_id"])

    def _handle(
        event: dict[str, Any], context: LambdaContext, request_id: str | None, started: float
    ) -> dict[str, Any]:
        user_id: str | None = None
        with reads.request_scope():
            app, problem = _app_of(served, event)
            problem = problem or precheck(event)
            if problem is None:
                try:
                    user_id = _authenticate(app, event)
                except HandoffError as error:
                    problem = error
                except Exception as error:  # a bug, or the store failing: JSON, never a crashed invocation
                    if timed_out(error):
                        problem = ServiceUnavailable("a dependency did not answer in time; retry")
                    else:
                        logger.exception("authentication failed unexpectedly")
                        problem = HandoffError("an unexpected error occurred; it has been logged")
            if problem is not None:
                result = error_proxy_result(problem.status, problem.code, problem.message, problem.details)
            elif event.get("httpMethod") == "HEAD":
                result = _head(app, event, context)
            else:
                result = app.resolve(event, context)
        # The request id (API Gateway's, also the log's correlation id) goes back to the client, so a
        # support request can name the one log line of its call.
        if request_id:
            result.setdefault("headers", {})[REQUEST_ID_HEADER] = request_id
            if result.get("multiValueHeaders"):
                result["multiValueHeaders"][REQUEST_ID_HEADER] = [request_id]
        logger.info(
            "request",
            route=f"{event.get('httpMethod')} {event.get('resource')}",
            tenant=(event.get("pathParameters") or {}).get("tenant_id"),
            user=user_id,
            status=result["statusCode"],
            latency_ms=round((time.perf_counter() - started) * 1000, 1),
        )
        return result

    return handler


def _app_of(
    served: APIGatewayRestResolver | RouteGroups, event: dict[str, Any]
) -> tuple[APIGatewayRestResolver, HandoffError | None]:
    """The resolver for the request, and the error to answer with if its group did not load.

    A path no group serves (API Gateway sends none) gets a resolver with no routes, which answers it as any
    resolver answers a path it does not know. A group that fails to import answers in the error shape with
    the request id, like any other failure, and is imported again on the next request."""
    if not isinstance(served, RouteGroups):
        return served, None
    try:
        return served.app_for(str(event.get("resource"))) or _no_routes(), None
    except Exception:
        logger.exception("a route group failed to load", resource=event.get("resource"))
        return _no_routes(), HandoffError("an unexpected error occurred; it has been logged")


@functools.cache
def _no_routes() -> APIGatewayRestResolver:
    return new_app()


def _head(app: APIGatewayRestResolver, event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """HEAD is the GET of the same path without its body: the same authorization, status and headers
    (RFC 9110 9.3.2), and Content-Length the length of the body a GET would send."""
    result = app.resolve({**event, "httpMethod": "GET"}, context)
    body = result.get("body") or ""
    length = len(base64.b64decode(body)) if result.get("isBase64Encoded") else len(body.encode())
    result.setdefault("headers", {})["Content-Length"] = str(length)
    result["body"], result["isBase64Encoded"] = "", False
    return result


def _authenticate(app: APIGatewayRestResolver, event: dict[str, Any]) -> str:
    """A bearer token, or on a signed route the message's signature; the caller goes into the app context."""
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    authenticate = SIGNED_ROUTES.get((str(event.get("httpMethod")).upper(), str(event.get("resource"))))
    if authenticate is not None:
        signed = authenticate(event.get("pathParameters") or {}, headers, event.get("body") or "")
        app.append_context(signed=signed, principal=None)
        return str(signed)  # the signer's identity for the request log (its __str__ names ids only)
    principal = verify(bearer_token(headers.get("authorization")))
    app.append_context(principal=principal)
    return principal.user_id


def parse_if_match(value: str | None) -> int | None:
    """`If-Match: "3"` (or W/"3", or 3) names the version the client last saw; absent means no check."""
    if value is None:
        return None
    cleaned = value.strip().removeprefix("W/").strip('"')
    if not re.fullmatch(r"[0-9]{1,12}", cleaned):  # str.isdigit() also admits "²", which int() refuses
        raise Invalid("if-match", 'must be the object\'s version, e.g. "3"', location="header")
    return int(cleaned)


def negotiated(report: Any, as_csv: str, accept: str | None) -> Any:
    """The JSON model, or the same as CSV when the client asks for it (`Accept: text/csv`)."""
    if wants_csv(accept):
        return Response(status_code=HTTPStatus.OK, content_type="text/csv; charset=utf-8", body=as_csv)
    return report
