"""Retiring duplicate logins: accesses move to the chosen identity; the others stop working."""

import boto3
import pytest
from boto3.dynamodb.conditions import Key

from handoff import keys


@pytest.fixture
def acme(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    return owner


def test_merging_moves_memberships_and_retires_the_duplicate(api, acme, aws_env):
    survivor = api.member(acme, "acme", "sam@acme.example", ["technician"])
    duplicate = api.member(acme, "acme", "sam.old@acme.example", ["dispatcher"])

    response = api.as_(acme).post(
        f"/tenants/acme/members/{survivor.user_id}/merge", {"duplicate_user_ids": [duplicate.user_id]}
    )

    assert response.status_code == 200, response.json
    assert response.json["survivor"]["roles"] == ["dispatcher", "technician"]
    assert response.json["retired_user_ids"] == [duplicate.user_id]
    retired = api.as_(acme).get(f"/tenants/acme/members/{duplicate.user_id}").json
    assert retired["active"] is False and retired["merged_into"] == survivor.user_id
    audit = (
        boto3.resource("dynamodb")
        .Table(aws_env.refs["Table"])
        .query(KeyConditionExpression=Key("PK").eq(keys.audit("acme", "x")[0]))["Items"]
    )
    assert [a["action"] for a in audit if a["action"] == "identity.merged"] == ["identity.merged"]


def test_a_merged_away_login_can_no_longer_call_the_api(api, acme):
    survivor = api.member(acme, "acme", "sam@acme.example", ["technician"])
    duplicate = api.member(acme, "acme", "sam.old@acme.example", ["technician"])
    api.as_(acme).post(
        f"/tenants/acme/members/{survivor.user_id}/merge", {"duplicate_user_ids": [duplicate.user_id]}
    )

    me = api.as_(duplicate).get("/me")
    tenant = api.as_(duplicate).get("/tenants/acme")
    new_tenant = api.as_(duplicate).post("/tenants", {"tenant_id": "escape", "name": "Escape"})

    assert me.status_code == tenant.status_code == new_tenant.status_code == 401  # no longer a credential
    assert me.json["error"]["code"] == tenant.json["error"]["code"] == "identity_retired"


def test_memberships_in_other_tenants_move_when_the_admin_runs_them_too(api, acme):
    api.tenant(acme, "acme-north")
    survivor = api.member(acme, "acme", "sam@acme.example", ["technician"])
    duplicate = api.member(acme, "acme", "sam.old@acme.example", ["technician"])
    api.member(acme, "acme-north", "sam.old@acme.example", ["dispatcher"])

    response = api.as_(acme).post(
        f"/tenants/acme/members/{survivor.user_id}/merge", {"duplicate_user_ids": [duplicate.user_id]}
    )

    assert response.status_code == 200
    places = {p["tenant_id"]: p["roles"] for p in api.as_(survivor).get("/me").json["places"]}
    assert places == {"acme": ["technician"], "acme-north": ["dispatcher"]}


def test_a_merge_cannot_steal_access_to_a_tenant_the_admin_does_not_run(api, acme):
    rival = api.user("owner@rival.example")
    api.tenant(rival, "rival")
    survivor = api.member(acme, "acme", "sam@acme.example", ["technician"])
    duplicate = api.member(acme, "acme", "sam.old@acme.example", ["technician"])
    api.member(rival, "rival", "sam.old@acme.example", ["admin"])

    response = api.as_(acme).post(
        f"/tenants/acme/members/{survivor.user_id}/merge", {"duplicate_user_ids": [duplicate.user_id]}
    )

    assert response.status_code == 403
    assert [p["tenant_id"] for p in api.as_(survivor).get("/me").json["places"]] == ["acme"]
    assert api.as_(duplicate).get("/tenants/rival").status_code == 200


def test_only_a_system_admin_merges(api, acme):
    admin = api.member(acme, "acme", "admin@acme.example", ["admin"])
    survivor = api.member(acme, "acme", "sam@acme.example", ["technician"])
    duplicate = api.member(acme, "acme", "sam.old@acme.example", ["technician"])

    response = api.as_(admin).post(
        f"/tenants/acme/members/{survivor.user_id}/merge", {"duplicate_user_ids": [duplicate.user_id]}
    )

    assert response.status_code == 403


def test_an_identity_is_not_merged_into_itself_nor_twice(api, acme):
    survivor = api.member(acme, "acme", "sam@acme.example", ["technician"])
    duplicate = api.member(acme, "acme", "sam.old@acme.example", ["technician"])
    path = f"/tenants/acme/members/{survivor.user_id}/merge"

    itself = api.as_(acme).post(path, {"duplicate_user_ids": [survivor.user_id]})
    first = api.as_(acme).post(path, {"duplicate_user_ids": [duplicate.user_id]})
    second = api.as_(acme).post(path, {"duplicate_user_ids": [duplicate.user_id]})

    assert itself.status_code == 422
    assert first.status_code == 200
    assert second.status_code == 409


def test_a_duplicate_from_outside_the_tenant_is_not_found(api, acme):
    survivor = api.member(acme, "acme", "sam@acme.example", ["technician"])
    stranger = api.user("stranger@example.com")

    response = api.as_(acme).post(
        f"/tenants/acme/members/{survivor.user_id}/merge", {"duplicate_user_ids": [stranger.user_id]}
    )

    assert response.status_code == 404


def test_merging_away_your_own_login_is_refused(api, acme):
    survivor = api.member(acme, "acme", "sam@acme.example", ["technician"])

    response = api.as_(acme).post(
        f"/tenants/acme/members/{survivor.user_id}/merge", {"duplicate_user_ids": [acme.user_id]}
    )

    assert response.status_code == 409


def test_an_invitation_is_nobodys_to_merge(api):
    """An existing login only invited into a tenant is not its member: its admin can neither retire it nor
    merge another identity's accesses into it."""
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    admin = api.as_(owner)
    victim = api.user("victim@elsewhere.example")
    assert admin.post(
        "/tenants/acme/members", {"email": victim.email, "name": "V", "roles": ["technician"]}
    ).json["invited_until"]
    throwaway = api.member(owner, "acme", "throwaway@new.example", ["technician"])
    retire = admin.post(
        f"/tenants/acme/members/{throwaway.user_id}/merge", {"duplicate_user_ids": [victim.user_id]}
    )
    into = admin.post(
        f"/tenants/acme/members/{victim.user_id}/merge", {"duplicate_user_ids": [throwaway.user_id]}
    )
    assert retire.status_code == into.status_code == 404
    assert api.as_(victim).get("/me").status_code == 200
