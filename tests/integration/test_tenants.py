"""Tenants: create, read, update; the founder becomes system_admin."""

from types import SimpleNamespace


def test_creating_a_tenant_makes_the_caller_its_system_admin(api):
    owner = api.user("owner@acme.example", "Olivia Owner")

    created = api.as_(owner).post(
        "/tenants", {"tenant_id": "acme", "name": "Acme", "timezone": "Europe/Berlin"}
    )

    assert created.status_code == 201
    assert created.json["tenant_id"] == "acme"
    assert created.json["version"] == 1
    me = api.as_(owner).get(f"/tenants/acme/members/{owner.user_id}")
    assert me.json["roles"] == ["system_admin"]


def test_a_first_time_login_is_registered_when_it_creates_a_tenant(api, issuer):
    token = issuer.token("01JNEWC0MERAAAAAAAAAAAAAAA", "new@example.com")  # a login the API has never seen
    newcomer = SimpleNamespace(auth={"Authorization": f"Bearer {token}"})

    assert api.as_(newcomer).post("/tenants", {"tenant_id": "fresh", "name": "Fresh"}).status_code == 201
    me = api.as_(newcomer).get("/me").json
    assert me["email"] == "new@example.com"
    assert [(p["tenant_id"], p["tenant_name"]) for p in me["places"]] == [("fresh", "Fresh")]


def test_a_taken_tenant_id_is_a_conflict(api):
    owner = api.user("owner@acme.example")
    other = api.user("other@example.com")
    api.tenant(owner, "acme")

    response = api.as_(other).post("/tenants", {"tenant_id": "acme", "name": "Mine now"})

    assert response.status_code == 409
    assert response.json["error"]["code"] == "conflict"


def test_tenant_ids_are_slugs(api):
    owner = api.user("owner@acme.example")

    response = api.as_(owner).post("/tenants", {"tenant_id": "Acme Corp", "name": "Acme"})

    assert response.status_code == 422
    assert response.json["error"]["details"][0]["field"] == "body.tenant_id"
    assert response.json["error"]["details"][0]["reason"]


def test_server_owned_fields_cannot_be_sent(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")

    response = api.as_(owner).patch("/tenants/acme", {"name": "Acme 2", "version": 7, "status": "archived"})

    assert response.status_code == 422
    assert {d["field"] for d in response.json["error"]["details"]} == {"body.version", "body.status"}
    assert api.as_(owner).get("/tenants/acme").json["name"] == "Acme"


def test_an_unknown_time_zone_is_rejected(api):
    owner = api.user("owner@acme.example")

    response = api.as_(owner).post(
        "/tenants", {"tenant_id": "acme", "name": "Acme", "timezone": "Mars/Olympus"}
    )

    assert response.status_code == 422
    assert "time zone" in response.json["error"]["details"][0]["reason"]


def test_the_system_admin_updates_the_profile(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")

    response = api.as_(owner).patch("/tenants/acme", {"name": "Acme Facilities", "phone": "+49 30 1234"})

    assert response.status_code == 200
    assert response.json["name"] == "Acme Facilities"
    assert response.json["version"] == 2
    assert api.as_(owner).get("/tenants/acme").json["phone"] == "+49 30 1234"


def test_an_empty_patch_is_rejected(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")

    assert api.as_(owner).patch("/tenants/acme", {}).status_code == 422


def test_other_roles_read_but_do_not_update_the_profile(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    dispatcher = api.member(owner, "acme", "dana@acme.example", ["dispatcher"])

    assert api.as_(dispatcher).get("/tenants/acme").status_code == 200
    response = api.as_(dispatcher).patch("/tenants/acme", {"name": "Hijacked"})
    assert response.status_code == 403
    assert api.as_(owner).get("/tenants/acme").json["name"] == "Acme"


def test_a_stale_if_match_is_a_conflict(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    api.as_(owner).patch("/tenants/acme", {"name": "Acme v2"})

    stale = api.as_(owner).patch("/tenants/acme", {"name": "Acme v3"}, headers={"If-Match": '"1"'})
    fresh = api.as_(owner).patch("/tenants/acme", {"name": "Acme v3"}, headers={"If-Match": '"2"'})

    assert stale.status_code == 409
    assert fresh.status_code == 200


def test_a_malformed_if_match_is_rejected(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")

    response = api.as_(owner).patch("/tenants/acme", {"name": "x"}, headers={"If-Match": "yesterday"})

    assert response.status_code == 422
    assert response.json["error"]["details"][0]["field"] == "header.if-match"


def test_another_tenant_looks_like_no_tenant_at_all(api):
    acme_owner = api.user("owner@acme.example")
    rival = api.user("owner@rival.example")
    api.tenant(acme_owner, "acme")
    api.tenant(rival, "rival")

    foreign = api.as_(rival).get("/tenants/acme")
    missing = api.as_(rival).get("/tenants/nothing-here")
    patched = api.as_(rival).patch("/tenants/acme", {"name": "Owned"})

    assert foreign.status_code == missing.status_code == patched.status_code == 404
    assert foreign.json == missing.json == patched.json
    assert api.as_(acme_owner).get("/tenants/acme").json["name"] == "Acme"
