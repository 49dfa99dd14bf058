"""Reports for the owner over all partners, and for a partner over its own work only: read from the report
buckets every ticket change keeps (never from the tickets themselves), as JSON or CSV."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from handoff import keys
from handoff.auth.access import Access
from handoff.errors import Forbidden, Invalid
from handoff.ids import utc_now
from handoff.tickets import reporting, service
from handoff.tickets import repository as repo
from handoff.tickets.domain import Side, TicketStatus
from handoff.tickets.schemas.reports import StatusReport, SummaryReport

DEFAULT_PERIOD = timedelta(days=30)
LONGEST_PERIOD = timedelta(days=366)


def _partner_of(access: Access, partner: str | None) -> str | None:
    """Whose work the report covers: a partner's members see their own company's only (its admins and those
    allowed to accept work); the owner's staff, all of it or one partner's."""
    doer = service.doer_of(access)
    if doer.side is Side.OWNER:
        return partner
    if not doer.answers_offers:
        raise Forbidden(
            "your company's admins, and the members they allow to accept work, read its reports",
            code="may_not_accept_work",
        )
    if partner not in (None, doer.company_id):
        raise Invalid("partner", "a partner's members report on their own company's work", location="query")
    return doer.company_id


def _bucket_of(item: repo.ReportBucketItem) -> reporting.Bucket:
    parts = item.sk.split("#")  # D#<day>#P#<partner>#S#<status>#C#<currency>
    fields = dict(zip(parts[0::2], parts[1::2], strict=True))
    partner, currency = fields["P"], fields["C"]
    return reporting.Bucket(
        partner=reporting.IN_HOUSE if partner == keys.IN_HOUSE else partner,
        status=fields["S"],
        currency=None if currency == keys.IN_HOUSE else currency,
        tickets=int(item.tickets),
        minutes=int(item.minutes),
        labour_cents=int(item.labour_cents),
        cost_cents=int(item.cost_cents),
        billable_cents=int(item.billable_cents),
    )


def summary(
    access: Access, period_from: date | None, period_to: date | None, partner: str | None
) -> tuple[SummaryReport, str]:
    """The report, and the same as CSV."""
    partner = _partner_of(access, partner)
    period_to = period_to or utc_now().date()
    if period_from is None:
        period_from = period_to - DEFAULT_PERIOD if period_to - date.min > DEFAULT_PERIOD else date.min
    if period_from > period_to:
        raise Invalid("period_from", "must be on or before period_to", location="query")
    if period_to - period_from > LONGEST_PERIOD:
        raise Invalid("period_to", "a report covers at most 366 days", location="query")
    start, end = period_from.isoformat(), period_to.isoformat()
    if partner is None:
        low, high = f"D#{start}", f"D#{end}~"
    else:
        low, high = f"P#{partner}#D#{start}", f"P#{partner}#D#{end}~"
    found = [_bucket_of(_as_by_day(b)) for b in repo.report_buckets(access.tenant, low, high)]
    summed = reporting.summarize(found)
    report = SummaryReport.model_validate(
        {"period_from": period_from, "period_to": period_to, "partner": partner, **summed}
    )
    return report, reporting.summary_csv(summed)


def _as_by_day(item: repo.ReportBucketItem) -> repo.ReportBucketItem:
    """A partner-led bucket (P#…#D#…) read as the day-led one it twins."""
    if item.sk.startswith("P#"):
        parts = item.sk.split("#")
        item.sk = keys.report_by_day(parts[3], parts[1], parts[5], parts[7])
    return item


def status(access: Access, partner: str | None) -> tuple[StatusReport, str]:
    partner = _partner_of(access, partner)
    now = utc_now()
    counters: dict[str, list[int]] = {}
    for counter in repo.status_counters(access.tenant, partner):
        name = counter.sk.rsplit("#", 1)[-1]
        into = counters.setdefault(name, [0, 0])
        into[0] += int(counter.tickets)
        into[1] += int(counter.created_sum)
    lines: list[dict[str, Any]] = []
    for state in TicketStatus:
        tickets, created_sum = counters.get(state.value, [0, 0])
        oldest = repo.oldest(access.tenant, partner, state.value) if tickets > 0 else None
        lines.append(
            {
                "status": state.value,
                "tickets": tickets,
                "average_age_days": reporting.average_age_days(tickets, created_sum, now),
                "oldest": {
                    "ticket_id": oldest.ticket_id,
                    "title": oldest.title,
                    "age_days": reporting.age_days(oldest.created_at, now),
                }
                if oldest
                else None,
            }
        )
    report = StatusReport.model_validate({"as_of": now, "partner": partner, "statuses": lines})
    return report, reporting.status_csv(lines)
