"""Servicer links: a contractor's instance working inside a system owner's instance, within the flags."""

import boto3
import pytest
from boto3.dynamodb.conditions import Key

from handoff import keys


@pytest.fixture
def world(api):
    """acme (owner) with two locations; fixit (contractor) with a technician; rival, another owner."""
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    depot = api.as_(owner).post("/tenants/acme/locations", {"name": "Depot"}).json["location_id"]
    plant = api.as_(owner).post("/tenants/acme/locations", {"name": "Plant"}).json["location_id"]
    fixit_owner = api.user("owner@fixit.example")
    api.tenant(fixit_owner, "fixit")
    tech = api.member(fixit_owner, "fixit", "tech@fixit.example", ["technician"])
    rival = api.user("owner@rival.example")
    api.tenant(rival, "rival")
    api.as_(rival).post("/tenants/rival/locations", {"name": "Rival Site"})
    return {
        "owner": owner,
        "tech": tech,
        "fixit_owner": fixit_owner,
        "rival": rival,
        "depot": depot,
        "plant": plant,
    }


def link(api, world, **flags):
    """acme invites fixit; fixit's system admin accepts."""
    return api.link(world["owner"], "acme", "fixit", **flags)


def location_names(response):
    assert response.status_code == 200, response.json
    return [item["name"] for item in response.json["items"]]


def test_a_link_defaults_every_flag_to_off(api, world):
    created = link(api, world)

    assert created["status"] == "active" and created["invited_until"] is None
    assert not any(
        created[f]
        for f in (
            "can_manage_locations",
            "restricted_locations",
            "require_admin_approval",
            "preferred_vendor",
        )
    )
    assert [h["change"] for h in created["history"]] == ["invited", "invitation_accepted"]
    assert created["history"][0]["by"] == world["owner"].user_id
    assert created["history"][1]["by"] == world["fixit_owner"].user_id


def test_only_the_owners_system_admin_links(api, world):
    admin = api.member(world["owner"], "acme", "admin@acme.example", ["admin"])

    response = api.as_(admin).post("/tenants/acme/servicer-links", {"servicer_id": "fixit"})

    assert response.status_code == 403
    assert api.as_(admin).get("/tenants/acme/servicer-links").status_code == 403


def test_linking_itself_or_twice_is_refused_and_an_unknown_id_answers_like_a_known_one(api, world):
    link(api, world)
    owner = api.as_(world["owner"])

    itself = owner.post("/tenants/acme/servicer-links", {"servicer_id": "acme"})
    twice = owner.post("/tenants/acme/servicer-links", {"servicer_id": "fixit"})
    nobody = owner.post("/tenants/acme/servicer-links", {"servicer_id": "no-such-instance"})
    somebody = owner.post("/tenants/acme/servicer-links", {"servicer_id": "rival"})

    assert (itself.status_code, twice.status_code) == (422, 409)
    assert itself.json["error"]["details"][0]["field"] == "body.servicer_id"
    assert twice.json["error"]["code"] == "already_linked"
    # Whether an instance exists is not told: both are invitations, alike but for their id.
    assert nobody.status_code == somebody.status_code == 201

    def shape(body):
        return {
            k: v
            for k, v in body.items()
            if k not in ("servicer_id", "created_at", "updated_at", "history", "invited_until")
        }

    assert shape(nobody.json) == shape(somebody.json) and nobody.json["status"] == "invited"


def test_a_contractor_sees_every_location_without_restriction(api, world):
    link(api, world)

    assert location_names(api.as_(world["tech"]).get("/tenants/acme/locations")) == ["Depot", "Plant"]
    assert api.as_(world["tech"]).get(f"/tenants/acme/locations/{world['plant']}").status_code == 200
    assert api.as_(world["tech"]).get("/tenants/acme").status_code == 200


def test_a_restricted_contractor_sees_only_granted_locations(api, world):
    link(api, world, restricted_locations=True)
    granted = api.as_(world["owner"]).request(
        "PUT", f"/tenants/acme/servicer-links/fixit/locations/{world['depot']}"
    )
    tech = api.as_(world["tech"])

    assert granted.status_code == 200 and granted.json["approved_location_ids"] == [world["depot"]]
    assert location_names(tech.get("/tenants/acme/locations")) == ["Depot"]
    assert tech.get(f"/tenants/acme/locations/{world['depot']}").status_code == 200
    hidden = tech.get(f"/tenants/acme/locations/{world['plant']}")
    assert hidden.status_code == 404
    assert hidden.json == tech.get("/tenants/acme/locations/01JZZZZZZZZZZZZZZZZZZZZZZZ").json


def test_taking_a_location_back_hides_it_again(api, world):
    link(api, world, restricted_locations=True)
    path = f"/tenants/acme/servicer-links/fixit/locations/{world['depot']}"
    api.as_(world["owner"]).request("PUT", path)

    assert api.as_(world["owner"]).request("DELETE", path).status_code == 200
    assert location_names(api.as_(world["tech"]).get("/tenants/acme/locations")) == []
    assert api.as_(world["owner"]).request("DELETE", path).status_code == 404


def test_granting_an_unknown_location_is_not_found(api, world):
    link(api, world, restricted_locations=True)

    response = api.as_(world["owner"]).request(
        "PUT", "/tenants/acme/servicer-links/fixit/locations/01JZZZZZZZZZZZZZZZZZZZZZZZ"
    )

    assert response.status_code == 404


def test_creating_locations_needs_can_manage_locations(api, world):
    link(api, world)
    tech = api.as_(world["tech"])

    refused = tech.post("/tenants/acme/locations", {"name": "Contractor Site"})
    api.as_(world["owner"]).patch("/tenants/acme/servicer-links/fixit", {"can_manage_locations": True})
    allowed = tech.post("/tenants/acme/locations", {"name": "Contractor Site"})
    edited = tech.patch(f"/tenants/acme/locations/{world['depot']}", {"notes": "key at reception"})

    assert refused.status_code == 403
    assert allowed.status_code == 201
    assert edited.status_code == 200


def test_a_restricted_contractor_sees_what_it_creates(api, world):
    link(api, world, restricted_locations=True, can_manage_locations=True)

    created = api.as_(world["tech"]).post("/tenants/acme/locations", {"name": "Contractor Site"}).json

    assert location_names(api.as_(world["tech"]).get("/tenants/acme/locations")) == ["Contractor Site"]
    history = api.as_(world["owner"]).get("/tenants/acme/servicer-links/fixit").json["history"]
    assert (
        history[-1]["change"] == "location_granted" and history[-1]["location_id"] == created["location_id"]
    )


def test_a_contractor_never_reaches_owner_only_routes(api, world):
    link(api, world, can_manage_locations=True)
    tech = api.as_(world["tech"])

    for path in (
        "/tenants/acme/members",
        "/tenants/acme/servicer-links",
        "/tenants/acme/webhook-subscriptions",
    ):
        assert tech.get(path).status_code == 403, path


def test_a_suspended_link_blocks_at_once_and_resumes(api, world):
    link(api, world)
    owner = api.as_(world["owner"])

    owner.patch("/tenants/acme/servicer-links/fixit", {"status": "suspended"})
    blocked = [
        api.as_(world["tech"]).get(p)
        for p in ("/tenants/acme", "/tenants/acme/locations", f"/tenants/acme/locations/{world['depot']}")
    ]
    owner.patch("/tenants/acme/servicer-links/fixit", {"status": "active"})

    assert {r.status_code for r in blocked} == {403}
    assert {r.json["error"]["code"] for r in blocked} == {"link_suspended"}
    assert api.as_(world["tech"]).get("/tenants/acme/locations").status_code == 200


def test_a_revoked_link_ends_access_and_keeps_its_history(api, world):
    link(api, world, preferred_vendor=True)
    owner = api.as_(world["owner"])
    owner.patch("/tenants/acme/servicer-links/fixit", {"require_admin_approval": True})

    revoked = owner.request("DELETE", "/tenants/acme/servicer-links/fixit")
    tech = api.as_(world["tech"])

    assert revoked.status_code == 200 and revoked.json["status"] == "revoked"
    assert tech.get("/tenants/acme/locations").status_code == 404
    assert tech.get("/tenants/acme").json == tech.get("/tenants/no-such").json
    history = owner.get("/tenants/acme/servicer-links/fixit").json["history"]
    assert [h["change"] for h in history] == ["invited", "invitation_accepted", "flags_changed", "revoked"]
    assert (
        history[0]["flags"]["preferred_vendor"] is True
        and history[2]["flags"]["require_admin_approval"] is True
    )
    assert owner.patch("/tenants/acme/servicer-links/fixit", {"status": "active"}).status_code == 409
    assert owner.request("DELETE", "/tenants/acme/servicer-links/fixit").status_code == 409


def test_linking_again_after_a_revocation_continues_the_history(api, world):
    link(api, world)
    api.as_(world["owner"]).request("DELETE", "/tenants/acme/servicer-links/fixit")

    again = link(api, world)

    assert [h["change"] for h in again["history"]] == [
        "invited",
        "invitation_accepted",
        "revoked",
        "invited",
        "invitation_accepted",
    ]
    assert api.as_(world["tech"]).get("/tenants/acme/locations").status_code == 200


def test_a_contractor_reaches_no_owner_it_is_not_linked_to(api, world):
    link(api, world)

    response = api.as_(world["tech"]).get("/tenants/rival/locations")

    assert response.status_code == 404
    assert response.json == api.as_(world["tech"]).get("/tenants/no-such/locations").json


def test_a_customer_of_the_contractor_does_not_ride_the_link(api, world):
    link(api, world)
    customer = api.member(world["fixit_owner"], "fixit", "client@fixit.example", ["customer"])

    assert api.as_(customer).get("/tenants/acme/locations").status_code == 404


def test_an_inactive_contractor_member_loses_the_link_too(api, world):
    link(api, world)
    api.as_(world["fixit_owner"]).patch(f"/tenants/fixit/members/{world['tech'].user_id}", {"active": False})

    assert api.as_(world["tech"]).get("/tenants/acme/locations").status_code == 404


def test_me_and_linked_owners_show_where_the_contractor_works(api, world):
    link(api, world, can_manage_locations=True)

    places = api.as_(world["tech"]).get("/me").json["places"]
    owners = api.as_(world["tech"]).get("/tenants/fixit/linked-owners").json["items"]

    assert {(p["kind"], p["tenant_id"], p.get("via_servicer")) for p in places} == {
        ("member", "fixit", None),
        ("servicer", "acme", "fixit"),
    }
    assert [(o["owner_id"], o["status"], o["can_manage_locations"]) for o in owners] == [
        ("acme", "active", True)
    ]


def test_revoked_links_leave_me_and_linked_owners(api, world):
    link(api, world)
    api.as_(world["owner"]).request("DELETE", "/tenants/acme/servicer-links/fixit")

    assert [p["kind"] for p in api.as_(world["tech"]).get("/me").json["places"]] == ["member"]
    assert api.as_(world["tech"]).get("/tenants/fixit/linked-owners").json["items"] == []


def test_every_link_change_is_audited(api, world, aws_env):
    link(api, world)
    api.as_(world["owner"]).patch("/tenants/acme/servicer-links/fixit", {"status": "suspended"})
    api.as_(world["owner"]).request("DELETE", "/tenants/acme/servicer-links/fixit")

    audit = (
        boto3.resource("dynamodb")
        .Table(aws_env.refs["Table"])
        .query(KeyConditionExpression=Key("PK").eq(keys.audit("acme", "x")[0]))["Items"]
    )
    assert [a["action"] for a in audit] == [
        "servicer_link.invited",
        "servicer_link.invitation_accepted",
        "servicer_link.suspended",
        "servicer_link.revoked",
    ]


def test_link_changes_are_events_on_the_bus(api, world, bus_observer):
    link(api, world)
    api.as_(world["owner"]).patch("/tenants/acme/servicer-links/fixit", {"status": "suspended"})
    api.as_(world["owner"]).request("DELETE", "/tenants/acme/servicer-links/fixit")

    events = [(e["source"], e["detail-type"], e["detail"]["entity"]["id"]) for e in bus_observer()]

    assert [e for e in events if e[0] == "handoff.links"][-4:] == [
        ("handoff.links", "ServicerInvited", "fixit"),
        ("handoff.links", "ServicerInvitationAccepted", "fixit"),
        ("handoff.links", "ServicerLinkSuspended", "fixit"),
        ("handoff.links", "ServicerLinkRevoked", "fixit"),
    ]


def test_nothing_of_the_owner_reaches_an_invited_instance_until_its_system_admin_accepts(api, world, runtime):
    owner = api.as_(world["owner"])
    invited = owner.post("/tenants/acme/servicer-links", {"servicer_id": "fixit"})
    assert invited.status_code == 201 and invited.json["status"] == "invited"
    ticket = owner.post("/tenants/acme/tickets", {"title": "Pump"}).json["ticket_id"]
    terms = {"hourly_rate_cents": 5000, "currency": "EUR"}
    refused = owner.post(
        f"/tenants/acme/tickets/{ticket}/outsource", {"servicer_id": "fixit", "terms": terms}
    )
    assert refused.status_code == 422  # not an actively linked partner: nothing lands in fixit's board
    tech = api.as_(world["tech"])
    assert tech.get("/tenants/acme/locations").status_code == 404
    assert [p["tenant_id"] for p in tech.get("/me").json["places"]] == ["fixit"]
    # fixit's technician cannot answer for it; its system admin sees and answers the invitation.
    assert tech.get("/tenants/fixit/servicer-invitations").status_code == 403
    assert tech.post("/tenants/fixit/servicer-invitations/acme/accept", {}).status_code == 403
    fixit = api.as_(world["fixit_owner"])
    [waiting] = fixit.get("/tenants/fixit/servicer-invitations").json["items"]
    assert waiting["owner_id"] == "acme" and waiting["status"] == "invited" and waiting["invited_until"]
    # Another instance cannot answer an invitation that is not its own.
    assert (
        api.as_(world["rival"]).post("/tenants/rival/servicer-invitations/acme/accept", {}).status_code == 404
    )
    accepted = fixit.post("/tenants/fixit/servicer-invitations/acme/accept", {})
    assert accepted.status_code == 200 and accepted.json["status"] == "active"
    assert fixit.get("/tenants/fixit/servicer-invitations").json["items"] == []
    assert fixit.post("/tenants/fixit/servicer-invitations/acme/accept", {}).status_code == 404
    assert tech.get("/tenants/acme/locations").status_code == 200
    assert "acme" in [p["tenant_id"] for p in tech.get("/me").json["places"]]
    runtime.pump()


def test_a_declined_or_withdrawn_invitation_opens_nothing_and_may_be_sent_again(api, world):
    owner = api.as_(world["owner"])
    fixit = api.as_(world["fixit_owner"])
    owner.post("/tenants/acme/servicer-links", {"servicer_id": "fixit"})
    declined = fixit.post("/tenants/fixit/servicer-invitations/acme/decline", {})
    assert declined.status_code == 200 and declined.json["status"] == "declined"
    assert api.as_(world["tech"]).get("/tenants/acme/locations").status_code == 404
    assert owner.get("/tenants/acme/servicer-links/fixit").json["status"] == "declined"
    again = owner.post("/tenants/acme/servicer-links", {"servicer_id": "fixit"})
    assert again.status_code == 201 and again.json["status"] == "invited"
    withdrawn = owner.request("DELETE", "/tenants/acme/servicer-links/fixit")
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "revoked"
    assert fixit.post("/tenants/fixit/servicer-invitations/acme/accept", {}).status_code == 404


def test_an_unanswered_invitation_expires_after_the_tenants_lifetime(api, world, runtime):
    """The tenant's invitation lifetime is in days; the tests' day lasts a second (INVITATION_DAY_SECONDS)."""
    owner = api.as_(world["owner"])
    assert owner.patch("/tenants/acme", {"invitation_ttl_days": 2}).json["invitation_ttl_days"] == 2
    owner.post("/tenants/acme/servicer-links", {"servicer_id": "fixit"})
    runtime.pump()  # the committed ServicerInvited starts its timer
    import time

    deadline = time.monotonic() + 20
    while owner.get("/tenants/acme/servicer-links/fixit").json["status"] == "invited":
        assert time.monotonic() < deadline, "the invitation never expired"
        time.sleep(0.5)
        runtime.pump()
    link_now = owner.get("/tenants/acme/servicer-links/fixit").json
    assert link_now["status"] == "expired" and link_now["history"][-1]["change"] == "invitation_expired"
    assert (
        api.as_(world["fixit_owner"]).post("/tenants/fixit/servicer-invitations/acme/accept", {}).status_code
        == 404
    )


def test_an_invitation_to_an_id_nobody_held_is_not_for_whoever_registers_it_later(api, world):
    owner = api.as_(world["owner"])
    assert owner.post("/tenants/acme/servicer-links", {"servicer_id": "latecomer"}).status_code == 201
    squatter = api.user("owner@latecomer.example")
    api.tenant(squatter, "latecomer")
    squatting = api.as_(squatter)
    assert squatting.post("/tenants/latecomer/servicer-invitations/acme/accept", {}).status_code == 404
    assert owner.get("/tenants/acme/servicer-links/latecomer").json["status"] == "invited"
