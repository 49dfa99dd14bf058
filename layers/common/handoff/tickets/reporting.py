"""Report arithmetic (pure: no AWS): the owner's report buckets summed by status and by partner, status
counters turned into ages, and both as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

IN_HOUSE = "in_house"  # how a report names work no partner holds
SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class Bucket:
    """What the tickets of one creation day, partner, status and currency add up to."""

    partner: str
    status: str
    currency: str | None
    tickets: int
    minutes: int
    labour_cents: int
    cost_cents: int
    billable_cents: int


@dataclass
class Sum:
    tickets: int = 0
    minutes: int = 0
    amounts: dict[str, list[int]] = field(default_factory=dict)  # currency -> labour, costs, billable

    def add(self, bucket: Bucket) -> None:
        self.tickets += bucket.tickets
        self.minutes += bucket.minutes
        if bucket.currency is not None and (
            bucket.labour_cents or bucket.cost_cents or bucket.billable_cents
        ):
            into = self.amounts.setdefault(bucket.currency, [0, 0, 0])
            into[0] += bucket.labour_cents
            into[1] += bucket.cost_cents
            into[2] += bucket.billable_cents

    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def shown(self) -> dict[str, object]:
        return {
            "tickets": self.tickets,
            "hours": self.hours(),
            "amounts": [
                {"currency": c, "labour_cents": a[0], "cost_cents": a[1], "billable_cents": a[2]}
                for c, a in sorted(self.amounts.items())
            ],
        }


def summarize(buckets: Iterable[Bucket]) -> dict[str, Any]:
    """Counts, hours and amounts by status, by partner and in all (statuses and partners with no tickets
    left in them are not shown)."""
    by_status: dict[str, Sum] = {}
    by_partner: dict[str, Sum] = {}
    total = Sum()
    for bucket in buckets:
        for group, key in ((by_status, bucket.status), (by_partner, bucket.partner)):
            group.setdefault(key, Sum()).add(bucket)
        total.add(bucket)
    return {
        "by_status": [{"status": k, **s.shown()} for k, s in sorted(by_status.items()) if s.tickets],
        "by_partner": [{"partner": k, **s.shown()} for k, s in sorted(by_partner.items()) if s.tickets],
        "total": total.shown(),
    }


def average_age_days(tickets: int, created_sum: int, now: datetime) -> Decimal | None:
    """The average age of `tickets` whose creation times (epoch seconds) sum to `created_sum`."""
    if tickets <= 0:
        return None
    mean_created = Decimal(created_sum) / tickets
    return ((Decimal(int(now.timestamp())) - mean_created) / SECONDS_PER_DAY).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def age_days(created_at: datetime, now: datetime) -> Decimal:
    return (Decimal((now - created_at).total_seconds()) / SECONDS_PER_DAY).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def summary_csv(summary: dict[str, Any]) -> str:
    """One row per group, key and currency (a group without amounts: one row with no currency)."""
    rows: list[list[object]] = [
        ["group", "key", "tickets", "hours", "currency", "labour_cents", "cost_cents", "billable_cents"]
    ]
    groups = [("status", "status", summary["by_status"]), ("partner", "partner", summary["by_partner"])]
    entries: list[tuple[str, str, Any]] = [
        (group, str(line[key]), line) for group, key, lines in groups for line in lines
    ]
    entries.append(("total", "", summary["total"]))
    for group, key, line in entries:
        head: list[object] = [group, key, line["tickets"], line["hours"]]
        amounts = line["amounts"] or [{}]
        for amount in amounts:
            rows.append(
                [
                    *head,
                    amount.get("currency", ""),
                    amount.get("labour_cents", ""),
                    amount.get("cost_cents", ""),
                    amount.get("billable_cents", ""),
                ]
            )
    return _csv(rows)


def status_csv(statuses: list[dict[str, Any]]) -> str:
    rows: list[list[object]] = [
        ["status", "tickets", "average_age_days", "oldest_ticket_id", "oldest_title", "oldest_age_days"]
    ]
    for line in statuses:
        oldest: dict[str, Any] = line.get("oldest") or {}
        rows.append(
            [
                line["status"],
                line["tickets"],
                line["average_age_days"],
                oldest.get("ticket_id", ""),
                oldest.get("title", ""),
                oldest.get("age_days", ""),
            ]
        )
    return _csv(rows)


def _csv(rows: list[list[object]]) -> str:
    """RFC 4180; a cell a spreadsheet would run as a formula is quoted as text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_text(cell) for cell in row])
    return out.getvalue()


def _text(cell: object) -> object:
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell
