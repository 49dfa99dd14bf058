"""Bad input is never a 500, on every route the template serves (each case from issue #11 kept as a test)."""

from __future__ import annotations

import base64
import json

import pytest
from werkzeug.test import Client

from devstack import template
from handoff import keys
from handoff.store import pages

MUTATING = [r for r in template.routes() if r.method in ("POST", "PUT", "PATCH")]


@pytest.fixture
def owner(api):
    user = api.user("owner@acme.example")
    api.tenant(user, "acme")
    return user


def _concrete(path: str) -> str:
    return (
        path.replace("{tenant_id}", "acme")
        .replace("{action}", "submit")
        .replace("{version}", "1")
        .replace("{servicer_id}", "fixit")
        .replace("{", "")
        .replace("}", "")
    )


@pytest.mark.parametrize("route", MUTATING, ids=lambda r: f"{r.method} {r.path}")
def test_json_nested_a_thousand_deep_is_refused_before_anything_else(api, owner, route):
    deep = b"[" * 1000 + b"]" * 1000
    for caller in (owner, None):  # refused before authentication, the signed route included
        response = api.as_(caller).request(
            route.method, _concrete(route.path), data=deep, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400, (route.path, response.status_code)
        assert response.json["error"]["code"] == "too_deep"


def test_a_json_look_alike_media_type_is_415(api, owner):
    response = api.as_(owner).request(
        "POST", "/tenants/acme/members", data=b"{}", headers={"Content-Type": "application/evil+json"}
    )
    assert response.status_code == 415


def test_an_if_match_of_a_unicode_digit_is_422(api, owner):
    response = api.as_(owner).patch("/tenants/acme", {"name": "X"}, headers={"If-Match": '"\u00b2"'})
    assert response.status_code == 422


def _signed(payload: object, scope: str) -> str:
    """A cursor signed with the stack's own secret, as someone who knows it could make one."""
    raw = json.dumps(payload).encode()
    body = {"k": base64.urlsafe_b64encode(raw).decode(), "s": pages._signature(scope, raw)}
    return base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "payload",
    [
        {"offset": "abc"},
        [1],
        None,
        {"PK": 5},
        {"PK": {"S": "T#rival#MEMBERS"}, "SK": {"S": "MEMBER#x"}, "GSI1PK": {"S": "T#rival#MEMBERS"}},
        {"PK": {"S": "T#acme#MEMBERS"}, "SK": {"N": "1"}},
    ],
)
def test_a_cursor_signed_with_the_known_secret_is_still_checked_like_input(api, owner, payload):
    scope = keys.cursor_scope(keys.CursorQuery.MEMBERS, "acme", None, None, None, None)
    response = api.as_(owner).get("/tenants/acme/members", query_string={"cursor": _signed(payload, scope)})
    assert response.status_code == 400, response.json
    assert response.json["error"]["code"] == "invalid_cursor"


@pytest.mark.parametrize(
    "url", ["https://hooks.example/a\r\nX-Evil: 1", "https://hooks.example/\ta", "https://h:x/"]
)
def test_a_webhook_url_with_control_characters_or_a_bad_port_is_422(api, owner, url):
    response = api.as_(owner).post(
        "/tenants/acme/webhook-subscriptions", {"url": url, "event_types": ["MemberAdded"]}
    )
    assert response.status_code == 422, response.json


def test_the_local_gateway_answers_odd_paths_without_crashing(gateway):
    client = Client(gateway)
    for path in ("//", "//tenants", "/tenants//acme", "/%00"):
        assert client.get(path).status_code < 500, path


def test_a_nul_character_in_any_text_is_422_naming_the_field(api, owner):
    response = api.as_(owner).post(
        "/tenants/acme/members", {"email": "a@b.example", "name": "Nu\u0000l", "roles": ["technician"]}
    )
    assert response.status_code == 422 and response.json["error"]["details"][0]["field"] == "body.name"


def test_an_unserved_verb_names_the_allowed_ones_and_preflight_answers_like_api_gateway(gateway):
    client = Client(gateway)
    refused = client.open("/tenants/acme/members", method="DELETE")
    assert refused.status_code == 405 and refused.headers["Allow"] == "GET, HEAD, POST"
    preflight = client.open("/tenants/acme/members", method="OPTIONS")
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://app.handoff.example"
    assert "If-Match" in preflight.headers["Access-Control-Allow-Headers"]


def test_head_answers_what_get_would_without_the_body(api, owner):
    me = api.as_(owner)
    got, head = me.get("/tenants/acme/members"), me.request("HEAD", "/tenants/acme/members")
    assert head.status_code == got.status_code == 200
    assert head.data == b"" and int(head.headers["Content-Length"]) == len(got.data)
    assert head.headers["Content-Type"] == got.headers["Content-Type"]
    # Refusals too: the same status as the GET, and nothing of the body that says why.
    for path in ("/tenants/rival/members", "/tenants/acme/members/01JZZZZZZZZZZZZZZZZZZZZZZZ"):
        assert me.request("HEAD", path).status_code == me.get(path).status_code == 404
        assert me.request("HEAD", path).data == b""
    assert api.as_(None).request("HEAD", "/tenants/acme/members").status_code == 401
