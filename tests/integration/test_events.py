"""The outbox: every committed change puts exactly one event on the bus; a rejected change puts none; a
failing publisher loses nothing."""

from handoff import aws as handoff_aws


def test_a_change_publishes_exactly_one_event(api, bus_observer):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    bus_observer()

    member = api.member(owner, "acme", "tech@acme.example", ["technician"])

    [event] = bus_observer()
    assert event["source"] == "handoff.accounts"
    assert event["detail-type"] == "MemberAdded"
    envelope = event["detail"]
    assert envelope["tenant_id"] == "acme"
    assert envelope["entity"] == {"type": "member", "id": member.user_id}
    assert envelope["version"] == 1
    assert envelope["actor"] == {"kind": "user", "id": owner.user_id, "tenant_id": "acme"}
    assert envelope["envelope_version"] == "1"
    assert envelope["data"]["roles"] == ["technician"]


def test_event_versions_follow_the_entity(api, bus_observer):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    tech = api.member(owner, "acme", "tech@acme.example", ["technician"])
    bus_observer()

    api.as_(owner).patch(f"/tenants/acme/members/{tech.user_id}", {"roles": ["dispatcher"]})
    api.as_(owner).patch(f"/tenants/acme/members/{tech.user_id}", {"active": False})

    assert [(e["detail-type"], e["detail"]["version"]) for e in bus_observer()] == [
        ("MemberChanged", 2),
        ("MemberChanged", 3),
    ]


def test_a_rejected_change_publishes_nothing(api, bus_observer):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    api.member(owner, "acme", "tech@acme.example", ["technician"])
    bus_observer()

    duplicate = api.as_(owner).post(
        "/tenants/acme/members", {"email": "tech@acme.example", "name": "Again", "roles": ["technician"]}
    )
    stale = api.as_(owner).patch("/tenants/acme", {"name": "X"}, headers={"If-Match": '"9"'})

    assert duplicate.status_code == stale.status_code == 409
    assert bus_observer() == []


def test_a_failing_publisher_loses_no_event(api, bus_observer, monkeypatch):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    bus_observer()

    class BusDown:
        def put_events(self, **_):
            raise ConnectionError("the bus is unreachable")

    monkeypatch.setattr(handoff_aws, "events", lambda: BusDown())
    api.member(owner, "acme", "a@acme.example", ["technician"])
    api.member(owner, "acme", "b@acme.example", ["technician"])
    assert bus_observer() == []

    monkeypatch.undo()
    types = [(e["detail-type"], e["detail"]["entity"]["id"]) for e in bus_observer()]
    assert [t for t, _ in types] == ["MemberAdded", "MemberAdded"]
    assert len({i for _, i in types}) == 2
    assert bus_observer() == []
