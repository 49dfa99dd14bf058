"""A partner company's own admin portal: its people (resources), who of them may accept offered work, their
deactivation and their access reset; all in its own instance, none of it reachable by the owner."""

TERMS = {"hourly_rate_cents": 6000, "currency": "EUR"}
RESOURCES = "/tenants/fixit/partner-company/resources"


def test_a_partner_admin_manages_its_people_and_who_accepts_work(api):
    owner, founder = api.user("owner@acme.example"), api.user("owner@fixit.example")
    api.tenant(owner, "acme")
    api.tenant(founder, "fixit")
    api.link(owner, "acme", "fixit")
    admin = api.as_(founder)

    added = admin.post(RESOURCES, {"email": "riley@fixit.example", "name": "Riley"})
    assert added.status_code == 201, added.json
    assert (added.json["roles"], added.json["accepts_work"]) == (["technician"], False)
    riley_id = added.json["user_id"]
    riley = api.user("riley@fixit.example")
    assert riley.user_id == riley_id
    listed = [r["user_id"] for r in admin.get(RESOURCES).json["items"]]
    assert riley_id in listed

    ticket = api.as_(owner).post("/tenants/acme/tickets", {"title": "Pump"}).json["ticket_id"]
    offer = api.as_(owner).post(
        f"/tenants/acme/tickets/{ticket}/offers", {"servicer_id": "fixit", "terms": TERMS}
    )
    accept = f"/tenants/acme/tickets/{ticket}/offers/{offer.json['offer_id']}/accept"
    assert api.as_(riley).post(accept, {}).status_code == 403
    assert api.as_(riley).patch(f"{RESOURCES}/{riley_id}", {"accepts_work": True}).status_code == 403
    allowed = admin.patch(f"{RESOURCES}/{riley_id}", {"accepts_work": True})
    assert allowed.status_code == 200 and allowed.json["accepts_work"] is True
    assert api.as_(riley).post(accept, {}).status_code == 200

    assert admin.post(f"{RESOURCES}/{riley_id}/reset-access").status_code == 202
    assert api.as_(riley).get(f"{RESOURCES}/{riley_id}").status_code == 200  # their own record
    deactivated = admin.patch(f"{RESOURCES}/{riley_id}", {"active": False})
    assert deactivated.status_code == 200 and deactivated.json["active"] is False
    assert api.as_(riley).get(f"/tenants/acme/tickets/{ticket}").status_code == 404  # no way in any more

    # The owner never manages a partner's people, nor does a partner reach the owner's.
    assert api.as_(owner).get(RESOURCES).status_code == 404
    assert api.as_(founder).get("/tenants/acme/partner-company/resources").status_code in (403, 404)
    bad_role = admin.post(RESOURCES, {"email": "x@fixit.example", "name": "X", "roles": ["system_admin"]})
    assert bad_role.status_code == 422


def test_a_revoked_partner_loses_its_offers_and_keeps_reading_its_history(api, runtime, bus_observer):
    owner, founder = api.user("owner@acme.example"), api.user("owner@fixit.example")
    api.tenant(owner, "acme")
    api.tenant(founder, "fixit")
    api.link(owner, "acme", "fixit")
    acme, fixit = api.as_(owner), api.as_(founder)
    done = acme.post("/tenants/acme/tickets", {"title": "Pump"}).json["ticket_id"]
    acme.post(f"/tenants/acme/tickets/{done}/offers", {"servicer_id": "fixit", "terms": TERMS})
    for step in ("accept", "start"):
        assert fixit.post(f"/tenants/acme/tickets/{done}/{step}", {}).status_code == 200
    fixit.post(f"/tenants/acme/tickets/{done}/notes", {"text": "Seal replaced"})
    waiting = acme.post("/tenants/acme/tickets", {"title": "Roof"}).json["ticket_id"]
    offer = acme.post(
        f"/tenants/acme/tickets/{waiting}/offers", {"servicer_id": "fixit", "terms": TERMS}
    ).json

    assert acme.request("DELETE", "/tenants/acme/servicer-links/fixit").status_code == 200
    runtime.pump()

    withdrawn = acme.get(f"/tenants/acme/tickets/{waiting}/offers/{offer['offer_id']}").json
    assert (
        withdrawn["status"] == "withdrawn"
        and withdrawn["answer"]["note"] == "the link to this partner was revoked"
    )
    assert acme.get(f"/tenants/acme/tickets/{waiting}").json["status"] == "open"
    assert "OfferWithdrawn" in [e["detail-type"] for e in bus_observer()]
    # Read-only history: what it worked on, its activity; no step, note or time any more.
    assert fixit.get(f"/tenants/acme/tickets/{done}").status_code == 200
    notes = [a["text"] for a in fixit.get(f"/tenants/acme/tickets/{done}/activity").json["items"]]
    assert "Seal replaced" in notes
    refused = fixit.post(f"/tenants/acme/tickets/{done}/notes", {"text": "Still here"})
    assert refused.status_code == 404  # beyond reading its history, nothing of acme is there for it
    assert fixit.post(f"/tenants/acme/tickets/{done}/pause", {}).status_code == 404
    assert fixit.get("/tenants/acme/locations").status_code == 404
    assert fixit.get(f"/tenants/acme/tickets/{waiting}").status_code == 404  # no longer offered to it
