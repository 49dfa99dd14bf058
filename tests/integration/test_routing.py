"""Teams, escalation layers and routing through the API: a partner organization's people get its customers'
requests first (directly or through the customer's org unit), internal technicians the others, the preferred
vendor what a layer has no one for; an unanswered request escalates on the local stack's Step Functions; and
the partner organization's tabs list its technicians, customers and requests."""

import time

import boto3
import pytest

T = "/tenants/acme"
TERMS = {"hourly_rate_cents": 7000, "currency": "EUR"}


@pytest.fixture
def world(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    admin = api.as_(owner)
    orgs = {
        n: admin.post(f"{T}/partner-organizations", {"name": n}).json["partner_org_id"] for n in ("N", "S")
    }
    unit = admin.post(f"{T}/org-units", {"name": "North region", "partner_org_id": orgs["N"]}).json[
        "org_unit_id"
    ]
    customers = {}
    for name, fields in (
        ("direct", {"partner_org_id": orgs["N"]}),
        ("via-unit", {"org_unit_id": unit}),
        ("plain", {}),
        ("south", {"partner_org_id": orgs["S"]}),
    ):
        made = admin.post(f"{T}/customers", {"name": name, **fields})
        assert made.status_code == 201, made.json
        customers[name] = made.json["customer_id"]
    people = {
        "tech": api.member(owner, "acme", "tech@acme.example", ["technician"], name="Tech"),
        "tech2": api.member(owner, "acme", "tech2@acme.example", ["technician"], name="Tech Two"),
        "north": api.member(owner, "acme", "north@partner.example", ["partner"], name="North Partner"),
        "south": api.member(owner, "acme", "south@partner.example", ["partner"], name="South Partner"),
        "loose": api.member(owner, "acme", "loose@partner.example", ["partner"], name="Loose"),
    }
    for who, org in (("north", "N"), ("south", "S")):
        added = admin.post(
            f"{T}/partner-organizations/{orgs[org]}/technicians", {"user_id": people[who].user_id}
        )
        assert added.status_code == 200, added.json
        assert added.json["partner_org_id"] == orgs[org]
    return {
        "owner": owner,
        "admin": admin,
        "orgs": orgs,
        "unit": unit,
        "customers": customers,
        "people": people,
    }


def team(world, *layers, minutes=600, **fields):
    body = {
        "name": fields.pop("name", "Field service"),
        "layers": [
            {"members": [world["people"][p].user_id for p in layer], "response_minutes": minutes}
            for layer in layers
        ],
        **fields,
    }
    made = world["admin"].post(f"{T}/teams", body)
    assert made.status_code == 201, made.json
    return made.json["team_id"]


def log(world, team_id, customer=None, **fields):
    body = {"title": "Leaking pump", "team_id": team_id, **fields}
    if customer:
        body["customer_id"] = world["customers"][customer]
    made = world["admin"].post(f"{T}/tickets", body)
    assert made.status_code == 201, made.json
    return made.json


def routing_entries(world, ticket_id):
    activity = world["admin"].get(f"{T}/tickets/{ticket_id}/activity").json["items"]
    return [a["routing"] for a in activity if a["kind"] == "routing"]


@pytest.mark.parametrize("customer", ["direct", "via-unit"])
def test_the_customers_partner_user_is_picked_over_an_internal_technician(world, customer):
    team_id = team(world, ["tech", "north", "south"])
    ticket = log(world, team_id, customer)
    assert ticket["assignee_id"] == world["people"]["north"].user_id
    assert (ticket["team_id"], ticket["routing_layer"]) == (team_id, 0)
    [decision] = routing_entries(world, ticket["ticket_id"])
    assert decision["via"] == "partner_user" and decision["trigger"] == "created"
    assert "partner organization" in decision["reason"]
    requests = world["admin"].get(f"{T}/partner-organizations/{world['orgs']['N']}/requests").json["items"]
    assert [r["ticket_id"] for r in requests] == [ticket["ticket_id"]]
    assert world["admin"].get(f"{T}/partner-organizations/{world['orgs']['S']}/requests").json["items"] == []


@pytest.mark.parametrize("customer", ["plain", None])
def test_other_customers_go_to_an_internal_technician_never_to_another_orgs_partner(world, customer):
    team_id = team(world, ["north", "tech"])
    ticket = log(world, team_id, customer)
    assert ticket["assignee_id"] == world["people"]["tech"].user_id
    assert routing_entries(world, ticket["ticket_id"])[0]["via"] == "technician"


def test_ties_go_to_the_least_loaded_then_in_turn(world):
    team_id = team(world, ["tech", "tech2"])
    first, second = (log(world, team_id)["assignee_id"] for _ in range(2))
    assert {first, second} == {world["people"]["tech"].user_id, world["people"]["tech2"].user_id}
    world["admin"].post(f"{T}/tickets/{log(world, team_id)['ticket_id']}/cancel", {"note": "dup"})
    # both carry one open request now; the turn decides, and a third goes to the one left with less
    third = log(world, team_id)["assignee_id"]
    assert third in {first, second}


def test_the_preferred_vendor_takes_what_the_layer_has_no_one_for(api, world):
    for servicer, preferred in (("fixit", True), ("brightco", False)):
        api.tenant(api.user(f"owner@{servicer}.example"), servicer)
        api.link(world["owner"], "acme", servicer, preferred_vendor=preferred)
    team_id = team(world, [], routes_outward=True, vendor_terms=TERMS)
    ticket = log(world, team_id, "plain")
    assert (ticket["status"], ticket["servicer_id"]) == ("offered", "fixit")
    assert ticket["terms"]["hourly_rate_cents"] == 7000
    assert routing_entries(world, ticket["ticket_id"])[0]["via"] == "vendor"
    nobody = log(world, team(world, [], name="Inward only"))
    assert (nobody["status"], nobody["assignee_id"], nobody["servicer_id"]) == ("open", None, None)
    assert routing_entries(world, nobody["ticket_id"])[0]["via"] == "nobody"


def test_a_team_routing_outward_names_its_vendor_terms(world):
    refused = world["admin"].post(
        f"{T}/teams", {"name": "Out", "layers": [{"members": []}], "routes_outward": True}
    )
    assert refused.status_code == 422
    assert refused.json["error"]["details"][0]["field"] == "body.vendor_terms"


def test_a_partner_user_in_no_organization_gets_no_team_and_no_request(world):
    loose = world["people"]["loose"].user_id
    refused = world["admin"].post(f"{T}/teams", {"name": "Loose", "layers": [{"members": [loose]}]})
    assert refused.status_code == 422, refused.json
    detail = refused.json["error"]["details"][0]
    assert detail["field"] == "body.layers.0.members.0" and "no partner organization" in detail["reason"]
    ticket = world["admin"].post(f"{T}/tickets", {"title": "Direct"}).json["ticket_id"]
    assigned = world["admin"].post(f"{T}/tickets/{ticket}/assign", {"assignee_id": loose})
    assert assigned.status_code == 422 and assigned.json["error"]["details"][0]["field"] == "body.assignee_id"
    # taken out of its organization, a partner user is refused the same way
    north = world["people"]["north"].user_id
    out = world["admin"].request(
        "DELETE", f"{T}/partner-organizations/{world['orgs']['N']}/technicians/{north}"
    )
    assert out.status_code == 200 and out.json["partner_org_id"] is None
    assert world["admin"].post(f"{T}/tickets/{ticket}/assign", {"assignee_id": north}).status_code == 422


def test_only_a_partner_role_member_joins_a_partner_organization(world):
    tech = world["people"]["tech"].user_id
    refused = world["admin"].post(
        f"{T}/partner-organizations/{world['orgs']['N']}/technicians", {"user_id": tech}
    )
    assert (
        refused.status_code == 422 and refused.json["error"]["details"][0]["field"] == "body.partner_org_id"
    )
    patched = world["admin"].patch(
        f"{T}/members/{world['people']['loose'].user_id}", {"partner_org_id": world["orgs"]["S"]}
    )
    assert patched.status_code == 200 and patched.json["partner_org_id"] == world["orgs"]["S"]
    listed = world["admin"].get(f"{T}/partner-organizations/{world['orgs']['S']}/technicians").json["items"]
    assert [m["name"] for m in listed] == ["Loose", "South Partner"]


def test_escalate_on_demand_moves_to_the_next_layer_and_no_further(world):
    team_id = team(world, ["tech"], ["tech2"])
    ticket = log(world, team_id)["ticket_id"]
    escalated = world["admin"].post(f"{T}/tickets/{ticket}/escalate", {"note": "urgent"})
    assert escalated.status_code == 200, escalated.json
    assert (escalated.json["assignee_id"], escalated.json["routing_layer"]) == (
        world["people"]["tech2"].user_id,
        1,
    )
    assert [d["trigger"] for d in routing_entries(world, ticket)] == ["created", "escalated"]
    again = world["admin"].post(f"{T}/tickets/{ticket}/escalate", {})
    assert again.status_code == 409 and again.json["error"]["code"] == "no_next_layer"
    unrouted = world["admin"].post(f"{T}/tickets", {"title": "Not routed"}).json["ticket_id"]
    assert world["admin"].post(f"{T}/tickets/{unrouted}/escalate", {}).json["error"]["code"] == "not_routed"


def _wait_for(check, runtime, seconds=25):
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.5)
        runtime.pump()


def test_an_unanswered_request_escalates_when_the_layers_deadline_passes(world, runtime):
    """A minute is a second in tests: the first layer has one to answer."""
    team_id = team(world, ["tech"], ["tech2"], minutes=1)
    ticket = log(world, team_id)["ticket_id"]
    read = lambda: world["admin"].get(f"{T}/tickets/{ticket}").json  # noqa: E731
    _wait_for(lambda: read()["routing_layer"] == 1, runtime)
    assert read()["assignee_id"] == world["people"]["tech2"].user_id
    assert [d["trigger"] for d in routing_entries(world, ticket)] == ["created", "deadline"]


def test_an_answer_stops_the_layers_deadline(api, world, runtime, aws_env):
    team_id = team(world, ["tech"], ["tech2"], minutes=3)
    ticket = log(world, team_id)["ticket_id"]
    tech = world["people"]["tech"]
    runtime.pump()  # the routing's event starts its deadline
    sfn = boto3.client("stepfunctions")
    machine = aws_env.refs["TicketDeadlineStateMachine"]
    name = f"ticket-{ticket}-route-r1"

    def status():
        runs = sfn.list_executions(stateMachineArn=machine)["executions"]
        return next((r["status"] for r in runs if r["name"] == name), None)

    _wait_for(lambda: status() == "RUNNING", runtime)
    assert api.as_(tech).post(f"{T}/tickets/{ticket}/start", {}).status_code == 200
    _wait_for(lambda: status() == "ABORTED", runtime)
    time.sleep(3.5)
    runtime.pump()
    assert world["admin"].get(f"{T}/tickets/{ticket}").json["assignee_id"] == tech.user_id


def test_the_customers_tab_lists_direct_then_org_unit_customers_page_by_page(world):
    org = world["orgs"]["N"]
    admin = world["admin"]
    more = admin.post(f"{T}/customers", {"name": "another-unit-customer", "org_unit_id": world["unit"]}).json
    seen, cursor, pages = [], None, 0
    while True:
        page = admin.get(
            f"{T}/partner-organizations/{org}/customers",
            query_string={"limit": 1, **({"cursor": cursor} if cursor else {})},
        ).json
        seen += [c["name"] for c in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
        assert pages < 10
    assert seen == ["direct", "another-unit-customer", "via-unit"]
    assert more["customer_id"]
    # the org unit moves to the other organization: its customers move with it, nothing rewritten
    assert (
        admin.patch(f"{T}/org-units/{world['unit']}", {"partner_org_id": world["orgs"]["S"]}).status_code
        == 200
    )
    south = admin.get(
        f"{T}/partner-organizations/{world['orgs']['S']}/customers", query_string={"limit": 10}
    ).json
    names = [c["name"] for c in south["items"]]
    while south["next_cursor"]:
        south = admin.get(
            f"{T}/partner-organizations/{world['orgs']['S']}/customers",
            query_string={"cursor": south["next_cursor"]},
        ).json
        names += [c["name"] for c in south["items"]]
    assert names == ["south", "another-unit-customer", "via-unit"]
