"""Route groups (handoff.api.groups): every template route is served by the group its path names and
registered there, and a request reaches the route of its resource, not an earlier pattern of its resolver."""

from __future__ import annotations

import importlib
import json
import re

import pytest
from aws_lambda_powertools.event_handler import APIGatewayRestResolver

from devstack import openapi, template
from handoff.api import groups as route_groups
from handoff.api.app import lambda_entry, template_path
from handoff.api.groups import RouteGroups

SERVED = [route for route in template.routes() if route.method != "HEAD"]  # HEAD runs its GET's route


def _registered(app: APIGatewayRestResolver) -> list[tuple[str, str, re.Pattern[str]]]:
    return [
        (route.method, template_path(route.path), route.rule)
        for route in app._static_routes + app._dynamic_routes  # Powertools keeps no public list
    ]


def _groups(module_name: str) -> RouteGroups | None:
    routes = getattr(importlib.import_module(module_name), "routes", None)
    return routes if isinstance(routes, RouteGroups) else None


@pytest.mark.parametrize("function", sorted({route.function for route in SERVED}))
def test_a_function_registers_exactly_its_template_routes_each_in_the_group_its_path_names(function):
    module_name = next(route.module for route in SERVED if route.function == function)
    expected = {(route.method, route.path) for route in SERVED if route.function == function}
    groups = _groups(module_name)
    registered: dict[tuple[str, str], str] = {}
    if groups is None:
        app = importlib.import_module(module_name).app
        registered = {(method, path): "" for method, path, _ in _registered(app)}
    else:
        for group, app in groups.apps().items():
            for method, path, _ in _registered(app):
                assert (method, path) not in registered, f"{method} {path} is registered twice"
                registered[(method, path)] = group
                assert groups.group_of(path) == group, (
                    f"{method} {path} is in {group}, its path names another"
                )
    assert set(registered) == expected


@pytest.mark.parametrize("route", SERVED, ids=lambda route: f"{route.method} {route.path}")
def test_a_request_reaches_the_route_of_its_resource(route):
    """Powertools tries a resolver's routes in the order they were registered: a literal segment
    (`/tickets/{ticket_id}/notes`) must not be caught by an earlier pattern (`/tickets/{ticket_id}/{action}`)."""
    groups = _groups(route.module)
    app = groups.app_for(route.path) if groups else importlib.import_module(route.module).app
    assert app is not None, f"no group serves {route.path}"
    path = re.sub(r"\{\w+\}", "x1", route.path)
    first = next(
        registered
        for method, registered, rule in _registered(app)
        if method == route.method and rule.match(path)
    )
    assert first == route.path


def test_a_path_no_group_serves_is_answered_as_any_unknown_path():
    routes = RouteGroups("tests.nowhere", {"/tenants/{tenant_id}/things": "things"})
    event = {"resource": "/tenants/{tenant_id}/other", "httpMethod": "GET", "path": "/tenants/acme/other"}
    try:
        assert routes.app_for(event["resource"]) is None
        result = lambda_entry(routes)(event, None)  # type: ignore[arg-type]
    finally:
        route_groups.ALL.remove(routes)
    assert result["statusCode"] == 401  # authentication comes first, as on every path
    assert '"error"' in result["body"]


def test_a_group_that_fails_to_load_answers_in_the_error_shape_and_loads_again_next_time(
    tmp_path, monkeypatch
):
    package = tmp_path / "failing_groups" / "routes"
    package.mkdir(parents=True)
    (package.parent / "__init__.py").write_text("imports = 0\n")
    (package / "__init__.py").write_text("")
    (package / "things.py").write_text(
        "import failing_groups\nfailing_groups.imports += 1\nraise RuntimeError('the disk went away')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    routes = RouteGroups("failing_groups", {"/tenants/{tenant_id}/things": "things"})
    event = {
        "resource": "/tenants/{tenant_id}/things",
        "httpMethod": "GET",
        "path": "/tenants/acme/things",
        "requestContext": {"requestId": "req-1"},
        "headers": {},
    }
    try:
        handler = lambda_entry(routes)
        results = [handler(event, None) for _ in range(2)]  # type: ignore[arg-type]
    finally:
        route_groups.ALL.remove(routes)
    for result in results:
        assert result["statusCode"] == 500
        assert json.loads(result["body"])["error"]["code"] == "internal_error"
        assert "disk" not in result["body"]
        assert result["headers"]["X-Request-Id"] == "req-1"
    assert importlib.import_module("failing_groups").imports == 2  # a failure is not cached


def test_the_document_sees_every_group():
    paths = openapi.document()["paths"]
    assert "/tenants/{tenant_id}/tickets/{ticket_id}/attachments" in paths
    assert "/tenants/{tenant_id}/reports/status" in paths
