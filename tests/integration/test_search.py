"""Ticket search with role scope, through the API: each side finds only what it may, by any filter."""

import pytest

TERMS = {"hourly_rate_cents": 6000, "currency": "EUR"}


@pytest.fixture
def board(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    admin = api.as_(owner)
    depot = admin.post("/tenants/acme/locations", {"name": "Depot"}).json["location_id"]
    people = {"owner": owner}
    for servicer in ("fixit", "brightco"):
        founder = api.user(f"owner@{servicer}.example")
        api.tenant(founder, servicer)
        api.link(owner, "acme", servicer)
        people[servicer] = api.member(
            founder, servicer, f"lead@{servicer}.example", ["technician"], accepts_work=True
        )
    people["helper"] = api.member(
        api.user("owner@fixit.example"), "fixit", "helper@fixit.example", ["technician"]
    )
    people["tech"] = api.member(owner, "acme", "tess@acme.example", ["technician"])
    tickets = {}
    for name, title, servicer, location in (
        ("pump", "Replace the pump", "fixit", depot),
        ("valve", "Pump valve leaks", "fixit", None),
        ("roof", "Fix the roof", "brightco", depot),
        ("boiler", "Service the boiler", None, None),
    ):
        body = {"title": title, **({"location_id": location} if location else {})}
        ticket_id = admin.post("/tenants/acme/tickets", body).json["ticket_id"]
        if servicer:
            made = admin.post(
                f"/tenants/acme/tickets/{ticket_id}/offers", {"servicer_id": servicer, "terms": TERMS}
            )
            assert made.status_code == 201, made.json
            lead = api.as_(people[servicer])
            assert lead.post(f"/tenants/acme/tickets/{ticket_id}/accept", {}).status_code == 200
        tickets[name] = ticket_id
    assigned = admin.post(
        f"/tenants/acme/tickets/{tickets['boiler']}/assign", {"assignee_id": people["tech"].user_id}
    )
    assert assigned.status_code == 200, assigned.json
    return {"people": people, "tickets": tickets, "depot": depot}


def found(api, user, **query):
    answer = api.as_(user).get("/tenants/acme/tickets/search", query_string=query)
    assert answer.status_code == 200, answer.json
    return {t["title"] for t in answer.json["items"]}


def test_the_owner_finds_its_tickets_by_every_filter(api, board):
    owner, t = board["people"]["owner"], board["tickets"]
    everything = {"Replace the pump", "Pump valve leaks", "Fix the roof", "Service the boiler"}
    assert found(api, owner) == everything
    assert found(api, owner, q="PUMP") == {"Replace the pump", "Pump valve leaks"}
    assert found(api, owner, q="pump replace") == {"Replace the pump"}
    assert found(api, owner, partner="fixit") == {"Replace the pump", "Pump valve leaks"}
    assert found(api, owner, location_id=board["depot"], status="accepted") == {
        "Replace the pump",
        "Fix the roof",
    }
    assert found(api, owner, status="open") == {"Service the boiler"}
    assert found(api, owner, assignee=board["people"]["tech"].user_id) == {"Service the boiler"}
    assert found(api, owner, created_from="2020-01-01", created_to="2099-12-31") == everything
    assert found(api, owner, created_to="2020-01-01") == set()
    assert found(api, owner, created_from="1900-01-01", created_to="9999-12-31") == everything  # no 500
    assert found(api, owner, updated_from="2099-01-01") == set()
    api.as_(owner).patch(f"/tenants/acme/tickets/{t['roof']}", {"title": "Fix the gutter"})
    assert found(api, owner, q="roof") == set() and found(api, owner, q="gutter") == {"Fix the gutter"}


def test_a_partner_finds_only_its_own_work_and_plain_members_only_their_assignments(api, board):
    people, t = board["people"], board["tickets"]
    lead, helper, rival = people["fixit"], people["helper"], people["brightco"]
    assert found(api, lead) == {"Replace the pump", "Pump valve leaks"}
    assert found(api, lead, q="roof") == set() and found(api, rival) == {"Fix the roof"}
    assert found(api, helper) == set()  # nothing assigned to them yet
    refused = api.as_(helper).get("/tenants/acme/tickets/search", query_string={"assignee": lead.user_id})
    assert refused.status_code == 403

    handed = api.as_(lead).post(f"/tenants/acme/tickets/{t['valve']}/assign", {"assignee_id": helper.user_id})
    assert handed.status_code == 200 and handed.json["assignee_id"] == helper.user_id
    assert (
        api.as_(helper)
        .post(f"/tenants/acme/tickets/{t['pump']}/assign", {"assignee_id": helper.user_id})
        .status_code
        == 403
    )
    outsider = api.as_(lead).post(
        f"/tenants/acme/tickets/{t['pump']}/assign", {"assignee_id": people["tech"].user_id}
    )
    assert outsider.status_code == 422  # not a member of fixit
    assert found(api, helper) == {"Pump valve leaks"}
    assert found(api, lead, assignee=helper.user_id) == {"Pump valve leaks"}
    assert found(api, people["owner"], assignee=helper.user_id) == set()  # the owner's assignees are its own
    wrong_partner = api.as_(lead).get("/tenants/acme/tickets/search", query_string={"partner": "brightco"})
    assert wrong_partner.status_code == 422


def test_a_search_cursor_holds_its_filters_and_pages_do_not_mix(api, board):
    owner = board["people"]["owner"]
    first = api.as_(owner).get("/tenants/acme/tickets/search", query_string={"limit": 1}).json
    assert len(first["items"]) == 1 and first["next_cursor"]
    other_filter = api.as_(owner).get(
        "/tenants/acme/tickets/search",
        query_string={"limit": 1, "status": "open", "cursor": first["next_cursor"]},
    )
    assert other_filter.status_code == 400
    seen, cursor = [], None
    while True:
        query = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        page = api.as_(owner).get("/tenants/acme/tickets/search", query_string=query).json
        seen += [item["ticket_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(board["tickets"].values()) and len(seen) == 4
