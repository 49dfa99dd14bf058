"""Signed updates from a partner's system: verified like the webhooks we send, applied through the ticket's
own rules, each message once; a forged, stale or replayed one changes nothing."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from security.harness import writes_so_far
from standardwebhooks.webhooks import Webhook

from handoff.ids import new_id

RATE = {"hourly_rate_cents": 6000, "currency": "EUR"}
INBOUND = "/tenants/acme/inbound/partner-updates"


@pytest.fixture
def acme(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    admin = api.as_(owner)
    crews = {}
    for servicer in ("fixit", "brightco"):
        servicer_owner = api.user(f"owner@{servicer}.example")
        api.tenant(servicer_owner, servicer)
        api.link(owner, "acme", servicer)
        crews[servicer] = api.member(
            servicer_owner, servicer, f"crew@{servicer}.example", ["technician"], accepts_work=True
        )
    ticket_id = admin.post("/tenants/acme/tickets", {"title": "Replace the pump"}).json["ticket_id"]
    admin.post(f"/tenants/acme/tickets/{ticket_id}/outsource", {"servicer_id": "fixit", "terms": RATE})
    api.as_(crews["fixit"]).post(f"/tenants/acme/tickets/{ticket_id}/accept", {})
    secret = rotate(api, owner, "fixit").json["secret"]
    return {"owner": owner, "ticket_id": ticket_id, "secret": secret, "crews": crews}


def rotate(api, owner, servicer, **body):
    return api.as_(owner).post(f"/tenants/acme/servicer-links/{servicer}/inbound-secret", body)


def signed(secret, body, *, message_id=None, at=None):
    """What a partner's system sends: the body and its Standard Webhooks headers (signed with the library)."""
    text = json.dumps(body)
    message_id = message_id or f"msg_{new_id()}"
    at = at or datetime.now(UTC)
    signature = Webhook(secret).sign(message_id, at, text)
    headers = {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
        "Content-Type": "application/json",
    }
    return {"data": text, "headers": headers}


def post(api, request):
    return api.as_(None).request("POST", INBOUND, **request)


def update(acme, **fields):
    return {"partner_id": "fixit", "ticket_id": acme["ticket_id"], **fields}


def test_a_signed_update_goes_through_the_ticket_rules(api, acme, bus_observer):
    body = update(
        acme,
        status="in_progress",
        time_entries=[{"minutes": 45, "work_date": "2026-11-20", "note": "Drained the tank"}],
        notes=["Pump seized; replacing"],
    )

    response = post(api, signed(acme["secret"], body))

    assert response.status_code == 200, response.json
    assert response.json["applied"] == ["start", "time", "note"]
    ticket = api.as_(acme["owner"]).get(f"/tenants/acme/tickets/{acme['ticket_id']}").json
    assert (ticket["status"], ticket["logged_minutes"], ticket["billable_cents"]) == ("in_progress", 45, 4500)
    events = [e for e in bus_observer() if e["source"] == "handoff.tickets"]
    mine = [e for e in events if e["detail"]["actor"]["kind"] == "partner_system"]
    assert [e["detail-type"] for e in mine] == ["TicketStarted", "TicketTimeLogged", "TicketNoteAdded"]
    assert {e["detail"]["actor"]["id"] for e in mine} == {"fixit"}


def test_an_illegal_status_is_refused_like_in_the_api(api, acme):
    refused = post(api, signed(acme["secret"], update(acme, status="closed")))
    assert refused.status_code == 409


@pytest.mark.parametrize(
    "tamper",
    [
        "forged",
        "stale",
        "future",
        "unsigned",
        "huge-timestamp",
        "odd-timestamp",
        "other-partner-claim",
        "no-secret-partner",
        "bearer-only",
    ],
)
def test_a_bad_message_is_rejected_and_changes_nothing(api, aws_env, acme, tamper):
    body = update(acme, status="in_progress")
    request = signed(acme["secret"], body)
    if tamper == "forged":
        request = signed("whsec_" + "QUJD" * 8, body)
    elif tamper == "stale":
        request = signed(acme["secret"], body, at=datetime.now(UTC) - timedelta(minutes=6))
    elif tamper == "future":
        request = signed(acme["secret"], body, at=datetime.now(UTC) + timedelta(minutes=6))
    elif tamper == "unsigned":
        request["headers"].pop("webhook-signature")
    elif tamper == "huge-timestamp":
        request["headers"]["webhook-timestamp"] = "9" * 400
    elif tamper == "odd-timestamp":  # int() would read it; the signed string is the header as sent
        request["headers"]["webhook-timestamp"] = " +" + request["headers"]["webhook-timestamp"]
    elif tamper == "other-partner-claim":  # fixit's secret, brightco's name
        request = signed(acme["secret"], {**body, "partner_id": "brightco"})
    elif tamper == "no-secret-partner":
        request["data"] = json.dumps({**body, "partner_id": "brightco"})
    before = writes_so_far(aws_env)

    bearer = api.as_(acme["owner"])
    response = bearer.post(INBOUND, body) if tamper == "bearer-only" else post(api, request)

    assert response.status_code == 401, response.json
    assert writes_so_far(aws_env) == before


def test_a_replayed_message_is_rejected_and_changes_nothing(api, aws_env, acme):
    first = signed(acme["secret"], update(acme, notes=["On site"]))
    assert post(api, first).status_code == 200
    before = writes_so_far(aws_env)

    replayed = post(api, first)
    replayed_with_new_time = post(
        api,
        signed(acme["secret"], update(acme, notes=["On site"]), message_id=first["headers"]["webhook-id"]),
    )

    assert replayed.status_code == replayed_with_new_time.status_code == 409
    assert replayed.json["error"]["code"] == "replayed_message"
    assert writes_so_far(aws_env) == before


def test_a_failed_update_does_not_spend_its_message_id(api, acme):
    message_id = f"msg_{new_id()}"
    too_early = signed(acme["secret"], update(acme, status="completed"), message_id=message_id)
    assert post(api, too_early).status_code == 409
    retried = signed(acme["secret"], update(acme, status="in_progress"), message_id=message_id)
    assert post(api, retried).status_code == 200


def test_a_partner_reaches_only_its_own_tickets(api, acme):
    secret = rotate(api, acme["owner"], "brightco").json["secret"]
    body = {"partner_id": "brightco", "ticket_id": acme["ticket_id"], "notes": ["hello"]}
    missing = {**body, "ticket_id": "01JZZZZZZZZZZZZZZZZZZZZZZZ"}

    theirs = post(api, signed(secret, body))
    nothing = post(api, signed(secret, missing))

    assert theirs.status_code == nothing.status_code == 404
    assert theirs.get_data() == nothing.get_data()


def test_rotation_keeps_the_old_secret_for_the_overlap_only(api, acme):
    fresh = rotate(api, acme["owner"], "fixit", overlap_seconds=3600).json
    assert fresh["previous_secret_expires_at"] is not None
    assert post(api, signed(acme["secret"], update(acme, notes=["old key"]))).status_code == 200
    assert post(api, signed(fresh["secret"], update(acme, notes=["new key"]))).status_code == 200

    newest = rotate(api, acme["owner"], "fixit", overlap_seconds=0).json
    assert post(api, signed(fresh["secret"], update(acme, notes=["old key"]))).status_code == 401
    assert post(api, signed(newest["secret"], update(acme, notes=["new key"]))).status_code == 200


def test_a_suspended_partner_cannot_post_and_a_revoked_one_loses_its_secret(api, acme):
    owner = api.as_(acme["owner"])
    owner.patch("/tenants/acme/servicer-links/fixit", {"status": "suspended"})
    suspended = post(api, signed(acme["secret"], update(acme, notes=["x"])))
    owner.request("DELETE", "/tenants/acme/servicer-links/fixit")
    revoked = post(api, signed(acme["secret"], update(acme, notes=["x"])))
    owner.post("/tenants/acme/servicer-links", {"servicer_id": "fixit"})
    relinked_with_the_old_secret = post(api, signed(acme["secret"], update(acme, notes=["x"])))

    assert suspended.status_code == 403
    assert revoked.status_code == relinked_with_the_old_secret.status_code == 401


def test_a_partner_system_declines_with_a_reason(api, acme):
    owner = api.as_(acme["owner"])
    ticket_id = owner.post("/tenants/acme/tickets", {"title": "Gutter"}).json["ticket_id"]
    owner.post(f"/tenants/acme/tickets/{ticket_id}/outsource", {"servicer_id": "fixit", "terms": RATE})
    offer = {"partner_id": "fixit", "ticket_id": ticket_id, "status": "open"}

    without_reason = post(api, signed(acme["secret"], offer))
    with_notes = post(api, signed(acme["secret"], {**offer, "reason": "No crew", "notes": ["x"]}))
    declined = post(api, signed(acme["secret"], {**offer, "reason": "No crew this month"}))

    assert (without_reason.status_code, with_notes.status_code) == (422, 422)
    assert declined.status_code == 200 and declined.json["status"] == "open"
    history = owner.get(f"/tenants/acme/tickets/{ticket_id}").json["history"]
    assert history[-1]["note"] == "No crew this month"


def test_only_a_system_admin_issues_inbound_secrets(api, acme):
    dispatcher = api.member(acme["owner"], "acme", "dana@acme.example", ["dispatcher"])
    assert (
        api.as_(dispatcher).post("/tenants/acme/servicer-links/fixit/inbound-secret", {}).status_code == 403
    )
    assert rotate(api, acme["owner"], "stranger").status_code == 404


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"version": 99}, "body.version"),
        ({"notes": ["x"] * 21}, "body.notes"),
        ({"time_entries": [{"minutes": 0, "work_date": "2026-11-20"}]}, "body.time_entries.0.minutes"),
        ({"status": "flying"}, "body.status"),
        ({"ticket_id": "A" * 3000}, "body.ticket_id"),
    ],
)
def test_a_signed_but_invalid_update_is_422_and_changes_nothing(api, aws_env, acme, extra, field):
    before = writes_so_far(aws_env)
    response = post(api, signed(acme["secret"], update(acme, notes=["ok"]) | extra))

    assert response.status_code == 422, response.json
    assert field in [d["field"] for d in response.json["error"]["details"]]
    assert writes_so_far(aws_env) == before


def test_an_update_costs_one_read_and_one_write_and_a_forgery_one_read(api, acme, calls):
    calls.clear()
    assert (
        post(api, signed(acme["secret"], update(acme, status="in_progress", notes=["x"]))).status_code == 200
    )
    applied = dict(calls)
    calls.clear()
    assert post(api, signed("whsec_" + "QUJD" * 8, update(acme, notes=["x"]))).status_code == 401

    # secret, link, replay marker and ticket in one BatchGetItem; ticket, entries, marker, events in one write
    assert applied == {"BatchGetItem": 1, "TransactWriteItems": 1}
    assert dict(calls) == {"BatchGetItem": 1}
