"""Members: adding users with roles, changing them, active and can-login, and personnel search."""

import pytest


@pytest.fixture
def acme(api):
    owner = api.user("owner@acme.example", "Olivia Owner")
    api.tenant(owner, "acme", "Acme")
    return owner


def test_adding_a_new_email_creates_the_identity_and_membership(api, acme):
    response = api.as_(acme).post(
        "/tenants/acme/members",
        {"email": "Dana@Acme.example", "name": "Dana Dispatcher", "roles": ["dispatcher"]},
    )

    assert response.status_code == 201
    assert response.json["email"] == "dana@acme.example"
    assert response.json["roles"] == ["dispatcher"]
    assert response.json["active"] and response.json["can_login"]


def test_one_login_can_belong_to_many_tenants(api, acme):
    rival_owner = api.user("owner@rival.example")
    api.tenant(rival_owner, "rival")
    tech = api.member(acme, "acme", "tech@example.com", ["technician"])

    again = api.as_(rival_owner).post(
        "/tenants/rival/members", {"email": "tech@example.com", "name": "Theo", "roles": ["dispatcher"]}
    )

    assert again.status_code == 201
    assert again.json["user_id"] == tech.user_id
    # An existing login is invited: rival is not one of its places until its user accepts.
    me = api.as_(tech).get("/me").json
    assert {p["tenant_id"] for p in me["places"]} == {"acme"}
    [invitation] = me["invitations"]
    assert (invitation["tenant_id"], invitation["tenant_name"], invitation["roles"]) == (
        "rival",
        "Rival",
        ["dispatcher"],
    )
    assert api.as_(tech).get("/tenants/rival").status_code == 404
    assert api.as_(tech).post(f"/me/invitations/{invitation['invitation_id']}/accept", {}).status_code == 200
    places = {p["tenant_id"]: p["roles"] for p in api.as_(tech).get("/me").json["places"]}
    assert places == {"acme": ["technician"], "rival": ["dispatcher"]}
    assert api.as_(tech).get("/tenants/rival").status_code == 200


def test_an_invited_login_may_decline_and_an_unanswered_invitation_expires(api, acme, runtime):
    rival_owner = api.user("owner@rival.example")
    api.tenant(rival_owner, "rival")
    tech = api.member(acme, "acme", "tech@example.com", ["technician"])
    rival = api.as_(rival_owner)
    invite = {"email": "tech@example.com", "name": "Theo", "roles": ["dispatcher"]}
    assert rival.post("/tenants/rival/members", invite).json["invited_until"]
    [invitation] = api.as_(tech).get("/me").json["invitations"]
    other = api.member(acme, "acme", "other@example.com", ["technician"])
    path = f"/me/invitations/{invitation['invitation_id']}"
    assert api.as_(other).post(f"{path}/accept", {}).status_code == 404  # not theirs: no such invitation
    assert api.as_(tech).post(f"{path}/decline", {}).status_code == 200
    assert api.as_(tech).get("/me").json["invitations"] == []
    assert rival.get(f"/tenants/rival/members/{tech.user_id}").status_code == 404
    # Invited again, left unanswered: gone after the tenant's lifetime (a test day lasts a second).
    rival.patch("/tenants/rival", {"invitation_ttl_days": 1})
    assert rival.post("/tenants/rival/members", invite).status_code == 201
    import time

    deadline = time.monotonic() + 20
    while api.as_(tech).get("/me").json["invitations"]:
        assert time.monotonic() < deadline, "the invitation never expired"
        time.sleep(0.5)
        runtime.pump()
    assert rival.get(f"/tenants/rival/members/{tech.user_id}").status_code == 404


def test_adding_an_existing_member_twice_is_a_conflict(api, acme):
    api.member(acme, "acme", "tech@example.com", ["technician"])

    response = api.as_(acme).post(
        "/tenants/acme/members", {"email": "tech@example.com", "name": "Theo", "roles": ["dispatcher"]}
    )

    assert response.status_code == 409


def test_only_a_system_admin_grants_system_admin(api, acme):
    admin = api.member(acme, "acme", "admin@acme.example", ["admin"])

    by_admin = api.as_(admin).post(
        "/tenants/acme/members", {"email": "x@acme.example", "name": "X", "roles": ["system_admin"]}
    )
    by_owner = api.as_(acme).post(
        "/tenants/acme/members", {"email": "x@acme.example", "name": "X", "roles": ["system_admin"]}
    )

    assert by_admin.status_code == 403
    assert by_owner.status_code == 201


def test_client_roles_do_not_mix_with_staff_roles(api, acme):
    response = api.as_(acme).post(
        "/tenants/acme/members",
        {"email": "c@client.example", "name": "C", "roles": ["customer", "dispatcher"]},
    )

    assert response.status_code == 422
    [detail] = response.json["error"]["details"]
    assert detail["field"] == "body.roles"
    assert "cannot be combined" in detail["reason"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "No Email", "roles": ["technician"]}, "body.email"),
        ({"email": "not-an-email", "name": "X", "roles": ["technician"]}, "body.email"),
        ({"email": "a@b.example", "name": "X", "roles": []}, "body.roles"),
        ({"email": "a@b.example", "name": "X", "roles": ["overlord"]}, "body.roles.0"),
        ({"email": "a@b.example", "name": "", "roles": ["technician"]}, "body.name"),
        ({"email": "a@b.example", "name": "X", "roles": ["technician"], "user_id": "01H"}, "body.user_id"),
    ],
)
def test_invalid_members_name_the_field(api, acme, body, field):
    response = api.as_(acme).post("/tenants/acme/members", body)

    assert response.status_code == 422
    fields = [d["field"] for d in response.json["error"]["details"]]
    assert field in fields
    assert all(d["reason"] for d in response.json["error"]["details"])


def test_changing_roles_bumps_the_version(api, acme):
    tech = api.member(acme, "acme", "tech@acme.example", ["technician"])

    response = api.as_(acme).patch(
        f"/tenants/acme/members/{tech.user_id}", {"roles": ["technician", "dispatcher"]}
    )

    assert response.status_code == 200
    assert response.json["roles"] == ["dispatcher", "technician"]
    assert response.json["version"] == 2


def test_an_inactive_membership_is_refused_everywhere_in_that_tenant(api, acme):
    dispatcher = api.member(acme, "acme", "dana@acme.example", ["dispatcher"])
    api.as_(acme).patch(f"/tenants/acme/members/{dispatcher.user_id}", {"active": False})

    for path in ("/tenants/acme", "/tenants/acme/members", f"/tenants/acme/members/{dispatcher.user_id}"):
        response = api.as_(dispatcher).get(path)
        assert response.status_code == 403, path
        assert response.json["error"]["code"] == "membership_inactive"


def test_a_membership_that_cannot_log_in_is_refused(api, acme):
    dispatcher = api.member(acme, "acme", "dana@acme.example", ["dispatcher"], can_login=False)

    response = api.as_(dispatcher).get("/tenants/acme/members")

    assert response.status_code == 403
    assert response.json["error"]["code"] == "login_disabled"


def test_nobody_locks_themselves_out(api, acme):
    for change in ({"active": False}, {"can_login": False}, {"roles": ["admin"]}):
        response = api.as_(acme).patch(f"/tenants/acme/members/{acme.user_id}", change)
        assert response.status_code == 409, change


def test_an_admin_cannot_touch_a_system_admin(api, acme):
    admin = api.member(acme, "acme", "admin@acme.example", ["admin"])

    response = api.as_(admin).patch(f"/tenants/acme/members/{acme.user_id}", {"active": False})

    assert response.status_code == 403


def test_a_technician_reads_only_their_own_membership(api, acme):
    tech = api.member(acme, "acme", "tech@acme.example", ["technician"])
    other = api.member(acme, "acme", "other@acme.example", ["technician"])

    assert api.as_(tech).get(f"/tenants/acme/members/{tech.user_id}").status_code == 200
    assert api.as_(tech).get(f"/tenants/acme/members/{other.user_id}").status_code == 403
    assert api.as_(tech).get("/tenants/acme/members").status_code == 403


def test_an_unknown_member_is_not_found(api, acme):
    response = api.as_(acme).get("/tenants/acme/members/01JZZZZZZZZZZZZZZZZZZZZZZZ")

    assert response.status_code == 404


@pytest.fixture
def staff(api, acme):
    people = [
        ("anna@acme.example", "Anna Adams", ["technician"]),
        ("andy@acme.example", "andy Archer", ["dispatcher"]),
        ("bob@acme.example", "Bob Brown", ["technician"]),
        ("carla@acme.example", "Carla Cruz", ["admin"]),
    ]
    made = {name: api.member(acme, "acme", email, roles, name=name) for email, name, roles in people}
    api.as_(acme).patch(f"/tenants/acme/members/{made['Bob Brown'].user_id}", {"active": False})
    return made


def names(response):
    assert response.status_code == 200, response.json
    return [m["name"] for m in response.json["items"]]


def test_personnel_search_by_name_prefix_ignores_case(api, acme, staff):
    assert names(api.as_(acme).get("/tenants/acme/members?name_prefix=AN")) == ["andy Archer", "Anna Adams"]


def test_personnel_search_by_role_active_and_login(api, acme, staff):
    assert names(api.as_(acme).get("/tenants/acme/members?role=technician")) == ["Anna Adams", "Bob Brown"]
    assert names(api.as_(acme).get("/tenants/acme/members?role=technician&active=true")) == ["Anna Adams"]
    assert "Bob Brown" in names(api.as_(acme).get("/tenants/acme/members?active=false"))
    assert len(names(api.as_(acme).get("/tenants/acme/members?can_login=true"))) == 5


def test_personnel_search_pages_with_a_cursor(api, acme, staff):
    first = api.as_(acme).get("/tenants/acme/members?limit=2")
    second = api.as_(acme).get(f"/tenants/acme/members?limit=2&cursor={first.json['next_cursor']}")
    third = api.as_(acme).get(f"/tenants/acme/members?limit=2&cursor={second.json['next_cursor']}")

    seen = names(first) + names(second) + names(third)
    assert len(seen) == len(set(seen)) == 5
    if third.json["next_cursor"]:  # DynamoDB may hand back a key for an empty last page
        assert (
            names(api.as_(acme).get(f"/tenants/acme/members?limit=2&cursor={third.json['next_cursor']}"))
            == []
        )


def test_a_cursor_only_resumes_the_query_and_tenant_that_made_it(api, acme, staff):
    rival = api.user("owner@rival.example")
    api.tenant(rival, "rival")
    cursor = api.as_(acme).get("/tenants/acme/members?limit=1").json["next_cursor"]

    other_query = api.as_(acme).get(f"/tenants/acme/members?limit=1&role=admin&cursor={cursor}")
    other_tenant = api.as_(rival).get(f"/tenants/rival/members?limit=1&cursor={cursor}")
    forged = api.as_(acme).get("/tenants/acme/members?cursor=eyJrIjoiZSIsInMiOiJ4In0")

    assert other_query.status_code == other_tenant.status_code == forged.status_code == 400
    assert forged.json["error"]["code"] == "invalid_cursor"


def test_the_page_size_is_capped(api, acme):
    response = api.as_(acme).get("/tenants/acme/members?limit=1000")

    assert response.status_code == 422
    assert response.json["error"]["details"][0]["field"] == "query.limit"


def test_every_login_reads_and_updates_its_own_profile(api, acme):
    tech = api.member(acme, "acme", "tech@example.com", ["technician"])
    me = api.as_(tech).get("/me").json
    updated = api.as_(tech).patch(
        "/me", {"name": "Theo Tech", "phone": "+49 30 123"}, headers={"If-Match": f'"{me["version"]}"'}
    )
    assert updated.status_code == 200, updated.json
    assert (updated.json["name"], updated.json["phone"]) == ("Theo Tech", "+49 30 123")
    stale = api.as_(tech).patch("/me", {"name": "Late"}, headers={"If-Match": f'"{me["version"]}"'})
    assert stale.status_code == 409
    assert api.as_(tech).patch("/me", {"name": None}).status_code == 422  # a name is not cleared
    assert api.as_(tech).patch("/me", {"phone": None}).json["phone"] is None
    assert api.as_(tech).patch("/me", {"email": "x@y.example"}).status_code == 422  # the login's own
    assert api.as_(None).patch("/me", {"name": "Nobody"}).status_code == 401
