"""Limits, generated from the route table and the OpenAPI document: page sizes are capped, oversized bodies are
413, oversized arrays are 422, and a cursor only resumes the tenant and query that made it."""

import json

from security.harness import is_signed, state
from security.openapi_shapes import input_schema, query_parameters

from devstack import template
from devstack.samples import all_samples, invoke, prepared
from handoff.store.pages import MAX_LIMIT

ROUTES = template.routes()
LIST_ROUTES = [r for r in ROUTES if r.method == "GET" and "limit" in query_parameters(r.method, r.path)]
BODY_ROUTES = [r for r in ROUTES if r.method in ("POST", "PUT", "PATCH")]


def call(route, world, token=None, tenant="acme", query=None, body=None):
    event = prepared(
        all_samples()[(route.method, route.path)],
        token or world.owner.token,
        {"tenant_id": tenant},
        world.ids,
    )
    if query is not None:
        event["queryStringParameters"] = query
        event["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()}
    if body is not None:
        event["body"] = body
        event["headers"]["Content-Type"] = "application/json"
    result = invoke(route, event)
    return result["statusCode"], json.loads(result["body"] or "{}")


def test_list_routes_exist():
    assert len(LIST_ROUTES) >= 5


def test_every_list_caps_its_page_size(api, world):
    for route in LIST_ROUTES:
        too_many, body = call(route, world, query={"limit": str(MAX_LIMIT + 1)})
        most, _ = call(route, world, query={"limit": str(MAX_LIMIT)})
        assert (too_many, most) == (422, 200), route.path
        assert body["error"]["details"][0]["field"] == "query.limit"


def test_every_body_over_the_maximum_is_413_and_stores_nothing(api, aws_env, world):
    oversized = json.dumps({"name": "x" * 70_000})
    for route in BODY_ROUTES:
        before = state(aws_env)
        status, body = call(route, world, body=oversized)
        assert status == 413, route.path
        assert body["error"]["code"] == "payload_too_large"
        assert state(aws_env) == before


def _arrays_with_a_maximum():
    for route in [r for r in BODY_ROUTES if not is_signed(r)]:  # signed ones: test_partner_updates.py
        schema = input_schema(route.method, route.path) or {}
        for name, prop in schema.get("properties", {}).items():
            for option in [prop, *prop.get("anyOf", [])]:
                if option.get("type") == "array" and "maxItems" in option:
                    yield route, name, option["maxItems"]


def test_every_array_over_its_maximum_is_422(api, aws_env, world):
    checked = 0
    for route, name, maximum in _arrays_with_a_maximum():
        body = json.loads(all_samples()[(route.method, route.path)].get("body") or "{}")
        body[name] = [f"item{i}" for i in range(maximum + 1)]
        before = state(aws_env)
        status, answer = call(route, world, body=json.dumps(body))
        assert status == 422, (route.path, name)
        assert any(d["field"].startswith(f"body.{name}") for d in answer["error"]["details"])
        assert state(aws_env) == before
        checked += 1
    assert checked >= 3


def test_a_forged_or_foreign_cursor_is_400_on_every_list(api, world):
    rival = world.rivals[0]
    for route in LIST_ROUTES:
        if "{subscription_id}" in route.path:
            continue  # needs a subscription of its own in each tenant; covered by the deliveries tests
        _, first = call(route, world, token=rival.token, tenant="rival", query={"limit": "1"})
        foreign = first.get("next_cursor")
        forged, body = call(route, world, query={"cursor": "eyJrIjoiZSIsInMiOiJ4In0"})
        assert forged == 400 and body["error"]["code"] == "invalid_cursor", route.path
        if foreign:
            status, _ = call(route, world, query={"cursor": foreign})
            assert status == 400, route.path
