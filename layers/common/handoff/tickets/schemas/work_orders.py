"""The service board's and work orders' models: clocking on and off, time corrections, the work required
and where a unit's work orders stand."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field, model_validator

from handoff.schema import PartOut, ReadModel, WriteModel
from handoff.tickets.schemas import Id, NoteText


class ClockOn(WriteModel):
    technician_id: Id | None = Field(
        default=None, description="A dispatcher clocks a technician on; absent: the caller clocks on"
    )
    work_order_id: Id | None = Field(
        default=None,
        description="Add this work required to an open work order of the same unit; absent: the work's "
        "own work order, or a new one",
    )


class ClockOff(WriteModel):
    technician_id: Id | None = Field(
        default=None, description="A dispatcher clocks a technician off; absent: the caller clocks off"
    )


def _in_utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


# Any offset is taken and kept in UTC: entries are ordered (and checked for overlap) on one clock.
UtcDatetime = Annotated[AwareDatetime, AfterValidator(_in_utc)]


class TimeEntryCorrection(WriteModel):
    started_at: UtcDatetime | None = None
    stopped_at: UtcDatetime | None = None
    reason: NoteText = Field(description="Why the clocked time was wrong (kept in the entry's audit trail)")

    @model_validator(mode="after")
    def _changes_something(self) -> "TimeEntryCorrection":
        if self.started_at is None and self.stopped_at is None:
            raise ValueError("name started_at, stopped_at or both")
        return self


class WorkRequiredOut(ReadModel):
    work_id: str
    estimate_id: str
    estimate_version: int
    line_id: str
    unit_id: str
    customer_id: str
    description: str
    hours: Decimal
    labour_code: str | None
    parts: list[PartOut]
    status: str = Field(description="open, or in_progress on a work order")
    work_order_id: str | None
    created_at: datetime


class WorkRequiredPage(ReadModel):
    items: list[WorkRequiredOut]
    next_cursor: str | None


class WorkOrderStatusLine(ReadModel):
    description: str
    labour_code: str | None


class WorkOrderStatus(ReadModel):
    """What the customer's portal users see of a work order: where it stands, not who worked how long."""

    ticket_id: str
    ro_number: int
    unit_id: str
    status: str
    lines: list[WorkOrderStatusLine]
    created_at: datetime
    updated_at: datetime


class WorkOrderStatusPage(ReadModel):
    items: list[WorkOrderStatus]
    next_cursor: str | None
