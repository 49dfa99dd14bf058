"""Identity in AWS: inviting someone provisions their Cognito login (with custom:user_id), its ID token works
on the API, and taking away their last live membership disables it. Runs on moto's Cognito in-process."""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3
import moto
import pytest

from handoff import config

PASSWORD = "Correct-Horse-Battery-42"


@pytest.fixture
def cognito(aws_env):
    return boto3.client("cognito-idp")


@pytest.fixture
def moto_issuer(aws_env, tmp_path: Path):
    """What the functions need to verify moto's Cognito tokens: its issuer, the app client, its keys."""
    keys = Path(moto.__file__).parent / "cognitoidp" / "resources" / "jwks-public.json.gz"
    jwks = tmp_path / "cognito-jwks.json"
    jwks.write_bytes(gzip.decompress(keys.read_bytes()))
    pool = aws_env.refs["UserPool"]
    return {
        "JWKS_URL": jwks.as_uri(),
        "TOKEN_ISSUER": f"https://cognito-idp.us-east-1.amazonaws.com/{pool}",
        "TOKEN_AUDIENCE": aws_env.refs["UserPoolClient"],
    }


@contextmanager
def verified_by(environment: dict[str, str]) -> Iterator[None]:
    """The API verifies tokens of this issuer for the duration (the dev issuer's before and after)."""
    before = {key: os.environ[key] for key in environment}
    os.environ.update(environment)
    config.clear()
    try:
        yield
    finally:
        os.environ.update(before)
        config.clear()


def _attributes(cognito, pool: str, email: str) -> dict[str, str]:
    user = cognito.admin_get_user(UserPoolId=pool, Username=email)
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]} | {"Enabled": str(user["Enabled"])}


def _sign_in(cognito, aws_env, email: str) -> str:
    pool, client = aws_env.refs["UserPool"], aws_env.refs["UserPoolClient"]
    cognito.admin_set_user_password(UserPoolId=pool, Username=email, Password=PASSWORD, Permanent=True)
    result = cognito.admin_initiate_auth(
        UserPoolId=pool,
        ClientId=client,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
    )
    return str(result["AuthenticationResult"]["IdToken"])


def test_an_invited_member_works_with_a_cognito_token_until_deactivated(
    api, runtime, aws_env, cognito, moto_issuer
):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    tess = api.member(owner, "acme", "tess@acme.example", ["technician"])
    runtime.pump()  # MemberAdded -> bus -> identity worker

    pool = aws_env.refs["UserPool"]
    attributes = _attributes(cognito, pool, "tess@acme.example")
    assert attributes["custom:user_id"] == tess.user_id
    assert attributes["email_verified"] == "true" and attributes["Enabled"] == "True"

    token = _sign_in(cognito, aws_env, "tess@acme.example")
    bearer = {"Authorization": f"Bearer {token}"}
    with verified_by(moto_issuer):
        me = api.as_(None).get("/me", headers=bearer)
        assert me.status_code == 200, me.json
        assert me.json["user_id"] == tess.user_id
        assert api.as_(None).get("/tenants/acme", headers=bearer).status_code == 200

    assert api.as_(owner).patch(f"/tenants/acme/members/{tess.user_id}", {"active": False}).status_code == 200
    with verified_by(moto_issuer):  # refused at once, by the API's own check of the membership
        refused = api.as_(None).get("/tenants/acme", headers=bearer)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "membership_inactive"

    runtime.pump()  # MemberChanged -> her last live membership is gone: the login is disabled
    assert _attributes(cognito, pool, "tess@acme.example")["Enabled"] == "False"
    with pytest.raises(cognito.exceptions.NotAuthorizedException):
        _sign_in(cognito, aws_env, "tess@acme.example")

    assert api.as_(owner).patch(f"/tenants/acme/members/{tess.user_id}", {"active": True}).status_code == 200
    runtime.pump()
    assert _attributes(cognito, pool, "tess@acme.example")["Enabled"] == "True"


def test_deactivating_one_membership_keeps_a_login_that_works_elsewhere(api, runtime, aws_env, cognito):
    owner, other = api.user("owner@acme.example"), api.user("boss@fixit.example")
    api.tenant(owner, "acme")
    api.tenant(other, "fixit")
    sam = api.member(owner, "acme", "sam@both.example", ["dispatcher"])
    api.member(other, "fixit", "sam@both.example", ["technician"])
    runtime.pump()
    api.as_(owner).patch(f"/tenants/acme/members/{sam.user_id}", {"active": False})
    runtime.pump()
    assert _attributes(cognito, aws_env.refs["UserPool"], "sam@both.example")["Enabled"] == "True"


def test_portal_accounts_get_a_login_and_an_admin_can_reset_one(api, runtime, aws_env, cognito):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    customer = api.as_(owner).post("/tenants/acme/customers", {"name": "Northwind"}).json["customer_id"]
    created = api.as_(owner).post(
        "/tenants/acme/portal-accounts",
        {"email": "nora@northwind.example", "name": "Nora", "role": "customer", "customer_ids": [customer]},
    )
    assert created.status_code == 201, created.json
    runtime.pump()
    pool = aws_env.refs["UserPool"]
    assert _attributes(cognito, pool, "nora@northwind.example")["custom:user_id"] == created.json["user_id"]
    _sign_in(cognito, aws_env, "nora@northwind.example")

    reset = api.as_(owner).post(f"/tenants/acme/portal-accounts/{created.json['user_id']}/reset-access")
    assert reset.status_code == 404  # the contract path is the member's; portal accounts are members too
    reset = api.as_(owner).post(f"/tenants/acme/members/{created.json['user_id']}/reset-access")
    assert reset.status_code == 202, reset.json
    runtime.pump()
    status = cognito.admin_get_user(UserPoolId=pool, Username="nora@northwind.example")["UserStatus"]
    assert status == "RESET_REQUIRED"


def test_a_merged_away_login_is_disabled(api, runtime, aws_env, cognito):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    keep = api.member(owner, "acme", "pat@acme.example", ["technician"])
    duplicate = api.member(owner, "acme", "pat.old@acme.example", ["technician"])
    runtime.pump()
    merged = api.as_(owner).post(
        f"/tenants/acme/members/{keep.user_id}/merge", {"duplicate_user_ids": [duplicate.user_id]}
    )
    assert merged.status_code == 200, merged.json
    runtime.pump()
    pool = aws_env.refs["UserPool"]
    assert _attributes(cognito, pool, "pat.old@acme.example")["Enabled"] == "False"
    assert _attributes(cognito, pool, "pat@acme.example")["Enabled"] == "True"


def test_resetting_a_login_never_used_sends_its_invitation_again(api, runtime, aws_env, cognito):
    """Cognito refuses to reset a login still on its invitation's temporary password: the partner admin's
    "reset access" re-sends the invitation instead, and the worker does not fail."""
    founder = api.user("owner@fixit.example")
    api.tenant(founder, "fixit")
    added = api.as_(founder).post(
        "/tenants/fixit/partner-company/resources", {"email": "new@fixit.example", "name": "New"}
    )
    runtime.pump()
    pool = aws_env.refs["UserPool"]
    assert (
        cognito.admin_get_user(UserPoolId=pool, Username="new@fixit.example")["UserStatus"]
        == "FORCE_CHANGE_PASSWORD"
    )
    reset = api.as_(founder).post(
        f"/tenants/fixit/partner-company/resources/{added.json['user_id']}/reset-access"
    )
    assert reset.status_code == 202
    runtime.pump()
    assert (
        cognito.admin_get_user(UserPoolId=pool, Username="new@fixit.example")["UserStatus"]
        == "FORCE_CHANGE_PASSWORD"
    )
    dead = boto3.client("sqs").receive_message(QueueUrl=aws_env.refs["IdentityDeadLetterQueue"])
    assert dead.get("Messages", []) == []  # the reset went through (as a new invitation), nothing failed
