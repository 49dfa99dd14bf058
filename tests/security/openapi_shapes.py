"""What the OpenAPI document says about each operation's input and output, for generated security tests."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from devstack.openapi import document

# Fields no client may ever set, whatever the model: identity, ownership, state and bookkeeping.
ALWAYS_SERVER_OWNED = {
    "tenant_id",
    "version",
    "status",
    "created_at",
    "updated_at",
    "created_by",
    "id",
    "PK",
    "SK",
    "entity",
    "total",
    "totals",
}


@lru_cache(maxsize=1)
def _doc() -> dict[str, Any]:
    return document()


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref:
        return resolve(_doc()["components"]["schemas"][ref.split("/")[-1]])
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            found = resolve(option)
            if found.get("properties") or found.get("type") == "array":
                return found
    return schema


def operation(method: str, path: str) -> dict[str, Any]:
    result: dict[str, Any] = _doc()["paths"][path][method.lower()]
    return result


def input_schema(method: str, path: str) -> dict[str, Any] | None:
    body = operation(method, path).get("requestBody")
    if not body:
        return None
    return resolve(body["content"]["application/json"]["schema"])


def output_properties(method: str, path: str) -> set[str]:
    for status, response in operation(method, path)["responses"].items():
        if status.startswith("2") and "content" in response:
            return set(resolve(response["content"]["application/json"]["schema"]).get("properties", {}))
    return set()


def server_owned_fields(method: str, path: str) -> list[str]:
    schema = input_schema(method, path) or {}
    accepted = set(schema.get("properties", {}))
    return sorted((output_properties(method, path) | ALWAYS_SERVER_OWNED) - accepted)


def query_parameters(method: str, path: str) -> set[str]:
    return {p["name"] for p in operation(method, path).get("parameters", []) if p["in"] == "query"}
