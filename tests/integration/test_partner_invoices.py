"""Partner invoices through API Gateway events and the local stack's Step Functions: a completed outsourced
ticket produces the partner's invoice at the accepted terms; sent as computed and within the not-to-exceed it
approves itself; otherwise the owner's approvers decide, within their limits; numbers run without gaps."""

import threading
import time

import pytest

T = "/tenants/acme"


@pytest.fixture
def shop(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    for servicer in ("fixit", "brightco"):
        api.tenant(api.user(f"owner@{servicer}.example"), servicer)
        api.link(owner, "acme", servicer)
    limited = api.member(owner, "acme", "limited@acme.example", ["admin"])
    assert (
        api.as_(owner).patch(f"{T}/members/{limited.user_id}", {"approval_limit_cents": 5000}).status_code
        == 200
    )
    return {
        "acme": api.as_(owner),
        "fixit": api.as_(api.user("owner@fixit.example")),
        "brightco": api.as_(api.user("owner@brightco.example")),
        "limited": api.as_(limited),
        "dispatcher": api.as_(api.member(owner, "acme", "dispatch@acme.example", ["dispatcher"])),
    }


def completed(shop, runtime, terms, minutes=90, costs=((2, 1000),)):
    """A ticket outsourced to fixit at these terms, worked (time and costs) and completed; its invoice."""
    acme, fixit = shop["acme"], shop["fixit"]
    ticket = acme.post(f"{T}/tickets", {"title": "Pump"}).json["ticket_id"]
    assert (
        acme.post(f"{T}/tickets/{ticket}/outsource", {"servicer_id": "fixit", "terms": terms}).status_code
        == 200
    )
    for step in ("accept", "start"):
        assert fixit.post(f"{T}/tickets/{ticket}/{step}", {}).status_code == 200
    logged = fixit.post(f"{T}/tickets/{ticket}/time-entries", {"minutes": minutes, "work_date": "2026-11-30"})
    assert logged.status_code == 201, logged.json
    for quantity, unit in costs:
        cost = {
            "category": "materials",
            "description": "Seal",
            "quantity": str(quantity),
            "unit_cost_cents": unit,
            "work_date": "2026-11-30",
        }
        assert fixit.post(f"{T}/tickets/{ticket}/costs", cost).status_code == 201
    assert fixit.post(f"{T}/tickets/{ticket}/complete", {}).status_code == 200
    deadline = time.monotonic() + 20
    while True:
        runtime.pump()
        found = [i for i in fixit.get(f"{T}/partner-invoices").json["items"] if i["ticket_id"] == ticket]
        if found:
            return found[0]
        assert time.monotonic() < deadline, "no invoice was computed"
        time.sleep(0.3)


TERMS = {"hourly_rate_cents": 6000, "currency": "EUR", "markup_bp": 1500, "not_to_exceed_cents": 100000}


def test_a_completed_outsourced_ticket_is_invoiced_at_the_accepted_terms_and_approves_itself(shop, runtime):
    invoice = completed(shop, runtime, TERMS)
    assert invoice["status"] == "draft" and invoice["number"] is None
    labour, cost = invoice["lines"]
    assert (labour["kind"], labour["quantity"], labour["unit_cents"], labour["amount_cents"]) == (
        "labour",
        "1.50",
        6000,
        9000,  # 1.5 h x 60.00
    )
    assert (cost["kind"], cost["amount_cents"]) == ("cost", 2300)  # 2 x 10.00, with 15 % markup
    assert invoice["computed_cents"] == invoice["total_cents"] == 11300
    assert shop["acme"].get(f"{T}/partner-invoices/{invoice['invoice_id']}").json["total_cents"] == 11300
    sent = shop["fixit"].post(f"{T}/partner-invoices/{invoice['invoice_id']}/send", {})
    assert sent.status_code == 200, sent.json
    assert (sent.json["status"], sent.json["auto_approved"]) == ("approved", True)
    assert sent.json["number"].endswith("-000001")
    again = shop["fixit"].post(f"{T}/partner-invoices/{invoice['invoice_id']}/send", {})
    assert again.status_code == 409


def test_over_the_nte_it_waits_for_an_approver_whose_limit_covers_it(shop, runtime):
    invoice = completed(shop, runtime, {**TERMS, "not_to_exceed_cents": 10000})
    url = f"{T}/partner-invoices/{invoice['invoice_id']}"
    sent = shop["fixit"].post(f"{url}/send", {})
    assert (sent.json["status"], sent.json["over_nte"], sent.json["auto_approved"]) == ("sent", True, False)
    assert [i["invoice_id"] for i in shop["acme"].get(f"{T}/partner-invoices").json["items"]] == [
        invoice["invoice_id"]
    ]
    over = shop["limited"].post(f"{url}/approve", {})
    assert over.status_code == 403 and over.json["error"]["code"] == "over_approval_limit"
    assert shop["dispatcher"].post(f"{url}/approve", {}).status_code == 403  # dispatchers read, admins decide
    assert shop["fixit"].post(f"{url}/approve", {}).status_code == 403  # not the partner's to approve
    passed = shop["limited"].post(f"{url}/escalate", {"note": "Looks right; above my limit"})
    assert passed.status_code == 200 and passed.json["status"] == "sent", passed.json
    assert [(e["limit_cents"], e["note"]) for e in passed.json["endorsements"]] == [
        (5000, "Looks right; above my limit")
    ]
    twice = shop["limited"].post(f"{url}/escalate", {})
    assert twice.status_code == 409 and twice.json["error"]["code"] == "already_escalated"
    within = shop["acme"].post(f"{url}/escalate", {})  # no limit: the owner decides it
    assert within.status_code == 409 and within.json["error"]["code"] == "within_your_limit"
    assert shop["fixit"].post(f"{url}/escalate", {}).status_code == 403
    approved = shop["acme"].post(f"{url}/approve", {})
    assert approved.status_code == 200 and approved.json["status"] == "approved", approved.json
    assert approved.json["endorsements"][0]["by"] == passed.json["endorsements"][0]["by"]
    seen_by_partner = shop["fixit"].get(url).json
    assert seen_by_partner["endorsements"] == [] and "escalate" not in str(seen_by_partner["history"])


def test_an_adjusted_invoice_is_disputed_resent_and_rejected_by_the_owner(shop, runtime):
    invoice = completed(shop, runtime, TERMS)
    url = f"{T}/partner-invoices/{invoice['invoice_id']}"
    assert shop["fixit"].post(f"{url}/send", {"adjustment_cents": 500}).status_code == 422  # say why
    sent = shop["fixit"].post(f"{url}/send", {"adjustment_cents": 500, "note": "Call-out fee"})
    assert (sent.json["status"], sent.json["total_cents"]) == (
        "sent",
        11800,
    )  # not as computed: not automatic
    labour = invoice["lines"][0]["source_id"]
    assert shop["acme"].post(f"{url}/dispute", {"note": "Why?"}).status_code == 422  # name the lines
    disputed = shop["acme"].post(
        f"{url}/dispute", {"note": "Why?", "items": [{"source_id": labour, "note": "1 h"}]}
    )
    assert disputed.status_code == 200 and disputed.json["status"] == "disputed", disputed.json
    resent = shop["fixit"].post(f"{url}/send", {})
    assert (resent.json["status"], resent.json["number"]) == ("sent", sent.json["number"])  # same number
    assert resent.json["auto_approved"] is False  # disputed once: a person looks again
    stale = shop["acme"].post(f"{url}/approve", {}, headers={"If-Match": f'"{sent.json["version"]}"'})
    assert stale.status_code == 409  # the approver saw another total
    assert shop["acme"].post(f"{url}/approve", {}).json["status"] == "approved"
    second = completed(shop, runtime, TERMS)
    url = f"{T}/partner-invoices/{second['invoice_id']}"
    shop["fixit"].post(f"{url}/send", {"adjustment_cents": -300, "note": "Loyalty"})
    assert shop["acme"].post(f"{url}/reject", {}).status_code == 422  # a reason
    rejected = shop["acme"].post(f"{url}/reject", {"note": "Not agreed"})
    assert rejected.json["status"] == "rejected"
    assert rejected.json["number"].endswith("-000002")


def test_without_an_nte_a_person_approves_and_a_reopened_ticket_bills_only_what_is_new(shop, runtime):
    invoice = completed(shop, runtime, {"hourly_rate_cents": 6000, "currency": "EUR"}, minutes=60, costs=())
    sent = shop["fixit"].post(f"{T}/partner-invoices/{invoice['invoice_id']}/send", {})
    assert (sent.json["status"], sent.json["auto_approved"]) == ("sent", False)
    ticket = invoice["ticket_id"]
    assert shop["acme"].post(f"{T}/tickets/{ticket}/reopen", {"note": "Still leaking"}).status_code == 200
    shop["fixit"].post(f"{T}/tickets/{ticket}/time-entries", {"minutes": 30, "work_date": "2026-11-30"})
    assert shop["fixit"].post(f"{T}/tickets/{ticket}/complete", {}).status_code == 200
    deadline = time.monotonic() + 20
    while (
        len(
            found := [
                i
                for i in shop["fixit"].get(f"{T}/partner-invoices").json["items"]
                if i["ticket_id"] == ticket
            ]
        )
        < 2
    ):
        assert time.monotonic() < deadline, "the second completion was not invoiced"
        time.sleep(0.3)
        runtime.pump()
    second = next(i for i in found if i["invoice_id"] != invoice["invoice_id"])
    assert [line["amount_cents"] for line in second["lines"]] == [3000]  # the new half hour, nothing twice


def test_a_partner_sees_only_its_own_invoices(shop, runtime):
    invoice = completed(shop, runtime, TERMS)
    url = f"{T}/partner-invoices/{invoice['invoice_id']}"
    assert shop["brightco"].get(url).status_code == 404
    assert shop["brightco"].post(f"{url}/send", {}).status_code == 404
    assert shop["brightco"].get(f"{T}/partner-invoices").json["items"] == []
    assert shop["fixit"].get(f"/tenants/fixit/partner-invoices/{invoice['invoice_id']}").status_code == 404


def test_concurrent_sendings_take_consecutive_numbers(shop, runtime):
    invoices = [completed(shop, runtime, TERMS, minutes=30, costs=()) for _ in range(8)]
    results: list[str] = []

    def send(invoice_id: str) -> None:
        sent = shop["fixit"].post(f"{T}/partner-invoices/{invoice_id}/send", {})
        assert sent.status_code == 200, sent.json
        results.append(sent.json["number"])

    threads = [threading.Thread(target=send, args=(i["invoice_id"],)) for i in invoices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(int(n.rsplit("-", 1)[1]) for n in results) == list(range(1, 9))


def test_a_partner_invoice_reads_as_csv_and_a_printable_pdf(shop, runtime):
    import csv
    import io

    from pypdf import PdfReader

    invoice = completed(shop, runtime, {**TERMS, "not_to_exceed_cents": 10000})
    url = f"{T}/partner-invoices/{invoice['invoice_id']}"
    sent = shop["fixit"].post(f"{url}/send", {"adjustment_cents": -300, "note": "Loyalty discount"}).json
    as_csv = shop["acme"].get(url, headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(as_csv.get_data(as_text=True))))
    assert rows[-1][2:] == ["total", "", "", "", str(sent["total_cents"])]
    assert [r[2] for r in rows[1:]] == ["labour", "cost", "computed", "adjustment", "total"]
    for reader in (shop["acme"], shop["fixit"]):
        pdf = reader.get(f"{url}/pdf")
        assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
        text = PdfReader(io.BytesIO(pdf.get_data())).pages[0].extract_text()
        assert sent["number"] in text and "Loyalty discount" in text
        total = sent["total_cents"]
        assert f"{total // 100:,}.{total % 100:02d} EUR" in text
    assert shop["brightco"].get(f"{url}/pdf").status_code == 404  # another partner's
