"""The booking's pure rules: a negotiation cannot go on forever."""

from datetime import UTC, datetime, timedelta

import pytest

from handoff.bookings.domain import MAX_STEPS, Booking, Side, Status, Step, take
from handoff.errors import Conflict

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
SLOT = NOW + timedelta(days=3)


def negotiating(steps_taken: int) -> Booking:
    return Booking(Status.NEGOTIATING, SLOT, SLOT + timedelta(hours=2), Side.SHOP, steps_taken=steps_taken)


def test_a_counter_suggestion_is_fine_before_the_limit():
    after = take(
        negotiating(MAX_STEPS - 1), Step.SUGGEST, Side.CUSTOMER, slot=SLOT + timedelta(days=1), now=NOW
    )
    assert after.status is Status.NEGOTIATING and after.suggested_by is Side.CUSTOMER


@pytest.mark.parametrize("step", [Step.SUGGEST, Step.REJECT])
def test_past_the_limit_only_settling_steps_remain(step):
    with pytest.raises(Conflict) as refused:
        take(negotiating(MAX_STEPS), step, Side.CUSTOMER, slot=SLOT + timedelta(days=1), now=NOW)
    assert refused.value.code == "negotiation_exhausted"


@pytest.mark.parametrize(
    ("step", "side", "status"),
    [(Step.ACCEPT, Side.CUSTOMER, Status.CONFIRMED), (Step.DECLINE, Side.SHOP, Status.DECLINED)],
)
def test_a_long_negotiation_can_still_be_settled(step, side, status):
    assert take(negotiating(MAX_STEPS + 5), step, side, slot=None, now=NOW).status is status
