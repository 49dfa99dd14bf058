"""The summary and status reports (JSON or CSV)."""

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from handoff.api.app import endpoint, negotiated, new_app
from handoff.api.params import Accept
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.ids import TENANT_ID_PATTERN
from handoff.tickets import reports
from handoff.tickets.schemas.reports import StatusReport, SummaryReport

app = new_app()


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/reports/summary",
    action=Action.REPORT_READ,
    summary="The summary report: tickets created in a period by status and by partner (JSON or CSV)",
)
def summary_report(
    tenant_id: str,
    access: Access,
    period_from: Annotated[date | None, Query(description="First day (UTC); default 30 days back")] = None,
    period_to: Annotated[
        date | None, Query(description="Last day (UTC), at most 366 after; default today")
    ] = None,
    partner: Annotated[
        str | None, Query(pattern=TENANT_ID_PATTERN, description="The owner's staff: one partner's work")
    ] = None,
    accept: Accept = None,
) -> SummaryReport | str:
    """Counts, logged hours and amounts (labour, costs, billable, by currency) of the tickets created in the
    period, by the status they are in now and by the partner holding them. A partner's members see their
    own company's work only. `Accept: text/csv` for CSV."""
    report, as_csv = reports.summary(access, period_from, period_to, partner)
    return negotiated(report, as_csv, accept)  # type: ignore[no-any-return]


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/reports/status",
    action=Action.REPORT_READ,
    summary="The status report: tickets in each status now, their average age and the oldest (JSON or CSV)",
)
def status_report(
    tenant_id: str,
    access: Access,
    partner: Annotated[
        str | None, Query(pattern=TENANT_ID_PATTERN, description="The owner's staff: one partner's work")
    ] = None,
    accept: Accept = None,
) -> StatusReport | str:
    report, as_csv = reports.status(access, partner)
    return negotiated(report, as_csv, accept)  # type: ignore[no-any-return]
