"""Partner webhooks on the local stack: subscriptions, signed deliveries, retries, rotation, 410."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError


class Receiver:
    """A partner's endpoint on 127.0.0.1 that answers with the statuses it is told to, then 200."""

    def __init__(self):
        self.requests = []
        self.statuses = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                receiver.requests.append(
                    {"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                )
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def close(self):
        self.server.shutdown()


@pytest.fixture
def receiver():
    endpoint = Receiver()
    yield endpoint
    endpoint.close()


@pytest.fixture
def acme(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    return owner


def subscribe(api, owner, url, event_types=("MemberAdded",)):
    response = api.as_(owner).post(
        "/tenants/acme/webhook-subscriptions", {"url": url, "event_types": list(event_types)}
    )
    assert response.status_code == 201, response.json
    return response.json


def verify(secret, request):
    return Webhook(secret).verify(request["body"], request["headers"])


def deliveries(api, owner, subscription_id):
    response = api.as_(owner).get(f"/tenants/acme/webhook-subscriptions/{subscription_id}/deliveries")
    assert response.status_code == 200
    return response.json["items"]


def test_a_change_is_delivered_once_and_signed(api, acme, runtime, receiver):
    subscription = subscribe(api, acme, receiver.url)

    member = api.member(acme, "acme", "tech@acme.example", ["technician"])
    runtime.pump()

    [request] = receiver.requests
    payload = verify(subscription["secret"], request)
    assert payload["type"] == "MemberAdded"
    assert payload["data"]["entity"]["id"] == member.user_id
    assert payload["data"]["actor"]["id"] == acme.user_id
    assert request["headers"]["webhook-id"] == payload["data"]["id"]
    [delivery] = deliveries(api, acme, subscription["subscription_id"])
    assert (delivery["status"], delivery["attempts"], delivery["last_status_code"]) == ("succeeded", 1, 200)


def test_a_subscription_names_event_types_that_exist(api, acme, receiver):
    response = api.as_(acme).post(
        "/tenants/acme/webhook-subscriptions",
        {"url": receiver.url, "event_types": ["MemberAdded", "MemberAddedd"]},
    )
    assert response.status_code == 422
    [detail] = response.json["error"]["details"]
    assert detail["field"] == "body.event_types.1" and "MemberAddedd" in detail["reason"]
    assert subscribe(api, acme, receiver.url, ["*"])["event_types"] == ["*"]


def test_the_secret_is_shown_once(api, acme, receiver):
    subscription = subscribe(api, acme, receiver.url)

    read = api.as_(acme).get(f"/tenants/acme/webhook-subscriptions/{subscription['subscription_id']}").json
    listed = api.as_(acme).get("/tenants/acme/webhook-subscriptions").json["items"]

    assert subscription["secret"].startswith("whsec_")
    assert "secret" not in read and all("secret" not in s for s in listed)


def test_only_subscribed_event_types_are_delivered(api, acme, runtime, receiver):
    subscribe(api, acme, receiver.url, ["TenantUpdated"])

    api.member(acme, "acme", "tech@acme.example", ["technician"])
    api.as_(acme).patch("/tenants/acme", {"name": "Acme 2"})
    runtime.pump()

    assert [json.loads(r["body"])["type"] for r in receiver.requests] == ["TenantUpdated"]


def test_a_receiver_failing_twice_gets_three_attempts_and_one_success(api, acme, runtime, receiver):
    subscription = subscribe(api, acme, receiver.url)
    receiver.statuses = [500, 503]

    api.member(acme, "acme", "tech@acme.example", ["technician"])
    runtime.pump()

    assert len(receiver.requests) == 3
    assert len({r["headers"]["webhook-id"] for r in receiver.requests}) == 1
    [delivery] = deliveries(api, acme, subscription["subscription_id"])
    assert (delivery["status"], delivery["attempts"], delivery["last_status_code"]) == ("succeeded", 3, 200)


def test_rotation_sends_both_signatures_during_the_overlap(api, acme, runtime, receiver):
    subscription = subscribe(api, acme, receiver.url)
    rotated = api.as_(acme).post(
        f"/tenants/acme/webhook-subscriptions/{subscription['subscription_id']}/rotate-secret",
        {"overlap_seconds": 3600},
    )
    assert rotated.status_code == 200
    assert rotated.json["secret"] != subscription["secret"]

    api.member(acme, "acme", "tech@acme.example", ["technician"])
    runtime.pump()

    [request] = receiver.requests
    assert len(request["headers"]["webhook-signature"].split(" ")) == 2
    assert verify(subscription["secret"], request)["type"] == "MemberAdded"
    assert verify(rotated.json["secret"], request)["type"] == "MemberAdded"


def test_rotation_without_overlap_revokes_the_old_secret(api, acme, runtime, receiver):
    subscription = subscribe(api, acme, receiver.url)
    path = f"/tenants/acme/webhook-subscriptions/{subscription['subscription_id']}/rotate-secret"
    rotated = api.as_(acme).post(path, {"overlap_seconds": 0}).json

    api.member(acme, "acme", "tech@acme.example", ["technician"])
    runtime.pump()

    [request] = receiver.requests
    assert verify(rotated["secret"], request)
    with pytest.raises(WebhookVerificationError):
        verify(subscription["secret"], request)


def test_410_disables_the_subscription(api, acme, runtime, receiver):
    subscription = subscribe(api, acme, receiver.url)
    receiver.statuses = [410]

    api.member(acme, "acme", "a@acme.example", ["technician"])
    runtime.pump()
    api.member(acme, "acme", "b@acme.example", ["technician"])
    runtime.pump()

    assert len(receiver.requests) == 1
    read = api.as_(acme).get(f"/tenants/acme/webhook-subscriptions/{subscription['subscription_id']}").json
    assert read["enabled"] is False and "410" in read["disabled_reason"]
    assert deliveries(api, acme, subscription["subscription_id"])[0]["status"] == "gone"


def test_after_the_last_retry_the_delivery_fails_into_the_dead_letter_queue(
    api, acme, runtime, receiver, aws_env
):
    import boto3

    subscription = subscribe(api, acme, receiver.url)
    receiver.statuses = [500] * 8

    api.member(acme, "acme", "tech@acme.example", ["technician"])
    runtime.pump()

    assert len(receiver.requests) == 8  # the first attempt and seven retries
    [delivery] = deliveries(api, acme, subscription["subscription_id"])
    assert (delivery["status"], delivery["attempts"]) == ("failed", 8)
    dead = boto3.client("sqs").receive_message(QueueUrl=aws_env.refs["WebhookDeadLetterQueue"])["Messages"]
    assert json.loads(dead[0]["Body"])["delivery_id"] == delivery["delivery_id"]


def test_a_settled_delivery_can_be_sent_again(api, acme, runtime, receiver):
    subscription = subscribe(api, acme, receiver.url)
    receiver.statuses = [500] * 8
    api.member(acme, "acme", "tech@acme.example", ["technician"])
    runtime.pump()
    [failed] = deliveries(api, acme, subscription["subscription_id"])

    base = f"/tenants/acme/webhook-subscriptions/{subscription['subscription_id']}/deliveries"
    response = api.as_(acme).post(f"{base}/{failed['delivery_id']}/redeliver")
    runtime.pump()

    assert response.status_code == 202
    assert receiver.requests[-1]["headers"]["webhook-id"] == failed["event_id"]
    [again] = deliveries(api, acme, subscription["subscription_id"])
    assert (again["status"], again["attempts"]) == ("succeeded", 9)
    assert api.as_(acme).post(f"{base}/01JZZZZZZZZZZZZZZZZZZZZZZZ/redeliver").status_code == 404


def test_a_repeated_event_is_delivered_once(api, acme, runtime, receiver):
    from handoff.webhooks import service

    subscribe(api, acme, receiver.url)
    api.member(acme, "acme", "tech@acme.example", ["technician"])
    runtime.pump()
    envelope = json.loads(receiver.requests[0]["body"])["data"]

    assert service.fan_out(envelope) == 0
    runtime.pump()
    assert len(receiver.requests) == 1


@pytest.mark.parametrize(
    "url",
    ["ftp://partner.example/hook", "not a url", "https://user:pw@partner.example/h", "https://10.0.0.8/h"],
)
def test_endpoint_urls_are_checked(api, acme, url):
    response = api.as_(acme).post("/tenants/acme/webhook-subscriptions", {"url": url, "event_types": ["*"]})

    assert response.status_code == 422
    assert response.json["error"]["details"][0]["field"] == "body.url"


def test_a_deleted_subscription_is_gone_and_receives_nothing(api, acme, runtime, receiver):
    subscription = subscribe(api, acme, receiver.url)
    path = f"/tenants/acme/webhook-subscriptions/{subscription['subscription_id']}"

    assert api.as_(acme).request("DELETE", path).status_code == 204
    api.member(acme, "acme", "tech@acme.example", ["technician"])
    runtime.pump()

    assert api.as_(acme).get(path).status_code == 404
    assert receiver.requests == []


def test_only_managers_handle_subscriptions(api, acme):
    tech = api.member(acme, "acme", "tech@acme.example", ["technician"])

    assert api.as_(tech).get("/tenants/acme/webhook-subscriptions").status_code == 403


def test_a_partner_company_receives_the_work_shared_with_it_and_nothing_else(api, acme, runtime):
    """fixit subscribes in its own instance; acme's ticket events reach it while the ticket is outsourced to
    it; brightco (linked too, not given the ticket) and acme's internal notes stay out of its feed."""
    receivers = {name: Receiver() for name in ("fixit", "brightco")}
    try:
        secrets = {}
        for name, endpoint in receivers.items():
            partner_owner = api.user(f"owner@{name}.example")
            api.tenant(partner_owner, name)
            api.link(acme, "acme", name)
            secrets[name] = (
                api.as_(partner_owner)
                .post(f"/tenants/{name}/webhook-subscriptions", {"url": endpoint.url, "event_types": ["*"]})
                .json["secret"]
            )
        owner = api.as_(acme)
        ticket_id = owner.post("/tenants/acme/tickets", {"title": "Pump"}).json["ticket_id"]
        terms = {"hourly_rate_cents": 5000, "currency": "EUR"}
        owner.post(f"/tenants/acme/tickets/{ticket_id}/outsource", {"servicer_id": "fixit", "terms": terms})
        owner.post(f"/tenants/acme/tickets/{ticket_id}/notes", {"text": "Shared"})
        owner.post(f"/tenants/acme/tickets/{ticket_id}/notes", {"text": "Internal", "internal": True})
        runtime.pump()

        invitation = ["ServicerInvited", "ServicerInvitationAccepted"]  # what each partner was asked

        def from_acme(name):
            payloads = [verify(secrets[name], r) for r in receivers[name].requests]
            mine = [p for p in payloads if p["data"]["tenant_id"] == "acme"]  # not its own instance's events
            assert [p["type"] for p in mine if p["type"] in invitation] == invitation
            return [p for p in mine if p["type"] not in invitation]

        delivered = from_acme("fixit")
        assert [p["type"] for p in delivered] == ["TicketOutsourced", "OfferMade", "TicketNoteAdded"]
        assert delivered[2]["data"]["data"]["text"] == "Shared"
        assert from_acme("brightco") == []

        owner.patch("/tenants/acme/servicer-links/fixit", {"status": "suspended"})
        owner.post(f"/tenants/acme/tickets/{ticket_id}/notes", {"text": "After the suspension"})
        runtime.pump()
        assert len(from_acme("fixit")) == 3  # a suspended partner hears nothing more
    finally:
        for endpoint in receivers.values():
            endpoint.close()


def test_the_owner_hears_the_partners_work_as_it_happens_and_never_its_internal_notes(api, acme, runtime):
    """Every partner step, time entry, cost, note and file reaches the owner's webhooks; what either side keeps
    internal reaches only its own."""
    receivers = {name: Receiver() for name in ("acme", "fixit")}
    try:
        founder = api.user("owner@fixit.example")
        api.tenant(founder, "fixit")
        api.link(acme, "acme", "fixit")
        secrets = {
            name: api.as_(user)
            .post(
                f"/tenants/{name}/webhook-subscriptions", {"url": receivers[name].url, "event_types": ["*"]}
            )
            .json["secret"]
            for name, user in (("acme", acme), ("fixit", founder))
        }
        owner, partner = api.as_(acme), api.as_(founder)
        ticket = owner.post("/tenants/acme/tickets", {"title": "Pump"}).json["ticket_id"]
        terms = {"hourly_rate_cents": 5000, "currency": "EUR"}
        owner.post(f"/tenants/acme/tickets/{ticket}/offers", {"servicer_id": "fixit", "terms": terms})
        base = f"/tenants/acme/tickets/{ticket}"
        for step in ("accept", "start"):
            partner.post(f"{base}/{step}", {})
        partner.post(f"{base}/time-entries", {"minutes": 30, "work_date": "2026-11-20"})
        cost = {"category": "travel", "description": "Van", "quantity": "1", "unit_cost_cents": 900}
        partner.post(f"{base}/costs", {**cost, "work_date": "2026-11-20"})
        partner.post(f"{base}/notes", {"text": "Shared by fixit"})
        partner.post(f"{base}/notes", {"text": "Fixit only", "internal": True})
        owner.post(f"{base}/notes", {"text": "Acme only", "internal": True})
        runtime.pump()

        def heard(name):
            payloads = [verify(secrets[name], r) for r in receivers[name].requests]
            return [
                (p["type"], p["data"]["data"].get("text"))
                for p in payloads
                if p["type"].startswith(("Ticket", "Offer"))
            ]

        acme_heard, fixit_heard = heard("acme"), heard("fixit")
        for kind in ("TicketAccepted", "TicketStarted", "TicketTimeLogged", "TicketCostLogged"):
            assert kind in [k for k, _ in acme_heard] and kind in [k for k, _ in fixit_heard]
        notes = {
            name: [text for kind, text in got if kind == "TicketNoteAdded"]
            for name, got in (("acme", acme_heard), ("fixit", fixit_heard))
        }
        assert notes == {"acme": ["Shared by fixit", "Acme only"], "fixit": ["Shared by fixit", "Fixit only"]}
    finally:
        for endpoint in receivers.values():
            endpoint.close()
