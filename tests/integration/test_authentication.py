"""Bad, expired, wrong-audience or missing tokens: 401 with a clear body, before any route runs."""

from pathlib import Path

import pytest

from devstack.issuer import DevIssuer


@pytest.fixture
def owner(api):
    user = api.user("owner@acme.example")
    api.tenant(user, "acme")
    return user


def assert_unauthorized(response, code):
    assert response.status_code == 401
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]


def test_a_missing_token_is_401(api, owner):
    assert_unauthorized(api.as_(None).get("/tenants/acme"), "missing_token")


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer not.a.jwt", "token"])
def test_a_malformed_authorization_header_is_401(api, owner, header):
    assert_unauthorized(api.as_(None).get("/me", headers={"Authorization": header}), "invalid_token")


def test_an_expired_token_is_401(api, issuer, owner):
    token = issuer.token(owner.user_id, owner.email, lifetime=-120)

    assert_unauthorized(
        api.as_(None).get("/me", headers={"Authorization": f"Bearer {token}"}), "token_expired"
    )


def test_a_token_for_another_audience_is_401(api, issuer, owner):
    token = issuer.token(owner.user_id, owner.email, audience="someone-else")

    assert_unauthorized(
        api.as_(None).get("/me", headers={"Authorization": f"Bearer {token}"}), "invalid_token"
    )


def test_a_token_from_another_issuer_is_401(api, issuer, owner):
    token = issuer.token(owner.user_id, owner.email, issuer="https://evil.example")

    assert_unauthorized(
        api.as_(None).get("/me", headers={"Authorization": f"Bearer {token}"}), "invalid_token"
    )


def test_an_access_token_is_not_an_id_token(api, issuer, owner):
    token = issuer.token(owner.user_id, owner.email, token_use="access")

    assert_unauthorized(
        api.as_(None).get("/me", headers={"Authorization": f"Bearer {token}"}), "invalid_token"
    )


def test_a_token_signed_by_another_key_is_401(api, owner, tmp_path: Path):
    impostor = DevIssuer.in_directory(tmp_path)  # same kid, different key
    token = impostor.token(owner.user_id, owner.email)

    assert_unauthorized(
        api.as_(None).get("/me", headers={"Authorization": f"Bearer {token}"}), "invalid_token"
    )


def test_authentication_comes_before_validation(api, owner):
    response = api.as_(None).post("/tenants", {"tenant_id": "NOT VALID"})

    assert response.status_code == 401
