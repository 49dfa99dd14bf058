"""The subcontractor portal's negotiation, costs and files: an offer carries terms, the two sides answer it
round by round within its acceptance window, and what was finally accepted is what the work bills at; costs
bill with the accepted markup; files go to S3 by presigned upload and are read only by the two companies."""

import time

import boto3
import pytest
import requests

TERMS = {
    "hourly_rate_cents": 6000,
    "rates": {"overtime": 9000},
    "markup_bp": 1000,
    "not_to_exceed_cents": 50_000,
    "currency": "EUR",
    "conditions": "Parts over 200 EUR need approval",
}
COUNTER = {**TERMS, "hourly_rate_cents": 7000, "rates": {"overtime": 9500}, "markup_bp": 1500}
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture
def shop(api):
    """acme offers work to fixit (gated: its completed work waits for an owner admin) and brightco; each
    partner has a crew member allowed to accept work and fixit one who is not."""
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    crews = {}
    for servicer in ("fixit", "brightco"):
        servicer_owner = api.user(f"owner@{servicer}.example")
        api.tenant(servicer_owner, servicer)
        api.link(owner, "acme", servicer, require_admin_approval=servicer == "fixit")
        crews[servicer] = api.member(
            servicer_owner, servicer, f"lead@{servicer}.example", ["technician"], accepts_work=True
        )
    helper = api.member(api.user("owner@fixit.example"), "fixit", "helper@fixit.example", ["technician"])
    dispatcher = api.member(owner, "acme", "dana@acme.example", ["dispatcher"])
    return {"owner": owner, "dispatcher": dispatcher, "crews": crews, "helper": helper}


def ticket(api, shop, title="Replace the pump"):
    return api.as_(shop["dispatcher"]).post("/tenants/acme/tickets", {"title": title}).json["ticket_id"]


def offer(api, shop, ticket_id, servicer="fixit", **body):
    made = api.as_(shop["dispatcher"]).post(
        f"/tenants/acme/tickets/{ticket_id}/offers", {"servicer_id": servicer, "terms": TERMS, **body}
    )
    assert made.status_code == 201, made.json
    return made.json


def answer(api, user, ticket_id, offer_id, action, **body):
    return api.as_(user).post(f"/tenants/acme/tickets/{ticket_id}/offers/{offer_id}/{action}", body)


def upload(api, user, ticket_id, content: bytes, **announced):
    body = {"filename": "receipt.pdf", "content_type": "application/pdf", "size_bytes": len(content)}
    made = api.as_(user).post(f"/tenants/acme/tickets/{ticket_id}/attachments", {**body, **announced})
    assert made.status_code == 201, made.json
    post = made.json["upload"]
    sent = requests.post(post["url"], data=post["fields"], files={"file": ("f", content)}, timeout=10)
    assert sent.status_code in (200, 201, 204), sent.text
    attachment_id = made.json["attachment"]["attachment_id"]
    return attachment_id, api.as_(user).post(f"/tenants/acme/tickets/{ticket_id}/attachments/{attachment_id}")


def test_offer_counter_accept_work_costs_approval_billed_at_the_accepted_terms(api, shop, runtime):
    """offer -> counter -> the owner accepts -> time, a cost with a receipt, notes -> complete -> pending
    approval -> an owner admin approves -> closed, billed at what was accepted."""
    lead, dispatcher = shop["crews"]["fixit"], shop["dispatcher"]
    ticket_id = ticket(api, shop)
    made = offer(api, shop, ticket_id, window_hours=48)
    assert (made["status"], made["turn"], len(made["rounds"])) == ("pending", "partner", 1)

    countered = answer(api, lead, ticket_id, made["offer_id"], "counter", terms=COUNTER, note="Pumps cost")
    assert countered.status_code == 200, countered.json
    assert (countered.json["turn"], countered.json["terms"]["hourly_rate_cents"]) == ("owner", 7000)
    out_of_turn = answer(api, lead, ticket_id, made["offer_id"], "accept")
    assert out_of_turn.status_code == 409 and out_of_turn.json["error"]["code"] == "not_your_turn"
    accepted = answer(api, dispatcher, ticket_id, made["offer_id"], "accept")
    assert accepted.status_code == 200 and accepted.json["status"] == "accepted"
    assert [r["side"] for r in accepted.json["rounds"]] == ["owner", "partner"]

    crew = api.as_(lead)
    assert crew.post(f"/tenants/acme/tickets/{ticket_id}/start", {}).status_code == 200
    base = f"/tenants/acme/tickets/{ticket_id}"
    standard = crew.post(f"{base}/time-entries", {"minutes": 90, "work_date": "2026-11-20"})
    overtime = crew.post(
        f"{base}/time-entries", {"minutes": 60, "work_date": "2026-11-20", "work_type": "overtime"}
    )
    unknown = crew.post(f"{base}/time-entries", {"minutes": 5, "work_date": "2026-11-20", "work_type": "x"})
    assert (standard.json["amount_cents"], overtime.json["amount_cents"]) == (10_500, 9_500)
    assert unknown.status_code == 422 and unknown.json["error"]["details"][0]["field"] == "body.work_type"
    receipt, confirmed = upload(api, lead, ticket_id, PDF, purpose="receipt")
    assert confirmed.status_code == 200 and confirmed.json["status"] == "available", confirmed.json
    cost = crew.post(
        f"{base}/costs",
        {
            "category": "materials",
            "description": "Seal kit",
            "quantity": "2",
            "unit_cost_cents": 1250,
            "work_date": "2026-11-20",
            "receipt_id": receipt,
        },
    )
    assert cost.status_code == 201, cost.json
    assert (cost.json["cost_cents"], cost.json["billed_cents"]) == (2_500, 2_875)  # 15 % markup
    assert crew.post(f"{base}/notes", {"text": "Seal replaced"}).status_code == 201

    assert crew.post(f"{base}/complete", {}).json["status"] == "pending_approval"
    approved = api.as_(shop["owner"]).post(f"{base}/approve", {})
    assert approved.status_code == 200 and approved.json["status"] == "closed"
    closed = approved.json
    assert closed["terms"] == {**COUNTER, "not_to_exceed_cents": 50_000, "rate_card_id": None, "schedule": []}
    assert (closed["labour_cents"], closed["cost_cents"], closed["billable_cents"]) == (20_000, 2_500, 22_875)
    kinds = [a["kind"] for a in api.as_(dispatcher).get(f"{base}/activity?limit=100").json["items"]]
    assert {"offer", "time", "cost", "attachment", "note"} <= set(kinds)
    runtime.pump()
    # Answered: every wait the ticket started (the offer's rounds, the approval) was stopped, none ran out.
    ended = _how_waits_ended(ticket_id, made["offer_id"])
    assert set(ended.values()) == {"ABORTED"}, ended


def _how_waits_ended(*subjects, within=15.0):
    sfn = boto3.client("stepfunctions")
    [machine] = [
        m for m in sfn.list_state_machines()["stateMachines"] if "TicketDeadline" in m["stateMachineArn"]
    ]
    deadline = time.monotonic() + within
    while True:
        executions = sfn.list_executions(stateMachineArn=machine["stateMachineArn"])["executions"]
        ours = [e for e in executions if any(s in e["name"] for s in subjects)]
        if (ours and all(e["status"] != "RUNNING" for e in ours)) or time.monotonic() > deadline:
            return {e["name"]: e["status"] for e in ours}
        time.sleep(0.2)


def test_who_may_answer_which_offer(api, shop):
    lead, helper, rival = shop["crews"]["fixit"], shop["helper"], shop["crews"]["brightco"]
    ticket_id = ticket(api, shop)
    made = offer(api, shop, ticket_id)
    offer_id = made["offer_id"]

    for action, body in (("accept", {}), ("counter", {"terms": COUNTER}), ("decline", {"note": "busy"})):
        refused = answer(api, helper, ticket_id, offer_id, action, **body)
        assert refused.status_code == 403 and refused.json["error"]["code"] == "may_not_accept_work"
    assert api.as_(helper).post(f"/tenants/acme/tickets/{ticket_id}/accept", {}).status_code == 403
    assert answer(api, rival, ticket_id, offer_id, "accept").status_code == 404
    hidden = api.as_(rival).get(f"/tenants/acme/tickets/{ticket_id}/offers/{offer_id}")
    missing = api.as_(rival).get(f"/tenants/acme/tickets/{ticket_id}/offers/01JZZZZZZZZZZZZZZZZZZZZZZZ")
    assert hidden.status_code == missing.status_code == 404
    assert answer(api, lead, ticket_id, offer_id, "reject", note="no").status_code == 403  # the owner's
    assert answer(api, shop["dispatcher"], ticket_id, offer_id, "decline", note="no").status_code == 403
    no_terms = answer(api, lead, ticket_id, offer_id, "counter")
    assert no_terms.status_code == 422 and no_terms.json["error"]["details"][0]["field"] == "body.terms"

    answer(api, lead, ticket_id, offer_id, "counter", terms=COUNTER)
    no_reason = answer(api, shop["dispatcher"], ticket_id, offer_id, "reject")
    assert no_reason.status_code == 422
    rejected = answer(api, shop["dispatcher"], ticket_id, offer_id, "reject", note="Too dear")
    assert rejected.status_code == 200 and rejected.json["status"] == "rejected"
    again = answer(api, shop["dispatcher"], ticket_id, offer_id, "accept")
    assert again.status_code == 409 and again.json["error"]["code"] == "offer_closed"
    assert answer(api, lead, ticket_id, offer_id, "accept").status_code == 404  # no longer fixit's
    reopened = api.as_(shop["dispatcher"]).get(f"/tenants/acme/tickets/{ticket_id}").json
    assert (reopened["status"], reopened["servicer_id"], reopened["offer_id"]) == ("open", None, None)
    assert api.as_(lead).get(f"/tenants/acme/tickets/{ticket_id}").status_code == 404


def test_a_partner_sees_only_its_own_offers(api, shop):
    lead, rival = shop["crews"]["fixit"], shop["crews"]["brightco"]
    ticket_id = ticket(api, shop)
    first = offer(api, shop, ticket_id)
    answer(api, lead, ticket_id, first["offer_id"], "decline", note="No fitter")
    second = offer(api, shop, ticket_id, servicer="brightco")

    theirs = api.as_(rival).get(f"/tenants/acme/tickets/{ticket_id}/offers").json["items"]
    owners = api.as_(shop["dispatcher"]).get(f"/tenants/acme/tickets/{ticket_id}/offers").json["items"]
    assert [o["offer_id"] for o in theirs] == [second["offer_id"]]
    assert [o["offer_id"] for o in owners] == [second["offer_id"], first["offer_id"]]
    board = api.as_(shop["dispatcher"]).get("/tenants/acme/offers?status=declined").json["items"]
    assert [(o["offer_id"], o["answer"]["note"]) for o in board] == [(first["offer_id"], "No fitter")]
    assert api.as_(rival).get("/tenants/acme/offers?status=declined").json["items"] == []
    assert [o["offer_id"] for o in api.as_(rival).get("/tenants/acme/offers").json["items"]] == [
        second["offer_id"]
    ]


def test_an_offer_left_unanswered_reminds_then_expires_back_to_the_owner(api, shop, runtime, bus_observer):
    """A window of 2 hours (an hour is a second in tests): the reminder at three quarters, then the expiry."""
    ticket_id = ticket(api, shop)
    made = offer(api, shop, ticket_id, window_hours=2)
    deadline = time.monotonic() + 20
    seen: list[str] = []
    while "OfferExpired" not in seen:
        assert time.monotonic() < deadline, f"the offer did not expire: {seen}"
        time.sleep(0.5)
        runtime.pump()
        seen += [e["detail-type"] for e in bus_observer() if e["detail-type"].startswith("Offer")]
    assert seen.index("OfferReminderDue") < seen.index("OfferExpired")
    expired = api.as_(shop["dispatcher"]).get(f"/tenants/acme/tickets/{ticket_id}/offers/{made['offer_id']}")
    assert expired.json["status"] == "expired"
    assert api.as_(shop["dispatcher"]).get(f"/tenants/acme/tickets/{ticket_id}").json["status"] == "open"
    board = api.as_(shop["dispatcher"]).get("/tenants/acme/offers?status=expired").json["items"]
    assert [o["offer_id"] for o in board] == [made["offer_id"]]
    late = answer(api, shop["crews"]["fixit"], ticket_id, made["offer_id"], "accept")
    assert late.status_code == 404  # no longer offered to fixit: the ticket is not its own


def _working(api, shop, servicer="fixit"):
    ticket_id = ticket(api, shop)
    made = offer(api, shop, ticket_id, servicer=servicer)
    lead = shop["crews"][servicer]
    assert answer(api, lead, ticket_id, made["offer_id"], "accept").status_code == 200
    assert api.as_(lead).post(f"/tenants/acme/tickets/{ticket_id}/start", {}).status_code == 200
    return ticket_id


def test_files_are_checked_before_anyone_reads_them_and_only_the_two_companies_do(api, shop):
    lead, rival, dispatcher = shop["crews"]["fixit"], shop["crews"]["brightco"], shop["dispatcher"]
    ticket_id = _working(api, shop)
    base = f"/tenants/acme/tickets/{ticket_id}/attachments"

    good, confirmed = upload(api, lead, ticket_id, PDF)
    assert confirmed.status_code == 200
    read = api.as_(dispatcher).get(f"{base}/{good}").json
    downloaded = requests.get(read["download_url"], timeout=10)
    assert downloaded.status_code == 200 and downloaded.content == PDF
    assert "attachment;" in downloaded.headers.get("Content-Disposition", "")

    liar, refused = upload(api, lead, ticket_id, PDF, content_type="image/png", filename="photo.png")
    assert refused.status_code == 422
    detail = refused.json["error"]["details"][0]
    assert (detail["field"], detail["reason"]) == (
        "upload.file",
        "the file is a application/pdf, not the image/png announced",
    )
    too_big, oversized = upload(api, lead, ticket_id, PNG + b"\x00" * 10, content_type="image/png")
    assert oversized.status_code == 200  # what was announced is what arrived
    announced_small = (
        api.as_(lead).post(base, {"filename": "p.png", "content_type": "image/png", "size_bytes": 10}).json
    )
    post = announced_small["upload"]
    requests.post(post["url"], data=post["fields"], files={"file": ("f", PNG)}, timeout=10)
    small_id = announced_small["attachment"]["attachment_id"]
    over = api.as_(lead).post(f"{base}/{small_id}")
    assert (
        over.status_code == 422 and "more than the 10 announced" in over.json["error"]["details"][0]["reason"]
    )
    for refused_id in (liar, small_id):
        seen = api.as_(lead).get(f"{base}/{refused_id}").json
        assert (seen["status"], seen["download_url"]) == ("awaiting_upload", None)
        assert api.as_(dispatcher).get(f"{base}/{refused_id}").status_code == 404  # not theirs until good
    assert _objects_under("uploads/") == []  # refused bytes are deleted; confirmed ones were moved

    private, _ = upload(api, lead, ticket_id, PDF, internal=True)
    listed = {a["attachment_id"] for a in api.as_(dispatcher).get(base).json["items"]}
    assert listed == {good, too_big}
    assert api.as_(dispatcher).get(f"{base}/{private}").status_code == 404
    assert api.as_(rival).get(f"{base}/{good}").status_code == 404
    assert api.as_(rival).get(base).status_code == 404


def _objects_under(prefix):
    s3 = boto3.client("s3")
    [bucket] = [b["Name"] for b in s3.list_buckets()["Buckets"] if "attachment" in b["Name"]]
    return [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])]


def test_costs_and_internal_notes_stay_with_their_company(api, shop, runtime, bus_observer):
    lead, rival, dispatcher = shop["crews"]["fixit"], shop["crews"]["brightco"], shop["dispatcher"]
    ticket_id = _working(api, shop)
    base = f"/tenants/acme/tickets/{ticket_id}"
    cost = {"category": "travel", "description": "Van", "quantity": "1.5", "unit_cost_cents": 1000}
    partner_cost = api.as_(lead).post(f"{base}/costs", {**cost, "work_date": "2026-11-20"})
    owner_cost = api.as_(dispatcher).post(f"{base}/costs", {**cost, "work_date": "2026-11-20"})
    assert (partner_cost.json["billed_cents"], owner_cost.json["billed_cents"]) == (1650, 0)
    api.as_(dispatcher).post(f"{base}/notes", {"text": "Slow payer", "internal": True})
    api.as_(lead).post(f"{base}/notes", {"text": "Owner haggles", "internal": True})

    partner_costs = api.as_(lead).get(f"{base}/costs").json["items"]
    owner_costs = api.as_(dispatcher).get(f"{base}/costs").json["items"]
    assert [c["cost_id"] for c in partner_costs] == [partner_cost.json["cost_id"]]
    assert len(owner_costs) == 2
    assert api.as_(rival).get(f"{base}/costs").status_code == 404
    owner_notes = [a["text"] for a in api.as_(dispatcher).get(f"{base}/activity").json["items"]]
    partner_notes = [a["text"] for a in api.as_(lead).get(f"{base}/activity").json["items"]]
    assert "Owner haggles" not in owner_notes and "Slow payer" not in partner_notes
    notes = [e["detail"] for e in bus_observer() if e["detail-type"] == "TicketNoteAdded"]
    assert [(n["tenant_id"], n["shared_with"], n["data"]["text"]) for n in notes] == [
        ("acme", [], "Slow payer"),
        ("fixit", [], "Owner haggles"),
    ]
