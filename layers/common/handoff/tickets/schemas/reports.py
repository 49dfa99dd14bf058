"""The summary and status reports."""

from datetime import date, datetime
from decimal import Decimal

from pydantic import Field

from handoff.schema import ReadModel

# ---- reports -----------------------------------------------------------------------------------------------


class AmountOut(ReadModel):
    currency: str
    labour_cents: int
    cost_cents: int
    billable_cents: int = Field(description="Labour, and costs with the accepted markup")


class StatusSum(ReadModel):
    status: str
    tickets: int
    hours: Decimal
    amounts: list[AmountOut]


class PartnerSum(ReadModel):
    partner: str = Field(description="A partner instance, or in_house")
    tickets: int
    hours: Decimal
    amounts: list[AmountOut]


class TotalSum(ReadModel):
    tickets: int
    hours: Decimal
    amounts: list[AmountOut]


class SummaryReport(ReadModel):
    """The tickets created in the period (UTC days), where they stand now: how many, their logged hours and
    what they bill, by status and by partner."""

    period_from: date
    period_to: date
    partner: str | None = Field(description="A partner's report (its own work only), or all of the owner's")
    by_status: list[StatusSum]
    by_partner: list[PartnerSum]
    total: TotalSum


class OldestOut(ReadModel):
    ticket_id: str
    title: str
    age_days: Decimal


class StatusLine(ReadModel):
    status: str
    tickets: int
    average_age_days: Decimal | None
    oldest: OldestOut | None


class StatusReport(ReadModel):
    """How many tickets are in each status now, their average age and the oldest one."""

    as_of: datetime
    partner: str | None
    statuses: list[StatusLine]
