"""A shop's invoices through API Gateway events: made from a work order in ready_to_submit at the estimate's
approved prices, with what differs from the estimate flagged; authorized by the customer that requires it, or
finalized directly; immutable once finalized; numbered without gaps under concurrency; a portal user sees only
its own company's."""

from __future__ import annotations

import threading
import time

import pytest
from test_work_orders import approved_work, clock_on

S = "/tenants/shop"


@pytest.fixture
def tech(api, shop):
    return api.member(shop["owner"], "shop", "tech@shop.example", ["technician"])


def ready_order(api, shop, tech, unit: int = 0) -> str:
    """Approved labour clocked on and off (a few seconds), the unit marked ready: ready_to_submit."""
    work = approved_work(api, shop, unit)
    order = clock_on(api, tech, work[0]["work_id"]).json["ticket_id"]
    assert api.as_(tech).post(f"{S}/tickets/{order}/unit-ready", {}).status_code == 200
    return order


def invoice(api, shop, order: str) -> dict:
    made = api.as_(shop["owner"]).post(f"{S}/invoices", {"work_order_id": order})
    assert made.status_code == 201, made.json
    return made.json


def test_a_customer_that_requires_authorization_authorizes_it(api, shop, tech):
    owner = api.as_(shop["owner"])
    north = shop["customers"][0]
    assert owner.patch(f"{S}/customers/{north}", {"requires_invoice_authorization": True}).status_code == 200
    made = invoice(api, shop, ready_order(api, shop, tech))
    assert made["status"] == "draft" and made["needs_authorization"] is True
    labour = made["lines"][0]
    assert (labour["kind"], labour["unit_cents"], labour["estimated_cents"]) == ("labour", 9000, 13500)
    assert labour["differs_from_estimate"] is True  # seconds clocked, 1.5 h approved
    part = made["lines"][1]
    assert (part["kind"], part["amount_cents"]) == ("part", 9000)  # 2 x 45.00 as approved
    url = f"{S}/invoices/{made['invoice_id']}"
    refused = owner.post(f"{url}/finalize", {})
    assert refused.status_code == 409 and refused.json["error"]["code"] == "authorization_required"
    customer = api.as_(shop["portal"][0])
    assert customer.get(url).status_code == 404  # a draft is the shop's alone
    assert owner.post(f"{url}/submit", {}).json["status"] == "submitted"
    assert api.as_(shop["portal"][1]).get(url).status_code == 404  # another company's
    assert customer.post(f"{url}/dispute", {}).status_code == 422
    assert customer.post(f"{url}/dispute", {"note": "Too long"}).json["status"] == "disputed"
    assert owner.post(f"{url}/revise", {}).json["status"] == "revised"
    owner.post(f"{url}/submit", {})
    authorized = customer.post(f"{url}/authorize", {})
    assert authorized.status_code == 200, authorized.json
    assert authorized.json["status"] == "finalized" and authorized.json["number"].endswith("-000001")
    assert [i["invoice_id"] for i in customer.get(f"{S}/invoices").json["items"]] == [made["invoice_id"]]
    assert api.as_(shop["portal"][1]).get(f"{S}/invoices").json["items"] == []


def test_otherwise_the_shop_finalizes_directly_and_a_finalized_invoice_never_changes(api, shop, tech):
    owner = api.as_(shop["owner"])
    made = invoice(api, shop, ready_order(api, shop, tech))
    url = f"{S}/invoices/{made['invoice_id']}"
    assert owner.post(f"{url}/submit", {}).json["error"]["code"] == "no_authorization"
    finalized = owner.post(f"{url}/finalize", {})
    assert finalized.status_code == 200 and finalized.json["status"] == "finalized", finalized.json
    for action in ("finalize", "revise", "submit"):
        again = owner.post(f"{url}/{action}", {})
        assert again.status_code == 409 and again.json["error"]["code"] == "finalized"
    assert api.as_(shop["portal"][0]).post(f"{url}/authorize", {}).status_code == 409
    twice = owner.post(f"{S}/invoices", {"work_order_id": made["work_order_id"]})
    assert twice.status_code == 409  # one invoice per work order: a correction is a credit note


def test_only_a_ready_work_order_is_invoiced(api, shop, tech):
    work = approved_work(api, shop)
    order = clock_on(api, tech, work[0]["work_id"]).json["ticket_id"]
    refused = api.as_(shop["owner"]).post(f"{S}/invoices", {"work_order_id": order})
    assert refused.status_code == 409 and refused.json["error"]["code"] == "not_ready"
    assert api.as_(shop["dispatcher"]).post(f"{S}/invoices", {"work_order_id": order}).status_code == 403


def test_concurrent_finalizations_take_consecutive_numbers(api, shop, tech):
    made = [invoice(api, shop, ready_order(api, shop, tech, unit=0)) for _ in range(20)]
    numbers: list[str] = []

    def finalize(invoice_id: str) -> None:
        done = api.as_(shop["owner"]).post(f"{S}/invoices/{invoice_id}/finalize", {})
        assert done.status_code == 200, done.json
        numbers.append(done.json["number"])

    threads = [threading.Thread(target=finalize, args=(m["invoice_id"],)) for m in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, 21))


def test_the_customers_rule_as_it_is_now_decides_and_a_revision_stays_the_shops(api, shop, tech):
    owner, customer = api.as_(shop["owner"]), api.as_(shop["portal"][0])
    north = shop["customers"][0]
    made = invoice(api, shop, ready_order(api, shop, tech))  # made while the customer authorizes nothing
    owner.patch(f"{S}/customers/{north}", {"requires_invoice_authorization": True})
    url = f"{S}/invoices/{made['invoice_id']}"
    assert owner.post(f"{url}/finalize", {}).json["error"]["code"] == "authorization_required"
    assert owner.post(f"{url}/submit", {}).json["status"] == "submitted"
    customer.post(f"{url}/dispute", {"note": "Check the hours"})
    assert owner.post(f"{url}/revise", {}).json["status"] == "revised"
    assert customer.get(url).status_code == 404  # the shop's work in progress, until submitted again
    owner.patch(f"{S}/customers/{north}", {"requires_invoice_authorization": False})
    assert owner.post(f"{url}/finalize", {}).json["status"] == "finalized"


def test_every_invoice_reads_as_json_csv_and_a_printable_pdf_showing_its_totals(api, shop, tech):
    import csv
    import io

    from pypdf import PdfReader

    owner = api.as_(shop["owner"])
    made = invoice(api, shop, ready_order(api, shop, tech))
    url = f"{S}/invoices/{made['invoice_id']}"
    finalized = owner.post(f"{url}/finalize", {}).json
    as_csv = owner.get(url, headers={"Accept": "text/csv"})
    assert as_csv.status_code == 200 and as_csv.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.get_data(as_text=True))))
    assert rows[-1][2:] == ["total", "", "", "", str(finalized["total_cents"])]
    pdf = owner.get(f"{url}/pdf")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.get_data())).pages[0].extract_text()
    assert finalized["number"] in text
    total = finalized["total_cents"]
    assert f"{total // 100:,}.{total % 100:02d} EUR" in text and "Total" in text
    assert api.as_(shop["portal"][1]).get(f"{url}/pdf").status_code == 404  # another company's


def test_a_credit_note_corrects_a_finalized_invoice_never_more_than_it_billed(api, shop, tech):
    owner, customer = api.as_(shop["owner"]), api.as_(shop["portal"][0])
    made = invoice(api, shop, ready_order(api, shop, tech))
    url = f"{S}/invoices/{made['invoice_id']}"
    early = owner.post(f"{url}/credit", {"note": "Too early"})
    assert early.status_code == 409 and early.json["error"]["code"] == "not_finalized"
    finalized = owner.post(f"{url}/finalize", {}).json
    part = next(line for line in finalized["lines"] if line["kind"] == "part")
    assert owner.post(f"{url}/credit", {}).status_code == 422  # a credit says why
    too_much = owner.post(
        f"{url}/credit",
        {"note": "Pads returned", "credit_lines": [{"source_id": part["source_id"], "amount_cents": 9001}]},
    )
    assert too_much.status_code == 422, too_much.json
    assert too_much.json["error"]["details"][0]["field"] == "body.credit_lines.0.amount_cents"
    partial = owner.post(
        f"{url}/credit",
        {
            "note": "One pad returned",
            "credit_lines": [{"source_id": part["source_id"], "amount_cents": 4500}],
        },
    )
    assert partial.status_code == 200, partial.json
    note = partial.json
    assert (note["kind"], note["credits_invoice_id"], note["status"]) == (
        "credit_note",
        made["invoice_id"],
        "finalized",
    )
    assert note["number"].startswith("C") and note["number"].endswith("-000001")
    assert (note["subtotal_cents"], note["total_cents"]) == (4500, 4500 + note["tax_cents"])
    assert customer.get(f"{S}/invoices/{note['invoice_id']}").status_code == 200  # the customer's too
    import io

    from pypdf import PdfReader

    pdf = owner.get(f"{S}/invoices/{note['invoice_id']}/pdf")
    text = PdfReader(io.BytesIO(pdf.get_data())).pages[0].extract_text()
    assert f"Credit note {note['number']}" in text and made["invoice_id"] in text
    assert customer.post(f"{url}/credit", {"note": "Mine"}).status_code == 403  # the shop credits
    after = owner.get(url).json
    assert after["credited_cents"] == note["total_cents"] and after["status"] == "finalized"
    assert after["lines"] == finalized["lines"]  # the invoice itself never changes
    rest = owner.post(f"{url}/credit", {"note": "Goodwill: the rest"})
    assert rest.status_code == 200 and rest.json["number"].endswith("-000002")
    assert sum(line["amount_cents"] for line in rest.json["lines"]) == finalized["subtotal_cents"] - 4500
    done = owner.post(f"{url}/credit", {"note": "Again"})
    assert done.status_code == 409 and done.json["error"]["code"] == "fully_credited"
    of_a_note = owner.post(f"{S}/invoices/{note['invoice_id']}/credit", {"note": "Undo"})
    assert of_a_note.status_code == 409 and of_a_note.json["error"]["code"] == "credit_note"
    assert owner.post(f"{S}/invoices/{note['invoice_id']}/finalize", {}).json["error"]["code"] == "finalized"


def test_concurrent_credits_never_credit_a_line_twice(api, shop, tech):
    owner = api.as_(shop["owner"])
    made = invoice(api, shop, ready_order(api, shop, tech))
    url = f"{S}/invoices/{made['invoice_id']}"
    part = next(line for line in owner.post(f"{url}/finalize", {}).json["lines"] if line["kind"] == "part")
    answers: list[int] = []

    def credit() -> None:
        body = {"note": "Returned", "credit_lines": [{"source_id": part["source_id"], "amount_cents": 3000}]}
        answers.append(owner.post(f"{url}/credit", body).status_code)

    threads = [threading.Thread(target=credit) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [200, 200, 200, 422, 422]  # 3 x 30.00 of the 90.00 line, then nothing left
    credits = owner.get(f"{S}/invoices", query_string={"status": "finalized"}).json["items"]
    assert sum(c["subtotal_cents"] for c in credits if c["credits_invoice_id"] == made["invoice_id"]) == 9000


def test_a_finalized_invoice_closes_its_work_order_through_the_bus(api, shop, tech, runtime):
    owner = api.as_(shop["owner"])
    order = ready_order(api, shop, tech)
    by_hand = owner.post(f"{S}/tickets/{order}/invoiced", {})
    assert by_hand.status_code == 403  # only its finalized invoice closes a work order
    made = invoice(api, shop, order)
    assert owner.post(f"{S}/invoices/{made['invoice_id']}/finalize", {}).status_code == 200
    deadline = time.monotonic() + 20
    while (ticket := owner.get(f"{S}/tickets/{order}").json)["status"] != "closed":
        runtime.pump()
        assert time.monotonic() < deadline, ticket["status"]
        time.sleep(0.2)
    assert ticket["history"][-1]["step"] == "invoiced"
    assert (
        owner.post(f"{S}/tickets/{order}/reopen", {"note": "One more job"}).status_code == 409
    )  # invoiced: a credit note corrects it


def test_a_finalized_invoice_holds_its_work_order_closed_and_its_credits_give_back_only_its_tax(
    api, shop, tech
):
    owner = api.as_(shop["owner"])
    card = {"scope": "shop", "name": "Shop", "currency": "EUR", "hourly_rate_cents": 9000}
    vat = [{"name": "VAT", "rate_bp": 1000, "applies_to": ["part"]}]
    assert owner.post(f"{S}/rate-cards", {**card, "tax_rules": vat}).status_code == 201
    order = ready_order(api, shop, tech)
    made = invoice(api, shop, order)
    url = f"{S}/invoices/{made['invoice_id']}"
    finalized = owner.post(f"{url}/finalize", {}).json
    assert finalized["tax_cents"] == 900  # 10 % of the 90.00 of parts
    reopened = owner.post(f"{S}/tickets/{order}/reopen", {"note": "One more job"})  # before the bus closes it
    assert reopened.status_code == 409 and reopened.json["error"]["code"] == "invoiced"
    part = next(line for line in finalized["lines"] if line["kind"] == "part")
    taxes = []
    for cents in (4505, 4495):
        body = {"note": "Returned", "credit_lines": [{"source_id": part["source_id"], "amount_cents": cents}]}
        credited = owner.post(f"{url}/credit", body)
        assert credited.status_code == 200, credited.json
        taxes.append(credited.json["tax_cents"])
    assert sum(taxes) == 900  # never more than was charged, rounding included
    assert owner.get(url).json["credited_cents"] == finalized["total_cents"] - sum(
        line["amount_cents"] for line in finalized["lines"] if line["kind"] == "labour"
    )


def test_an_invoice_is_not_finalized_for_a_work_order_reopened_meanwhile(api, shop, tech):
    owner = api.as_(shop["owner"])
    order = ready_order(api, shop, tech)
    made = invoice(api, shop, order)
    assert owner.post(f"{S}/tickets/{order}/reopen", {"note": "One more job"}).status_code == 200
    late = owner.post(f"{S}/invoices/{made['invoice_id']}/finalize", {})
    assert late.status_code == 409 and late.json["error"]["code"] == "not_ready"


def test_a_customer_never_authorizes_lines_its_work_order_no_longer_has(api, shop, tech):
    from datetime import datetime, timedelta

    owner, customer = api.as_(shop["owner"]), api.as_(shop["portal"][0])
    north = shop["customers"][0]
    assert owner.patch(f"{S}/customers/{north}", {"requires_invoice_authorization": True}).status_code == 200
    order = ready_order(api, shop, tech)
    made = invoice(api, shop, order)
    url = f"{S}/invoices/{made['invoice_id']}"
    assert owner.post(f"{url}/submit", {}).json["status"] == "submitted"
    base = f"{S}/tickets/{order}"
    assert owner.post(f"{base}/reopen", {"note": "An hour was missed"}).status_code == 200
    [entry] = [a for a in owner.get(f"{base}/activity").json["items"] if a["kind"] == "clock"]
    earlier = (datetime.fromisoformat(entry["started_at"]) - timedelta(hours=1)).isoformat()
    fixed = owner.patch(
        f"{base}/time-entries/{entry['entry_id']}", {"started_at": earlier, "reason": "Missed"}
    )
    assert fixed.status_code == 200, fixed.json
    assert owner.post(f"{base}/unit-ready", {}).status_code == 200
    stale = customer.post(f"{url}/authorize", {})
    assert stale.status_code == 409 and stale.json["error"]["code"] == "work_order_changed"
    assert owner.post(f"{url}/revise", {}).json["status"] == "revised"  # the shop takes it back
    resent = owner.post(f"{url}/submit", {}).json
    assert resent["lines"][0]["quantity"] == "1.00"
    assert customer.post(f"{url}/authorize", {}).json["status"] == "finalized"
