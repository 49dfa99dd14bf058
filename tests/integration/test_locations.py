"""Locations of a tenant: create, read, update, archive, list by name prefix."""

import pytest


@pytest.fixture
def acme(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    return owner


def make(api, owner, name, **fields):
    response = api.as_(owner).post("/tenants/acme/locations", {"name": name, **fields})
    assert response.status_code == 201, response.json
    return response.json


def names(response):
    assert response.status_code == 200, response.json
    return [item["name"] for item in response.json["items"]]


def test_a_location_is_created_and_read(api, acme):
    created = make(api, acme, "Main Street Depot", address="1 Main St", city="Berlin", country="DE")

    read = api.as_(acme).get(f"/tenants/acme/locations/{created['location_id']}").json

    assert read == created
    assert read["version"] == 1 and read["archived"] is False


def test_locations_list_by_name_prefix_ignoring_case(api, acme):
    for name in ("Main Street Depot", "main yard", "North Plant"):
        make(api, acme, name)

    assert names(api.as_(acme).get("/tenants/acme/locations?name_prefix=MAIN")) == [
        "Main Street Depot",
        "main yard",
    ]
    assert len(names(api.as_(acme).get("/tenants/acme/locations"))) == 3


def test_locations_page_with_a_cursor(api, acme):
    for i in range(5):
        make(api, acme, f"Site {i}")

    first = api.as_(acme).get("/tenants/acme/locations?limit=3").json
    second = api.as_(acme).get(f"/tenants/acme/locations?limit=3&cursor={first['next_cursor']}").json

    assert [i["name"] for i in first["items"] + second["items"]] == [f"Site {i}" for i in range(5)]


def test_archiving_hides_a_location_from_the_list_but_keeps_it(api, acme):
    location = make(api, acme, "Old Depot")
    path = f"/tenants/acme/locations/{location['location_id']}"

    archived = api.as_(acme).patch(path, {"archived": True})

    assert archived.status_code == 200 and archived.json["archived"] is True
    assert names(api.as_(acme).get("/tenants/acme/locations")) == []
    assert names(api.as_(acme).get("/tenants/acme/locations?include_archived=true")) == ["Old Depot"]
    assert api.as_(acme).get(path).json["archived"] is True
    assert api.as_(acme).patch(path, {"archived": False}).json["archived"] is False


def test_a_rename_moves_the_location_in_the_name_order(api, acme):
    location = make(api, acme, "Zeta")
    make(api, acme, "Beta")

    api.as_(acme).patch(f"/tenants/acme/locations/{location['location_id']}", {"name": "Alpha"})

    assert names(api.as_(acme).get("/tenants/acme/locations")) == ["Alpha", "Beta"]


def test_concurrent_edits_do_not_lose_updates(api, acme):
    location = make(api, acme, "Depot")
    path = f"/tenants/acme/locations/{location['location_id']}"

    first = api.as_(acme).patch(path, {"notes": "gate 1"}, headers={"If-Match": '"1"'})
    second = api.as_(acme).patch(path, {"city": "Hamburg"}, headers={"If-Match": '"1"'})

    assert (first.status_code, second.status_code) == (200, 409)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "body.name"),
        ({"name": "X", "country": "Germany"}, "body.country"),
        ({"name": "X", "location_id": "01H"}, "body.location_id"),
        ({"name": "X", "archived": True}, "body.archived"),
    ],
)
def test_invalid_locations_name_the_field(api, acme, body, field):
    response = api.as_(acme).post("/tenants/acme/locations", body)

    assert response.status_code == 422
    assert field in [d["field"] for d in response.json["error"]["details"]]


def test_technicians_read_but_do_not_create(api, acme):
    tech = api.member(acme, "acme", "tech@acme.example", ["technician"])
    make(api, acme, "Depot")

    assert names(api.as_(tech).get("/tenants/acme/locations")) == ["Depot"]
    assert api.as_(tech).post("/tenants/acme/locations", {"name": "Mine"}).status_code == 403
