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


def test_a_token_for_a_user_that_does_not_exist_is_401(api, issuer):
    token = issuer.token("01JZZZZZZZZZZZZZZZZZZZZZZZ", "ghost@nowhere.example")
    response = api.as_(None).get("/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401 and response.json["error"]["code"] == "unknown_user"


def test_adding_a_retired_login_does_not_name_the_identity_it_became(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    keep = api.member(owner, "acme", "pat@acme.example", ["technician"])
    old = api.member(owner, "acme", "pat.old@acme.example", ["technician"])
    api.as_(owner).post(f"/tenants/acme/members/{keep.user_id}/merge", {"duplicate_user_ids": [old.user_id]})
    api.tenant(api.user("boss@other.example"), "other")
    again = api.as_(api.user("boss@other.example")).post(
        "/tenants/other/members", {"email": "pat.old@acme.example", "name": "Pat", "roles": ["technician"]}
    )
    assert again.status_code == 409 and keep.user_id not in again.get_data(as_text=True)
