"""Malformed input is the caller's error: a clear 4xx in the one error shape, never a 500, nothing written."""

import pytest


@pytest.fixture
def owner(api):
    user = api.user("owner@acme.example")
    api.tenant(user, "acme")
    return user


def send(api, owner, data, content_type="application/json"):
    return api.as_(owner).request(
        "POST", "/tenants/acme/members", data=data, headers={"Content-Type": content_type}
    )


def assert_error(response, status, code):
    assert response.status_code == status, response.json
    assert set(response.json) == {"error"}
    assert set(response.json["error"]) == {"code", "message", "details"}
    assert response.json["error"]["code"] == code


def test_bad_json_is_400(api, owner):
    assert_error(send(api, owner, b'{"email": '), 400, "malformed_json")


def test_a_body_that_is_not_utf8_is_400(api, owner):
    assert_error(send(api, owner, b'{"name": "\xff\xfe"}'), 400, "invalid_encoding")


def test_multipart_without_a_boundary_is_415(api, owner):
    assert_error(send(api, owner, b"--x\r\n", "multipart/form-data"), 415, "unsupported_media_type")


def test_an_oversized_body_is_413(api, owner):
    big = b'{"name": "' + b"x" * 70_000 + b'"}'
    assert_error(send(api, owner, big), 413, "payload_too_large")


def test_a_json_array_where_an_object_belongs_is_422(api, owner):
    assert_error(send(api, owner, b"[1, 2]"), 422, "validation_error")


def test_a_missing_body_is_422(api, owner):
    assert_error(api.as_(owner).request("POST", "/tenants/acme/members"), 422, "validation_error")


def test_an_unknown_route_is_404_in_the_same_shape(api, owner):
    assert_error(api.as_(owner).get("/nowhere"), 404, "not_found")


def test_a_wrong_method_is_405_in_the_same_shape(api, owner):
    assert_error(api.as_(owner).request("DELETE", "/tenants/acme"), 405, "method_not_allowed")


def test_nothing_is_written_by_a_rejected_request(api, owner):
    send(api, owner, b'{"email": "x@acme.example", "name": "X", "roles": ["boss"]}')

    listing = api.as_(owner).get("/tenants/acme/members").json["items"]
    assert [m["email"] for m in listing] == ["owner@acme.example"]


def test_pattern_errors_read_as_words(api):
    owner = api.user("owner@words.example")
    response = api.as_(owner).post("/tenants", {"tenant_id": "Bad_Id", "name": "Bad"})
    assert response.status_code == 422
    [detail] = response.json["error"]["details"]
    assert detail["field"] == "body.tenant_id"
    assert detail["reason"].startswith("must be lowercase letters, digits and hyphens")
    assert "^" not in response.json["error"]["message"] + detail["reason"]
