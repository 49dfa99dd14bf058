"""A small API Gateway for the local stack: HTTP requests become REST proxy events for the function that owns
the route in template.yaml, and proxy results become HTTP responses. Also serves the OpenAPI document."""

from __future__ import annotations

import base64
import importlib
import json
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import NotFound
from werkzeug.routing import Map, RequestRedirect, Rule
from werkzeug.wrappers import Request, Response

from devstack import template
from handoff.api import groups

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
STAGE = "local"

# Swagger UI from its Python package, served by the stack itself: no CDN, so /docs works offline.
SWAGGER_PAGE = """<!doctype html><html><head><title>Handoff API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({url: "/openapi.json", dom_id: "#ui"});</script></body></html>"""
SWAGGER_ASSETS = {"/docs/swagger-ui.css": "text/css", "/docs/swagger-ui-bundle.js": "text/javascript"}


class LambdaContext:
    """Just enough of the Lambda context for Powertools."""

    function_name = "handoff-local"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:handoff-local"

    def __init__(self) -> None:
        self.aws_request_id = str(uuid.uuid4())

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def load_handlers(routes: Iterable[template.Route]) -> dict[tuple[str, str], Handler]:
    handlers: dict[tuple[str, str], Handler] = {}
    for route in routes:
        module = importlib.import_module(route.module)
        handlers[(route.method, route.path)] = getattr(module, route.handler)
    # A long-lived process serves every route: its route groups load now, not on a first request.
    groups.load_everything()
    return handlers


def proxy_event(request: Request, route: template.Route, path_parameters: dict[str, str]) -> dict[str, Any]:
    raw = request.get_data()
    body: str | None
    try:
        body, encoded = (raw.decode("utf-8"), False) if raw else (None, False)
    except UnicodeDecodeError:
        body, encoded = base64.b64encode(raw).decode(), True
    headers = {key: value for key, value in request.headers.items()}
    multi_headers: dict[str, list[str]] = {}
    for key, value in request.headers.items():
        multi_headers.setdefault(key, []).append(value)
    query = {key: values[-1] for key, values in request.args.lists()}
    multi_query = {key: values for key, values in request.args.lists()}
    return {
        "resource": route.path,
        "path": request.path,
        "httpMethod": request.method,
        "headers": headers or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": query or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "body": body,
        "isBase64Encoded": encoded,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "stage": STAGE,
            "resourcePath": route.path,
            "httpMethod": request.method,
            "path": f"/{STAGE}{request.path}",
            "protocol": "HTTP/1.1",
            "requestId": str(uuid.uuid4()),
            "requestTimeEpoch": int(time.time() * 1000),
            "identity": {
                "sourceIp": request.remote_addr or "127.0.0.1",
                "userAgent": request.user_agent.string,
            },
            "authorizer": None,
        },
    }


def proxy_response(result: dict[str, Any]) -> Response:
    body = result.get("body") or ""
    data = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
    response = Response(data, status=result["statusCode"])
    response.headers.clear()
    for key, value in (result.get("headers") or {}).items():
        response.headers[key] = value
    for key, values in (result.get("multiValueHeaders") or {}).items():
        for value in values:
            if response.headers.get(key) != value:
                response.headers.add(key, value)
    return response


def _error(status: int, code: str, message: str) -> Response:
    body = json.dumps({"error": {"code": code, "message": message, "details": []}})
    return Response(body, status=status, content_type="application/json")


class Gateway:
    """WSGI app: the template's routes, each to its function's handler, in this process."""

    def __init__(self, openapi: Callable[[], dict[str, Any]], jwks_path: str | None = None):
        self.routes = template.routes()
        self.handlers = load_handlers(self.routes)
        self.openapi = openapi
        self.jwks_path = jwks_path
        # Like API Gateway: the path picks one resource (a literal segment beats a parameter), then the
        # method must be one that resource serves; a sibling parameter never catches an unserved verb.
        self.resources: dict[str, dict[str, template.Route]] = {}
        for route in self.routes:
            self.resources.setdefault(route.path, {})[route.method] = route
        self.url_map = Map(
            [Rule(path.replace("{", "<").replace("}", ">"), endpoint=path) for path in self.resources],
            strict_slashes=False,
            merge_slashes=False,  # API Gateway does not merge "//" into "/": such a path matches nothing
        )

    def dispatch(self, request: Request) -> Response:
        if request.method == "GET" and request.path == "/openapi.json":
            return Response(json.dumps(self.openapi()), content_type="application/json")
        if request.method == "GET" and request.path in ("/", "/docs"):
            return Response(SWAGGER_PAGE, content_type="text/html")
        if request.method == "GET" and request.path in SWAGGER_ASSETS:
            from swagger_ui_bundle import swagger_ui_path

            asset = (swagger_ui_path / request.path.rsplit("/", 1)[1]).read_bytes()
            return Response(asset, content_type=SWAGGER_ASSETS[request.path])
        if request.method == "GET" and request.path == "/.well-known/jwks.json" and self.jwks_path:
            with open(self.jwks_path) as handle:
                return Response(handle.read(), content_type="application/json")
        try:
            path, params = self.url_map.bind_to_environ(request.environ).match(request.path)
        except (
            NotFound,
            RequestRedirect,
        ):  # API Gateway's MISSING_AUTHENTICATION_TOKEN, as the template has it
            status, body = template.gateway_response("MISSING_AUTHENTICATION_TOKEN")
            return Response(body, status=status, content_type="application/json")
        served = self.resources[path]
        if request.method == "OPTIONS":
            return self._preflight(served)
        route = served.get(request.method)
        if route is None:
            refused = _error(405, "method_not_allowed", f"{request.method} is not allowed on {request.path}")
            refused.headers["Allow"] = ", ".join(sorted(served))
            return refused
        handler = self.handlers[(route.method, route.path)]
        return proxy_response(handler(proxy_event(request, route, dict(params)), LambdaContext()))

    def _preflight(self, served: dict[str, template.Route]) -> Response:
        """CORS preflight as API Gateway answers it from the template's Cors settings (a mock integration)."""
        cors = template.cors()
        response = Response(status=200)
        response.headers["Access-Control-Allow-Origin"] = cors.get("AllowOrigin", "*")
        response.headers["Access-Control-Allow-Headers"] = cors.get("AllowHeaders", "")
        response.headers["Access-Control-Allow-Methods"] = cors.get("AllowMethods", ", ".join(sorted(served)))
        return response

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return self.dispatch(Request(environ))(environ, start_response)
