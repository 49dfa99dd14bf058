"""Rate cards through API Gateway events: one per scope (the shop's, each linked partner's), versioned from a
day that is today or later; a partner offered work without terms bills at its card, each entry at the
version in force on its work date; a shop's invoices are taxed by its card's rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from test_invoices import invoice, ready_order
from test_partner_invoices import T, completed
from test_partner_invoices import shop as partner_world  # noqa: F401  (the fixture, by its own name)

TODAY = datetime.now(UTC).date()
PARTNER_CARD = {
    "scope": "partner",
    "servicer_id": "fixit",
    "name": "Fixit",
    "currency": "EUR",
    "hourly_rate_cents": 6000,
    "rates": {"overtime": 9000},
    "markup_bp": 1000,
    "default_nte_cents": 100_000,
}


@pytest.fixture
def acme(partner_world):  # noqa: F811
    return partner_world


def test_one_card_per_scope_versioned_from_today_or_later(acme):
    admin = acme["acme"]
    made = admin.post(f"{T}/rate-cards", PARTNER_CARD)
    assert made.status_code == 201, made.json
    card = made.json
    assert (card["latest_version"], card["latest_from"], card["in_force"]["hourly_rate_cents"]) == (
        1,
        TODAY.isoformat(),
        6000,
    )
    assert admin.post(f"{T}/rate-cards", PARTNER_CARD).status_code == 409  # fixit has its card
    unlinked = admin.post(f"{T}/rate-cards", {**PARTNER_CARD, "servicer_id": "nobody"})
    assert unlinked.status_code == 422 and unlinked.json["error"]["details"][0]["field"] == "body.servicer_id"
    no_partner = admin.post(f"{T}/rate-cards", {**PARTNER_CARD, "scope": "shop"})
    assert no_partner.status_code == 422  # servicer_id names a partner's card only
    url = f"{T}/rate-cards/{card['rate_card_id']}"
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    past = admin.request("PUT", url, json={"hourly_rate_cents": 1, "effective_from": yesterday})
    assert past.status_code == 422 and past.json["error"]["details"][0]["field"] == "body.effective_from"
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    revised = admin.request("PUT", url, json={"hourly_rate_cents": 7000, "effective_from": tomorrow})
    assert revised.status_code == 200, revised.json
    assert (revised.json["latest_version"], revised.json["in_force"]["hourly_rate_cents"]) == (2, 6000)
    assert admin.get(url, query_string={"on": tomorrow}).json["in_force"]["number"] == 2
    assert [v["number"] for v in revised.json["versions"]] == [2, 1]
    today = admin.request("PUT", url, json={"hourly_rate_cents": 6500, "effective_from": TODAY.isoformat()})
    assert today.status_code == 200  # before the one scheduled: each applies from its own day
    assert admin.get(url).json["in_force"]["hourly_rate_cents"] == 6500
    assert admin.get(url, query_string={"on": tomorrow}).json["in_force"]["number"] == 2
    far = (TODAY + timedelta(days=800)).isoformat()
    assert admin.request("PUT", url, json={"hourly_rate_cents": 1, "effective_from": far}).status_code == 422
    stale = admin.request("PUT", url, json={"hourly_rate_cents": 1}, headers={"If-Match": '"1"'})
    assert stale.status_code == 409 and stale.json["error"]["code"] == "version_conflict"
    assert acme["dispatcher"].get(url).status_code == 200  # who offers work reads the rates
    assert acme["dispatcher"].request("PUT", url, json={"hourly_rate_cents": 1}).status_code == 403
    assert acme["fixit"].get(url).status_code == 404  # the partner sees its offers' terms, not the card
    listed = admin.get(f"{T}/rate-cards").json["items"]
    assert [c["rate_card_id"] for c in listed] == [card["rate_card_id"]]


def test_an_offer_without_terms_takes_the_card_with_its_schedule_and_a_later_version_never_reprices_it(
    acme, runtime
):
    admin, fixit = acme["acme"], acme["fixit"]
    card = admin.post(f"{T}/rate-cards", PARTNER_CARD).json
    url = f"{T}/rate-cards/{card['rate_card_id']}"
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    scheduled = {"hourly_rate_cents": 8000, "rates": {"overtime": 9500}, "effective_from": tomorrow}
    assert admin.request("PUT", url, json=scheduled).status_code == 200
    ticket = admin.post(f"{T}/tickets", {"title": "Boiler"}).json["ticket_id"]
    offered = admin.post(f"{T}/tickets/{ticket}/offers", {"servicer_id": "fixit"})
    assert offered.status_code == 201, offered.json
    terms = offered.json["rounds"][0]["terms"]
    assert (terms["hourly_rate_cents"], terms["rate_card_id"], terms["not_to_exceed_cents"]) == (
        6000,
        card["rate_card_id"],
        100_000,
    )
    assert terms["schedule"] == [
        {"effective_from": tomorrow, "hourly_rate_cents": 8000, "rates": {"overtime": 9500}, "markup_bp": 0}
    ]  # what the partner accepts is all it will bill at
    for step in ("accept", "start"):
        assert fixit.post(f"{T}/tickets/{ticket}/{step}", {}).status_code == 200
    assert fixit.get(f"{T}/tickets/{ticket}").json["terms"]["schedule"] == terms["schedule"]
    # A version made after the offer (today, at 1.00) is for later offers: this job keeps what it accepted.
    assert admin.request("PUT", url, json={"hourly_rate_cents": 100}).status_code == 200
    for day in (TODAY, TODAY - timedelta(days=1)):
        logged = fixit.post(
            f"{T}/tickets/{ticket}/time-entries", {"minutes": 60, "work_date": day.isoformat()}
        )
        assert logged.status_code == 201 and logged.json["amount_cents"] == 6000, logged.json
    cost = {"category": "materials", "description": "Valve", "quantity": "1", "unit_cost_cents": 1000}
    today_cost = fixit.post(f"{T}/tickets/{ticket}/costs", {**cost, "work_date": TODAY.isoformat()})
    assert today_cost.json["billed_cents"] == 1100  # the card's 10 % markup, as offered
    assert fixit.post(f"{T}/tickets/{ticket}/complete", {}).status_code == 200
    invoice_ = _invoice_of(acme, runtime, ticket)
    labour = [(ln["unit_cents"], ln["amount_cents"]) for ln in invoice_["lines"] if ln["kind"] == "labour"]
    assert labour == [(6000, 6000), (6000, 6000)]  # hours x the rate in force on each entry's day
    assert invoice_["not_to_exceed_cents"] == 100_000


def _invoice_of(acme, runtime, ticket):
    import time

    deadline = time.monotonic() + 20
    while True:
        runtime.pump()
        found = [
            i for i in acme["fixit"].get(f"{T}/partner-invoices").json["items"] if i["ticket_id"] == ticket
        ]
        if found:
            return found[0]
        assert time.monotonic() < deadline, "no invoice was computed"
        time.sleep(0.3)


def test_explicit_terms_still_win_over_the_card(acme, runtime):
    acme["acme"].post(f"{T}/rate-cards", PARTNER_CARD)
    made = completed(acme, runtime, {"hourly_rate_cents": 5000, "currency": "EUR"}, costs=())
    [labour] = made["lines"]
    assert (labour["unit_cents"], labour["amount_cents"]) == (5000, 7500)  # 1.5 h at the terms given


def test_without_terms_or_a_card_outsourcing_says_what_to_name(acme):
    ticket = acme["acme"].post(f"{T}/tickets", {"title": "Boiler"}).json["ticket_id"]
    refused = acme["acme"].post(f"{T}/tickets/{ticket}/offers", {"servicer_id": "brightco"})
    assert refused.status_code == 422 and "rate card" in refused.json["error"]["details"][0]["reason"]


def test_a_shops_invoice_is_taxed_by_its_cards_rules(api, shop):
    owner = api.as_(shop["owner"])
    tech = api.member(shop["owner"], "shop", "tech@shop.example", ["technician"])
    rules = [
        {"name": "VAT", "rate_bp": 2000},
        {"name": "Parts levy", "rate_bp": 150, "applies_to": ["part"]},
        {"name": "Labour duty", "rate_bp": 500, "applies_to": ["labour"]},
    ]
    card = {"scope": "shop", "name": "Workshop", "currency": "EUR", "hourly_rate_cents": 9000}
    assert owner.post("/tenants/shop/rate-cards", {**card, "tax_rules": rules}).status_code == 201
    made = invoice(api, shop, ready_order(api, shop, tech))
    labour = sum(ln["amount_cents"] for ln in made["lines"] if ln["kind"] == "labour")
    parts = sum(ln["amount_cents"] for ln in made["lines"] if ln["kind"] == "part")
    taxes = {t["name"]: (t["taxable_cents"], t["amount_cents"]) for t in made["taxes"]}
    assert taxes["VAT"] == (labour + parts, round((labour + parts) * 0.2))
    assert taxes["Parts levy"] == (parts, round(parts * 0.015))
    assert taxes["Labour duty"][0] == labour
    assert made["tax_cents"] == sum(amount for _, amount in taxes.values())
    assert made["total_cents"] == made["subtotal_cents"] + made["tax_cents"]
    assert (made["tax_rate_bp"], made["tax_date"]) == (None, TODAY.isoformat())


def test_the_version_in_force_on_a_day_is_the_last_that_took_effect_by_it(aws_env):
    """Past-dated versions (the API never writes them: today or later) read back by day."""
    from handoff.billing import repository as repo

    card = repo.new_rate_card(
        "acme", scope="shop", name="Shop", currency="EUR", latest_version=1, latest_from="2026-01-01"
    )
    fields = {"created_by": "someone", "tax_rules": []}
    versions = [(1, "2026-01-01", 1000), (2, "2026-06-01", 2000), (3, "2026-06-01", 3000)]
    for number, day, rate in versions:
        card.latest_version, card.latest_from = number, day
        repo.new_rate_version(card, hourly_rate_cents=rate, **fields).save()
    in_force = {
        day: getattr(repo.version_in_force("acme", card.rate_card_id, day), "hourly_rate_cents", None)
        for day in ("2025-12-31", "2026-01-01", "2026-05-31", "2026-06-01", "2027-01-01")
    }
    assert in_force == {
        "2025-12-31": None,
        "2026-01-01": 1000,
        "2026-05-31": 1000,
        "2026-06-01": 3000,  # a later version on the same day supersedes the earlier one
        "2027-01-01": 3000,
    }


def test_an_estimate_line_without_its_rate_takes_the_shops_card(api, shop):
    owner = api.as_(shop["owner"])
    line = {"description": "Brakes", "hours": "1.5"}
    body = {"unit_id": shop["units"][0], "currency": "EUR", "labour_lines": [line]}
    refused = owner.post("/tenants/shop/estimates", body)
    assert refused.status_code == 422, refused.json
    assert refused.json["error"]["details"][0]["field"] == "body.labour_lines.0.hourly_rate"
    card = {"scope": "shop", "name": "Workshop", "currency": "EUR", "hourly_rate_cents": 9000}
    assert owner.post("/tenants/shop/rate-cards", {**card, "rates": {"diagnosis": 12000}}).status_code == 201
    lines = [line, {**line, "work_type": "diagnosis"}, {**line, "hourly_rate": 5000}]
    made = owner.post("/tenants/shop/estimates", {**body, "labour_lines": lines})
    assert made.status_code == 201, made.json
    assert [ln["hourly_rate"] for ln in made.json["labour_lines"]] == [9000, 12000, 5000]
    assert made.json["labour_lines"][1]["work_type"] == "diagnosis"
    unknown = owner.post(
        "/tenants/shop/estimates", {**body, "labour_lines": [{**line, "work_type": "towing"}]}
    )
    assert unknown.status_code == 422
    dollars = owner.post("/tenants/shop/estimates", {**body, "currency": "USD"})
    assert dollars.status_code == 422  # the card prices in EUR
