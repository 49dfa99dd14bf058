"""One OpenAPI document for the whole API, assembled from every function's resolver."""

from __future__ import annotations

import copy
import importlib
import json
from pathlib import Path
from types import ModuleType
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

from devstack import template
from handoff.api.groups import RouteGroups

COMMITTED = template.ROOT / "docs" / "openapi.json"
TITLE = "Handoff API"
VERSION = "0.1.0"
DESCRIPTION = (
    "Multi-tenant backend for handing service work to contractors, partners and shops. "
    'Every request carries a bearer ID token; every error body is {"error": {code, message, details}}.'
)


def document() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for module_name in sorted({route.module for route in template.routes()}):
        for app in resolvers(importlib.import_module(module_name)):
            _merge(merged, app)
    merged["paths"] = dict(sorted(merged.get("paths", {}).items()))
    # By name: the order resolvers (or route groups) are read in must not reorder the document.
    schemas = merged.get("components", {}).get("schemas", {})
    merged.setdefault("components", {})["schemas"] = dict(sorted(schemas.items()))
    _document_signed_routes(merged)
    _document_head(merged)
    return merged


def resolvers(module: ModuleType) -> list[APIGatewayRestResolver]:
    """A function's resolver, or each of its route groups' (handoff.api.groups)."""
    routes = getattr(module, "routes", None)
    return list(routes.apps().values()) if isinstance(routes, RouteGroups) else [module.app]


def _merge(merged: dict[str, Any], app: APIGatewayRestResolver) -> None:
    part = json.loads(
        app.get_openapi_json_schema(
            title=TITLE,
            version=VERSION,
            description=DESCRIPTION,
            security_schemes={"bearerAuth": HTTPBearer(bearerFormat="JWT")},
            security=[{"bearerAuth": []}],
        )
    )
    if not merged:
        merged.update(part)
        return
    merged["paths"].update(part.get("paths", {}))
    schemas = merged.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in part.get("components", {}).get("schemas", {}).items():
        if schemas.setdefault(name, schema) != schema:
            raise ValueError(f"two different schemas are both named {name}: rename one of the classes")


def _document_head(merged: dict[str, Any]) -> None:
    """Every GET answers HEAD (handoff.api.app): the same parameters, statuses and headers, no body."""
    for operations in merged["paths"].values():
        if "get" not in operations or "head" in operations:
            continue
        head = copy.deepcopy(operations["get"])
        head["operationId"] = f"{head['operationId']}_head"
        head["summary"] = f"{head.get('summary', '')} (HEAD: the status and headers only)".strip()
        for response in head.get("responses", {}).values():
            response.pop("content", None)
        operations["head"] = head


def _document_signed_routes(merged: dict[str, Any]) -> None:
    """Routes a partner system calls take a Standard Webhooks signature (their headers come from the route),
    not the bearer token. Powertools drops an empty per-route `security`, so the override is set here."""
    from handoff.api.app import SIGNED_ROUTES

    for method, path in SIGNED_ROUTES:
        merged["paths"][path][method.lower()]["security"] = []


def rendered() -> str:
    return json.dumps(document(), indent=2, sort_keys=False) + "\n"


def write(path: Path = COMMITTED) -> None:
    path.write_text(rendered())
