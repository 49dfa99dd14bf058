"""Reports from the buckets every ticket change keeps: the owner over all partners, a partner over its own
work only; JSON and CSV."""

import csv
import io
from datetime import UTC, datetime

import pytest

TERMS = {"hourly_rate_cents": 6000, "markup_bp": 1000, "currency": "EUR"}
TODAY = datetime.now(UTC).date().isoformat()


@pytest.fixture
def work(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    admin = api.as_(owner)
    leads = {}
    for servicer in ("fixit", "brightco"):
        founder = api.user(f"owner@{servicer}.example")
        api.tenant(founder, servicer)
        api.link(owner, "acme", servicer)
        leads[servicer] = api.member(
            founder, servicer, f"lead@{servicer}.example", ["technician"], accepts_work=True
        )
    helper = api.member(api.user("owner@fixit.example"), "fixit", "helper@fixit.example", ["technician"])

    def ticket(title, servicer=None, minutes=0, cost=0):
        ticket_id = admin.post("/tenants/acme/tickets", {"title": title}).json["ticket_id"]
        if servicer:
            admin.post(f"/tenants/acme/tickets/{ticket_id}/offers", {"servicer_id": servicer, "terms": TERMS})
            lead = api.as_(leads[servicer])
            for step in ("accept", "start"):
                assert lead.post(f"/tenants/acme/tickets/{ticket_id}/{step}", {}).status_code == 200
            if minutes:
                lead.post(
                    f"/tenants/acme/tickets/{ticket_id}/time-entries",
                    {"minutes": minutes, "work_date": TODAY},
                )
            if cost:
                body = {
                    "category": "materials",
                    "description": "Parts",
                    "quantity": "1",
                    "unit_cost_cents": cost,
                }
                lead.post(f"/tenants/acme/tickets/{ticket_id}/costs", {**body, "work_date": TODAY})
        return ticket_id

    ticket("Pump", "fixit", minutes=90, cost=1000)  # 9000 labour + 1100 billed costs
    ticket("Valve", "fixit", minutes=30)  # 3000
    ticket("Roof", "brightco", minutes=60)  # 6000
    ticket("Boiler")  # in house, open
    return {"owner": owner, "leads": leads, "helper": helper}


def report(api, user, kind, **query):
    answer = api.as_(user).get(f"/tenants/acme/reports/{kind}", query_string=query)
    assert answer.status_code == 200, answer.json
    return answer.json


def test_the_owner_sees_every_partner_and_a_partner_only_its_own(api, work):
    summary = report(api, work["owner"], "summary", period_from=TODAY, period_to=TODAY)
    by_partner = {p["partner"]: (p["tickets"], p["hours"], p["amounts"]) for p in summary["by_partner"]}
    eur = {"currency": "EUR", "labour_cents": 12000, "cost_cents": 1000, "billable_cents": 13100}
    assert by_partner == {
        "fixit": (2, "2.00", [eur]),
        "brightco": (
            1,
            "1.00",
            [{"currency": "EUR", "labour_cents": 6000, "cost_cents": 0, "billable_cents": 6000}],
        ),
        "in_house": (1, "0.00", []),
    }
    assert {s["status"]: s["tickets"] for s in summary["by_status"]} == {"in_progress": 3, "open": 1}
    assert summary["total"]["tickets"] == 4 and summary["total"]["hours"] == "3.00"

    theirs = report(api, work["leads"]["fixit"], "summary", period_from=TODAY, period_to=TODAY)
    assert [p["partner"] for p in theirs["by_partner"]] == ["fixit"] and theirs["total"]["tickets"] == 2
    assert report(api, work["owner"], "summary", partner="fixit")["total"] == theirs["total"]
    refused = api.as_(work["leads"]["fixit"]).get(
        "/tenants/acme/reports/summary", query_string={"partner": "brightco"}
    )
    assert refused.status_code == 422
    assert api.as_(work["helper"]).get("/tenants/acme/reports/summary").status_code == 403
    assert (
        report(api, work["owner"], "summary", period_from="2020-01-01", period_to="2020-12-31")["total"][
            "tickets"
        ]
        == 0
    )
    too_long = api.as_(work["owner"]).get(
        "/tenants/acme/reports/summary", query_string={"period_from": "2020-01-01", "period_to": "2026-01-01"}
    )
    assert too_long.status_code == 422
    assert report(api, work["owner"], "summary", period_to="0001-01-05")["total"]["tickets"] == 0  # no 500


def test_the_status_report_counts_and_ages_what_is_in_each_status(api, work):
    statuses = {s["status"]: s for s in report(api, work["owner"], "status")["statuses"]}
    assert statuses["in_progress"]["tickets"] == 3 and statuses["open"]["tickets"] == 1
    assert statuses["open"]["oldest"]["title"] == "Boiler"
    assert statuses["in_progress"]["oldest"]["title"] == "Pump"
    assert statuses["closed"] == {"status": "closed", "tickets": 0, "average_age_days": None, "oldest": None}
    theirs = {s["status"]: s for s in report(api, work["leads"]["brightco"], "status")["statuses"]}
    assert theirs["in_progress"]["tickets"] == 1 and theirs["in_progress"]["oldest"]["title"] == "Roof"
    assert theirs["open"]["tickets"] == 0


def test_reports_come_as_csv_when_asked(api, work):
    answer = api.as_(work["owner"]).get(
        "/tenants/acme/reports/summary", query_string={"period_from": TODAY}, headers={"Accept": "text/csv"}
    )
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    fixit = [r for r in rows if (r["group"], r["key"]) == ("partner", "fixit")]
    assert fixit == [
        {
            "group": "partner",
            "key": "fixit",
            "tickets": "2",
            "hours": "2.00",
            "currency": "EUR",
            "labour_cents": "12000",
            "cost_cents": "1000",
            "billable_cents": "13100",
        }
    ]
    status = api.as_(work["owner"]).get("/tenants/acme/reports/status", headers={"Accept": "text/csv"})
    assert status.get_data(as_text=True).startswith("status,tickets,average_age_days")
