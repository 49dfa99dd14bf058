"""Tickets: the owner outsources to a linked partner at agreed rates; the partner accepts and works them; the
owner closes them; each partner sees its own work and nothing of another's."""

import pytest

RATE = {"hourly_rate_cents": 6000, "currency": "EUR"}
# The terms as the API answers them: every field, defaults filled in.
RATE_OUT = {
    **RATE,
    "rates": {},
    "markup_bp": 0,
    "not_to_exceed_cents": None,
    "conditions": None,
    "rate_card_id": None,
    "schedule": [],
}


@pytest.fixture
def work(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    admin = api.as_(owner)
    depot, yard = (
        admin.post("/tenants/acme/locations", {"name": n}).json["location_id"] for n in ("Depot", "Yard")
    )
    crews = {}
    for servicer in ("fixit", "brightco"):
        servicer_owner = api.user(f"owner@{servicer}.example")
        api.tenant(servicer_owner, servicer)
        api.link(owner, "acme", servicer)
        crews[servicer] = api.member(
            servicer_owner, servicer, f"crew@{servicer}.example", ["technician"], accepts_work=True
        )
    dispatcher = api.member(owner, "acme", "dana@acme.example", ["dispatcher"])
    return {"owner": owner, "dispatcher": dispatcher, "crews": crews, "depot": depot, "yard": yard}


def open_ticket(api, user, **fields):
    response = api.as_(user).post("/tenants/acme/tickets", {"title": "Replace the pump", **fields})
    assert response.status_code == 201, response.json
    return response.json["ticket_id"]


def step(api, user, ticket_id, action, **body):
    return api.as_(user).post(f"/tenants/acme/tickets/{ticket_id}/{action}", body)


def outsource(api, work, ticket_id, servicer="fixit"):
    response = step(api, work["dispatcher"], ticket_id, "outsource", servicer_id=servicer, terms=RATE)
    assert response.status_code == 200, response.json
    return response.json


def test_outsourced_work_from_offer_to_close_billed_at_the_agreed_rate(api, work, bus_observer):
    crew, dispatcher = work["crews"]["fixit"], work["dispatcher"]
    ticket_id = open_ticket(api, dispatcher, location_id=work["depot"])
    offered = outsource(api, work, ticket_id)
    assert offered["status"] == "offered" and offered["terms"] == RATE_OUT

    seen = api.as_(crew).get("/tenants/acme/tickets").json["items"]
    assert [t["ticket_id"] for t in seen] == [ticket_id]
    for action in ("accept", "start"):
        assert step(api, crew, ticket_id, action).status_code == 200
    logged = api.as_(crew).post(
        f"/tenants/acme/tickets/{ticket_id}/time-entries", {"minutes": 90, "work_date": "2026-11-20"}
    )
    assert logged.status_code == 201, logged.json
    assert logged.json["amount_cents"] == 9000 and logged.json["company_id"] == "fixit"
    assert step(api, crew, ticket_id, "complete").status_code == 200
    closed = step(api, dispatcher, ticket_id, "close")

    assert closed.status_code == 200, closed.json
    assert closed.json["status"] == "closed"
    assert (closed.json["logged_minutes"], closed.json["billable_cents"]) == (90, 9000)
    types = [e["detail-type"] for e in bus_observer() if e["source"] == "handoff.tickets"]
    assert types == [
        "TicketCreated",
        "TicketOutsourced",
        "OfferMade",
        "TicketAccepted",
        "OfferAccepted",
        "TicketStarted",
        "TicketTimeLogged",
        "TicketCompleted",
        "TicketClosed",
    ]


def test_a_partner_sees_only_what_is_outsourced_to_it(api, work):
    crew, rival_crew = work["crews"]["fixit"], work["crews"]["brightco"]
    ticket_id = open_ticket(api, work["dispatcher"])
    in_house = open_ticket(api, work["dispatcher"])
    outsource(api, work, ticket_id)

    assert api.as_(crew).get(f"/tenants/acme/tickets/{ticket_id}").status_code == 200
    hidden = api.as_(rival_crew).get(f"/tenants/acme/tickets/{ticket_id}")
    missing = api.as_(rival_crew).get("/tenants/acme/tickets/01JZZZZZZZZZZZZZZZZZZZZZZZ")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_data() == missing.get_data()
    assert api.as_(crew).get(f"/tenants/acme/tickets/{in_house}").status_code == 404
    assert api.as_(rival_crew).get("/tenants/acme/tickets").json["items"] == []
    assert step(api, rival_crew, ticket_id, "accept").status_code == 404


def test_after_a_decline_the_next_partner_sees_nothing_of_the_first(api, work):
    crew, next_crew = work["crews"]["fixit"], work["crews"]["brightco"]
    ticket_id = open_ticket(api, work["dispatcher"])
    outsource(api, work, ticket_id)
    assert step(api, crew, ticket_id, "decline").status_code == 422  # a reason is required
    declined = step(api, crew, ticket_id, "decline", note="No pump fitter this month")
    assert declined.json["status"] == "open"
    assert api.as_(crew).get(f"/tenants/acme/tickets/{ticket_id}").status_code == 404

    outsource(api, work, ticket_id, servicer="brightco")
    assert step(api, next_crew, ticket_id, "accept").status_code == 200
    view = api.as_(next_crew).get(f"/tenants/acme/tickets/{ticket_id}").json
    owner_view = api.as_(work["owner"]).get(f"/tenants/acme/tickets/{ticket_id}").json

    assert "No pump fitter this month" not in str(view) and "fixit" not in str(view)
    assert any(h["note"] == "No pump fitter this month" for h in owner_view["history"])


def test_notes_and_time_stay_with_the_company_that_made_them(api, work):
    crew, dispatcher = work["crews"]["fixit"], work["dispatcher"]
    ticket_id = open_ticket(api, dispatcher)
    outsource(api, work, ticket_id)
    for action in ("accept", "start"):
        step(api, crew, ticket_id, action)
    notes = f"/tenants/acme/tickets/{ticket_id}/notes"
    assert api.as_(dispatcher).post(notes, {"text": "Gate code 4711"}).status_code == 201
    assert api.as_(dispatcher).post(notes, {"text": "Slow payer", "internal": True}).status_code == 201
    assert api.as_(crew).post(notes, {"text": "Seal ordered"}).status_code == 201
    assert api.as_(crew).post(notes, {"text": "Owner is slow", "internal": True}).status_code == 201
    owner_logs = api.as_(dispatcher).post(
        f"/tenants/acme/tickets/{ticket_id}/time-entries", {"minutes": 30, "work_date": "2026-11-20"}
    )

    activity = f"/tenants/acme/tickets/{ticket_id}/activity"
    partner_sees = [
        (a["kind"], a["text"])
        for a in api.as_(crew).get(activity).json["items"]
        if a["kind"] not in ("step", "offer")
    ]
    owner_sees = [
        (a["kind"], a["text"])
        for a in api.as_(dispatcher).get(activity).json["items"]
        if a["kind"] not in ("step", "offer")
    ]
    assert partner_sees == [("note", "Gate code 4711"), ("note", "Seal ordered"), ("note", "Owner is slow")]
    assert owner_sees == [
        ("note", "Gate code 4711"),
        ("note", "Slow payer"),
        ("note", "Seal ordered"),
        ("time", None),
    ]
    ticket = api.as_(dispatcher).get(f"/tenants/acme/tickets/{ticket_id}").json
    assert owner_logs.status_code == 201 and owner_logs.json["amount_cents"] == 0
    assert ticket["logged_minutes"] == 0  # the partner's totals bill the partner's time only


def test_each_side_takes_only_its_own_steps(api, work):
    crew, dispatcher = work["crews"]["fixit"], work["dispatcher"]
    ticket_id = open_ticket(api, dispatcher)
    outsource(api, work, ticket_id)

    # A side that never takes a step is refused (403) before any state is told; a step of the side's own
    # at the wrong moment is 409 (the owner accepts a partner's counter, not its own offer).
    own_offer = step(api, dispatcher, ticket_id, "accept")
    assert own_offer.status_code == 409 and own_offer.json["error"]["code"] == "not_your_turn"
    assert step(api, crew, ticket_id, "complete").status_code == 409  # not started
    assert step(api, crew, ticket_id, "cancel", note="no").status_code == 403
    assert step(api, crew, ticket_id, "accept").status_code == 200
    assert step(api, crew, ticket_id, "accept").status_code == 409
    assert step(api, dispatcher, ticket_id, "start", servicer_id="fixit").status_code == 422
    assert step(api, dispatcher, ticket_id, "fly").status_code == 422


def test_work_of_a_partner_that_needs_approval_waits_for_an_owner_admin(api, work, runtime, bus_observer):
    """The approval gate: a gated partner's completion is pending approval; an owner admin approves (closed)
    or rejects with a reason (in progress again); meanwhile a reminder and an escalation come from the
    approval's Step Functions timer, and an answer stops it."""
    api.as_(work["owner"]).patch("/tenants/acme/servicer-links/fixit", {"require_admin_approval": True})
    crew, dispatcher = work["crews"]["fixit"], work["dispatcher"]
    ticket_id = open_ticket(api, dispatcher)
    outsource(api, work, ticket_id)
    for action in ("accept", "start"):
        assert step(api, crew, ticket_id, action).status_code == 200
    done = step(api, crew, ticket_id, "complete")
    assert done.status_code == 200 and done.json["status"] == "pending_approval"
    assert step(api, dispatcher, ticket_id, "approve").status_code == 403  # admins only
    assert step(api, crew, ticket_id, "approve").status_code == 403  # never the partner
    assert step(api, dispatcher, ticket_id, "close").status_code == 409
    no_reason = step(api, work["owner"], ticket_id, "reject")
    assert no_reason.status_code == 422 and no_reason.json["error"]["details"][0]["field"] == "body.note"
    rejected = step(api, work["owner"], ticket_id, "reject", note="The seal still leaks")
    assert rejected.status_code == 200 and rejected.json["status"] == "in_progress"
    assert step(api, crew, ticket_id, "complete").json["status"] == "pending_approval"
    # Left waiting: the reminder, then the escalation to the owner's admins (a test's deadlines: 1 s, 2 s).
    import time

    deadline = time.monotonic() + 20
    seen: list[str] = []
    while "TicketApprovalEscalated" not in seen:
        assert time.monotonic() < deadline, f"no escalation came: {seen}"
        time.sleep(0.5)
        runtime.pump()
        seen += [
            e["detail-type"]
            for e in bus_observer()
            if e["source"] == "handoff.tickets" and e["detail"]["entity"]["id"] == ticket_id
        ]
    assert seen.count("TicketApprovalReminderDue") == 1 and seen.count("TicketApprovalEscalated") == 1
    approved = step(api, work["owner"], ticket_id, "approve")
    assert approved.status_code == 200 and approved.json["status"] == "closed"
    runtime.pump()


def test_a_restricted_partner_gets_work_only_at_its_approved_locations(api, work):
    owner = api.as_(work["owner"])
    owner.patch("/tenants/acme/servicer-links/fixit", {"restricted_locations": True})
    owner.request("PUT", f"/tenants/acme/servicer-links/fixit/locations/{work['depot']}")
    at_yard = open_ticket(api, work["dispatcher"], location_id=work["yard"])
    at_depot = open_ticket(api, work["dispatcher"], location_id=work["depot"])

    refused = step(api, work["dispatcher"], at_yard, "outsource", servicer_id="fixit", terms=RATE)

    assert refused.status_code == 422 and refused.json["error"]["details"][0]["field"] == "body.servicer_id"
    assert outsource(api, work, at_depot)["servicer_id"] == "fixit"


def test_only_linked_partners_get_work(api, work):
    api.tenant(api.user("owner@stranger.example"), "stranger")
    ticket_id = open_ticket(api, work["dispatcher"])
    for servicer in ("stranger", "nobody"):
        refused = step(api, work["dispatcher"], ticket_id, "outsource", servicer_id=servicer, terms=RATE)
        assert refused.status_code == 422
    missing_terms = step(api, work["dispatcher"], ticket_id, "outsource", servicer_id="fixit")
    assert missing_terms.status_code == 422


def test_what_the_owner_shared_with_one_partner_stays_hidden_from_the_next(api, work):
    crew, next_crew, dispatcher = work["crews"]["fixit"], work["crews"]["brightco"], work["dispatcher"]
    ticket_id = open_ticket(api, dispatcher)
    notes = f"/tenants/acme/tickets/{ticket_id}/notes"
    api.as_(dispatcher).post(notes, {"text": "Before anyone: budget is tight"})
    outsource(api, work, ticket_id)
    api.as_(dispatcher).post(notes, {"text": "For fixit: 10% off agreed"})
    step(api, dispatcher, ticket_id, "withdraw", note="Too slow")
    outsource(api, work, ticket_id, servicer="brightco")
    api.as_(dispatcher).post(notes, {"text": "For brightco: gate code 4711"})

    seen = api.as_(next_crew).get(f"/tenants/acme/tickets/{ticket_id}/activity").json["items"]
    first = api.as_(crew).get(f"/tenants/acme/tickets/{ticket_id}/activity")

    assert [a["text"] for a in seen if a["kind"] == "note"] == ["For brightco: gate code 4711"]
    assert [a["step"] for a in seen if a["kind"] == "step"] == ["outsource"]
    assert first.status_code == 404  # no longer fixit's ticket at all


def test_only_dispatchers_and_admins_commit_the_owner(api, work):
    tech = api.member(work["owner"], "acme", "tess@acme.example", ["technician"])
    ticket_id = open_ticket(api, work["dispatcher"])

    refused = step(api, tech, ticket_id, "outsource", servicer_id="fixit", terms=RATE)
    started = step(api, tech, ticket_id, "start")  # in-house work: technicians do it
    cancelled = step(api, tech, ticket_id, "cancel", note="not needed")

    assert refused.status_code == cancelled.status_code == 403
    assert started.status_code == 200


def test_the_ticket_keeps_its_latest_steps_and_the_activity_keeps_them_all(api, work):
    dispatcher = work["dispatcher"]
    ticket_id = open_ticket(api, dispatcher)
    step(api, dispatcher, ticket_id, "start")
    for _ in range(12):
        assert step(api, dispatcher, ticket_id, "pause").status_code == 200
        assert step(api, dispatcher, ticket_id, "resume").status_code == 200

    ticket = api.as_(dispatcher).get(f"/tenants/acme/tickets/{ticket_id}").json
    trail = api.as_(dispatcher).get(f"/tenants/acme/tickets/{ticket_id}/activity?limit=100").json["items"]

    assert len(ticket["history"]) == 20 and ticket["history"][-1]["step"] == "resume"
    assert [a["step"] for a in trail][:2] == ["create", "start"] and len(trail) == 2 + 24


def test_the_owners_own_time_is_not_shared_with_the_partner(api, work, bus_observer):
    crew, dispatcher = work["crews"]["fixit"], work["dispatcher"]
    ticket_id = open_ticket(api, dispatcher)
    outsource(api, work, ticket_id)
    for action in ("accept", "start"):
        step(api, crew, ticket_id, action)
    entries = f"/tenants/acme/tickets/{ticket_id}/time-entries"
    api.as_(crew).post(entries, {"minutes": 60, "work_date": "2026-11-20"})
    api.as_(dispatcher).post(entries, {"minutes": 15, "work_date": "2026-11-20"})

    logged = [e["detail"] for e in bus_observer() if e["detail-type"] == "TicketTimeLogged"]

    assert [(e["data"]["minutes"], e["shared_with"]) for e in logged] == [(60, ["fixit"]), (15, [])]


def test_a_ticket_is_not_opened_or_moved_to_an_archived_location(api, work):
    admin = api.as_(work["owner"])
    depot = work["depot"]
    assert admin.patch(f"/tenants/acme/locations/{depot}", {"archived": True}).status_code == 200
    opened = admin.post("/tenants/acme/tickets", {"title": "Gate", "location_id": depot})
    assert opened.status_code == 422 and "archived" in opened.json["error"]["details"][0]["reason"]
    ticket = admin.post("/tenants/acme/tickets", {"title": "Gate"}).json["ticket_id"]
    moved = admin.patch(f"/tenants/acme/tickets/{ticket}", {"location_id": depot})
    assert moved.status_code == 422 and moved.json["error"]["details"][0]["field"] == "body.location_id"
