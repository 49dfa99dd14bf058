"""Idempotency-Key on every mutating route: one effect, identical responses, scoped by tenant and caller."""

import json

import pytest


@pytest.fixture
def acme(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    return owner


def members(api, owner, tenant="acme"):
    return [m["email"] for m in api.as_(owner).get(f"/tenants/{tenant}/members").json["items"]]


def test_a_replayed_request_has_one_effect_and_the_same_response(api, acme, bus_observer):
    bus_observer()
    body = {"email": "tech@acme.example", "name": "Theo", "roles": ["technician"]}
    headers = {"Idempotency-Key": "add-theo-1"}

    responses = [api.as_(acme).post("/tenants/acme/members", body, headers=headers) for _ in range(10)]

    assert {r.status_code for r in responses} == {201}
    assert len({r.get_data() for r in responses}) == 1
    assert members(api, acme).count("tech@acme.example") == 1
    assert [e["detail-type"] for e in bus_observer()] == ["MemberAdded"]


def test_the_same_key_with_another_body_is_refused(api, acme):
    headers = {"Idempotency-Key": "k1"}
    api.as_(acme).post("/tenants/acme/locations", {"name": "Depot"}, headers=headers)

    other = api.as_(acme).post("/tenants/acme/locations", {"name": "Plant"}, headers=headers)

    assert other.status_code == 422
    assert other.json["error"]["details"][0]["field"] == "header.idempotency-key"
    names = [i["name"] for i in api.as_(acme).get("/tenants/acme/locations").json["items"]]
    assert names == ["Depot"]


def test_two_tenants_using_the_same_key_do_not_collide(api, acme):
    rival = api.user("owner@rival.example")
    api.tenant(rival, "rival")
    headers = {"Idempotency-Key": "shared-key"}

    first = api.as_(acme).post("/tenants/acme/locations", {"name": "Depot"}, headers=headers)
    second = api.as_(rival).post("/tenants/rival/locations", {"name": "Depot"}, headers=headers)

    assert first.status_code == second.status_code == 201
    assert first.json["location_id"] != second.json["location_id"]


def test_two_callers_in_one_tenant_do_not_collide(api, acme):
    admin = api.member(acme, "acme", "admin@acme.example", ["admin"])
    headers = {"Idempotency-Key": "same"}

    first = api.as_(acme).post("/tenants/acme/locations", {"name": "Depot"}, headers=headers)
    second = api.as_(admin).post("/tenants/acme/locations", {"name": "Depot"}, headers=headers)

    assert first.json["location_id"] != second.json["location_id"]


def test_a_failed_attempt_releases_the_key(api, acme):
    headers = {"Idempotency-Key": "retry-me"}
    api.member(acme, "acme", "tech@acme.example", ["technician"])
    body = {"email": "tech@acme.example", "name": "Theo", "roles": ["technician"]}

    failed = api.as_(acme).post("/tenants/acme/members", body, headers=headers)
    assert failed.status_code == 409
    again = api.as_(acme).post("/tenants/acme/members", body, headers=headers)

    assert again.status_code == 409  # ran again (not replayed), and the conflict is still real
    assert json.loads(again.get_data())["error"]["code"] == "conflict"


def test_a_replayed_delete_answers_the_same(api, acme):
    created = (
        api.as_(acme)
        .post(
            "/tenants/acme/webhook-subscriptions",
            {"url": "https://hooks.partner.example/x", "event_types": ["*"]},
        )
        .json
    )
    path = f"/tenants/acme/webhook-subscriptions/{created['subscription_id']}"
    headers = {"Idempotency-Key": "delete-1"}

    first = api.as_(acme).request("DELETE", path, headers=headers)
    second = api.as_(acme).request("DELETE", path, headers=headers)
    unkeyed = api.as_(acme).request("DELETE", path)

    assert (first.status_code, second.status_code, unkeyed.status_code) == (204, 204, 404)


@pytest.mark.parametrize("key", ["", "x" * 256])
def test_an_unusable_key_is_rejected(api, acme, key):
    response = api.as_(acme).post(
        "/tenants/acme/locations", {"name": "Depot"}, headers={"Idempotency-Key": key}
    )

    assert response.status_code == 422


def test_a_secret_is_shown_once_even_to_a_replay(api, acme, aws_env):
    import boto3

    from handoff.api.app import REDACTED

    body = {"url": "http://127.0.0.1:9/hooks", "event_types": ["MemberAdded"]}
    headers = {"Idempotency-Key": "sub-1"}
    first = api.as_(acme).post("/tenants/acme/webhook-subscriptions", body, headers=headers)
    replay = api.as_(acme).post("/tenants/acme/webhook-subscriptions", body, headers=headers)

    assert first.status_code == replay.status_code == 201
    assert first.json["secret"].startswith("whsec_")
    assert replay.json["secret"] == REDACTED  # says what to do: rotate
    assert replay.json["subscription_id"] == first.json["subscription_id"]
    table = boto3.resource("dynamodb").Table(aws_env.refs["Table"])
    records = [i for i in table.scan()["Items"] if str(i["PK"]).endswith("#IDEMPOTENCY")]
    assert records and all("whsec_" not in json.dumps(r, default=str) for r in records)
