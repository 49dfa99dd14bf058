"""Not-to-exceed through the API: time or a cost past the accepted amount is flagged on entry (and the crossing
raises NteExceeded); the partner asks to raise it, the owner approves or rejects; nobody else takes part."""

import pytest

T = "/tenants/acme"
TERMS = {"hourly_rate_cents": 6000, "currency": "EUR", "not_to_exceed_cents": 10000}


@pytest.fixture
def work(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    for servicer in ("fixit", "brightco"):
        api.tenant(api.user(f"owner@{servicer}.example"), servicer)
        api.link(owner, "acme", servicer)
    acme = api.as_(owner)
    ticket = acme.post(f"{T}/tickets", {"title": "Boiler"}).json["ticket_id"]
    assert (
        acme.post(f"{T}/tickets/{ticket}/outsource", {"servicer_id": "fixit", "terms": TERMS}).status_code
        == 200
    )
    fixit = api.as_(api.user("owner@fixit.example"))
    for step in ("accept", "start"):
        assert fixit.post(f"{T}/tickets/{ticket}/{step}", {}).status_code == 200
    dispatcher = api.as_(api.member(owner, "acme", "dispatch@acme.example", ["dispatcher"]))
    technician = api.as_(api.member(owner, "acme", "tech@acme.example", ["technician"]))
    rival = api.as_(api.user("owner@brightco.example"))
    return {
        "ticket": ticket,
        "acme": acme,
        "fixit": fixit,
        "dispatcher": dispatcher,
        "tech": technician,
        "rival": rival,
    }


def log(client, ticket, minutes):
    logged = client.post(
        f"{T}/tickets/{ticket}/time-entries", {"minutes": minutes, "work_date": "2026-11-30"}
    )
    assert logged.status_code == 201, logged.json
    return logged.json


def test_time_past_the_nte_is_flagged_on_entry_and_the_crossing_is_told(work):
    ticket, fixit = work["ticket"], work["fixit"]
    assert log(fixit, ticket, 60)["over_nte"] is False  # 6000 of 10000
    assert log(fixit, ticket, 60)["over_nte"] is True  # 12000: over
    cost = fixit.post(
        f"{T}/tickets/{ticket}/costs",
        {
            "category": "materials",
            "description": "Valve",
            "quantity": "1",
            "unit_cost_cents": 500,
            "work_date": "2026-11-30",
        },
    )
    assert cost.status_code == 201, cost.json
    activity = work["acme"].get(f"{T}/tickets/{ticket}/activity").json["items"]
    assert [a["step"] for a in activity if a["step"] == "nte-exceeded"] == ["nte-exceeded"]  # crossed once
    assert [a["over_nte"] for a in activity if a["kind"] in ("time", "cost")] == [False, True, True]
    assert work["acme"].get(f"{T}/tickets/{ticket}").json["not_to_exceed_cents"] == 10000


def test_the_partner_asks_to_raise_it_and_the_owner_decides(work):
    ticket, fixit, dispatcher = work["ticket"], work["fixit"], work["dispatcher"]
    base = f"{T}/tickets/{ticket}/nte-requests"
    assert fixit.post(base, {"requested_cents": 9000, "reason": "More"}).status_code == 422  # not more
    asked = fixit.post(base, {"requested_cents": 20000, "reason": "The pump is worse than thought"})
    assert asked.status_code == 201, asked.json
    assert (asked.json["status"], asked.json["current_cents"]) == ("pending", 10000)
    again = fixit.post(base, {"requested_cents": 30000, "reason": "Even more"})
    assert again.status_code == 409 and again.json["error"]["code"] == "pending"
    request_id = asked.json["request_id"]
    assert fixit.post(f"{base}/{request_id}/approve", {}).status_code == 404  # not the partner's to decide
    assert work["tech"].post(f"{base}/{request_id}/approve", {}).status_code == 403
    approved = dispatcher.post(f"{base}/{request_id}/approve", {})
    assert approved.status_code == 200 and approved.json["status"] == "approved", approved.json
    assert dispatcher.post(f"{base}/{request_id}/reject", {"note": "late"}).status_code == 409  # answered
    assert work["acme"].get(f"{T}/tickets/{ticket}").json["not_to_exceed_cents"] == 20000
    second = fixit.post(base, {"requested_cents": 25000, "reason": "Parts"}).json["request_id"]
    assert dispatcher.post(f"{base}/{second}/reject", {}).status_code == 422  # a reason to reject
    rejected = dispatcher.post(f"{base}/{second}/reject", {"note": "Stay within budget"})
    assert rejected.json["status"] == "rejected"
    assert work["acme"].get(f"{T}/tickets/{ticket}").json["not_to_exceed_cents"] == 20000
    listed = fixit.get(base).json["items"]
    assert [r["status"] for r in listed] == ["approved", "rejected"]


def test_only_the_partner_doing_the_work_asks(work):
    base = f"{T}/tickets/{work['ticket']}/nte-requests"
    body = {"requested_cents": 20000, "reason": "More"}
    assert work["acme"].post(base, body).status_code == 403  # the owner does not ask itself
    assert work["rival"].post(base, body).status_code == 404  # another partner: no such ticket
    assert work["rival"].get(base).status_code == 404
    unbounded = work["acme"].post(f"{T}/tickets", {"title": "No NTE"}).json["ticket_id"]
    terms = {"hourly_rate_cents": 6000, "currency": "EUR"}
    work["acme"].post(f"{T}/tickets/{unbounded}/outsource", {"servicer_id": "fixit", "terms": terms})
    for step in ("accept", "start"):
        work["fixit"].post(f"{T}/tickets/{unbounded}/{step}", {})
    refused = work["fixit"].post(f"{T}/tickets/{unbounded}/nte-requests", body)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "no_nte"
