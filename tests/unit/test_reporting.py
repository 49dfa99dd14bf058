"""Report arithmetic: buckets summed by status and partner, ages, and CSV a spreadsheet cannot run."""

from datetime import UTC, datetime
from decimal import Decimal

from handoff.tickets.reporting import Bucket, average_age_days, status_csv, summarize, summary_csv


def _bucket(partner, status, tickets, minutes=0, currency="EUR", labour=0, cost=0, billable=0):
    return Bucket(partner, status, currency, tickets, minutes, labour, cost, billable)


def test_buckets_sum_by_status_and_by_partner_and_empty_groups_drop_out():
    summed = summarize(
        [
            _bucket("fixit", "in_progress", 2, 90, labour=9000, cost=1000, billable=10100),
            _bucket("fixit", "closed", 1, 30, currency="USD", labour=3000, billable=3000),
            _bucket("brightco", "open", 0),  # a bucket whose tickets all moved on
            _bucket("in_house", "open", 1, currency=None),
        ]
    )
    assert [s["status"] for s in summed["by_status"]] == ["closed", "in_progress", "open"]
    fixit = next(p for p in summed["by_partner"] if p["partner"] == "fixit")
    assert (fixit["tickets"], fixit["hours"]) == (3, Decimal("2.00"))
    assert [a["currency"] for a in fixit["amounts"]] == ["EUR", "USD"]
    assert "brightco" not in [p["partner"] for p in summed["by_partner"]]
    assert summed["total"]["tickets"] == 4


def test_average_age_comes_from_the_sum_of_creation_times():
    now = datetime(2026, 12, 1, tzinfo=UTC)
    day = 86_400
    created = [int(now.timestamp()) - 1 * day, int(now.timestamp()) - 3 * day]
    assert average_age_days(2, sum(created), now) == Decimal("2.0")
    assert average_age_days(0, 0, now) is None


def test_csv_cells_never_run_as_formulas():
    text = status_csv(
        [{"status": "open", "tickets": 1, "average_age_days": 1, "oldest": {"title": "=HYPERLINK(1)"}}]
    )
    assert "'=HYPERLINK(1)" in text
    assert summary_csv(summarize([])).splitlines()[1] == "total,,0,0.00,,,,"
