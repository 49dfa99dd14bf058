"""The ticket's pure rules: the one transition table (sides and kinds), clocking, repair order numbers,
overlap of clocked entries, estimated against clocked time, assignment, and labour at the accepted rate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handoff.auth.policy import Role
from handoff.errors import Conflict, Forbidden, Invalid
from handoff.tickets import domain
from handoff.tickets.domain import Side, Span, Terms, TicketAction, TicketKind, TicketStatus

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_a_work_order_ends_in_ready_to_submit_and_reopens_from_there():
    status = TicketStatus.IN_PROGRESS
    status = domain.take(status, TicketAction.UNIT_READY, Side.OWNER, TicketKind.WORK_ORDER)
    assert status is TicketStatus.READY_TO_SUBMIT
    again = domain.take(status, TicketAction.REOPEN, Side.OWNER, TicketKind.WORK_ORDER)
    assert again is TicketStatus.IN_PROGRESS


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (TicketStatus.IN_PROGRESS, TicketAction.COMPLETE),
        (TicketStatus.OPEN, TicketAction.OUTSOURCE),
        (TicketStatus.READY_TO_SUBMIT, TicketAction.UNIT_READY),
        (TicketStatus.READY_TO_SUBMIT, TicketAction.CLOSE),
    ],
)
def test_steps_of_tickets_are_not_steps_of_work_orders(status, step):
    with pytest.raises(Conflict) as refused:
        domain.take(status, step, Side.OWNER, TicketKind.WORK_ORDER)
    assert refused.value.code == "illegal_transition"
    assert "work order" in refused.value.message


def test_a_ticket_never_takes_the_unit_ready_step():
    with pytest.raises(Conflict):
        domain.take(TicketStatus.IN_PROGRESS, TicketAction.UNIT_READY, Side.OWNER)


def test_a_side_that_never_takes_a_step_is_refused_before_any_state_is_told():
    with pytest.raises(Forbidden):
        domain.take(TicketStatus.IN_PROGRESS, TicketAction.UNIT_READY, Side.PARTNER, TicketKind.WORK_ORDER)
    for status in TicketStatus:  # closing is the owner's, in whatever state the ticket is
        with pytest.raises(Forbidden):
            domain.take(status, TicketAction.CLOSE, Side.PARTNER)
    with pytest.raises(Conflict):  # the owner may close, just not now
        domain.take(TicketStatus.OPEN, TicketAction.CLOSE, Side.OWNER)


def test_a_partner_system_reports_statuses_of_tickets_only():
    assert (
        domain.step_to(TicketStatus.IN_PROGRESS, TicketStatus.COMPLETED, Side.PARTNER)
        is TicketAction.COMPLETE
    )
    with pytest.raises(Conflict):
        domain.step_to(TicketStatus.IN_PROGRESS, TicketStatus.READY_TO_SUBMIT, Side.OWNER)


def test_every_step_of_the_table_names_a_side_and_a_kind():
    for (source, step), (after, sides, kinds) in domain.TRANSITIONS.items():
        assert sides and kinds, (source, step)
        assert source is not after or step is TicketAction.REOPEN


def test_clocking_needs_work_in_progress():
    domain.check_clockable(TicketStatus.IN_PROGRESS)
    for status in (TicketStatus.ON_HOLD, TicketStatus.READY_TO_SUBMIT, TicketStatus.CANCELLED):
        with pytest.raises(Conflict):
            domain.check_clockable(status)


def test_one_job_at_a_time():
    domain.check_not_clocked_on(None, None)
    with pytest.raises(Conflict) as refused:
        domain.check_not_clocked_on("01JB8Z6W3X4Y5Z6A7B8C9D0T1K", 41)
    assert refused.value.code == "already_clocked_on" and "repair order 41" in refused.value.message


def test_repair_orders_run_one_two_three():
    assert [domain.next_repair_order(n) for n in (0, 1, 41)] == [1, 2, 42]


def test_a_new_entry_never_starts_before_the_last_one_stopped():
    assert domain.clock_start(NOW, None) == NOW
    assert domain.clock_start(NOW, NOW + timedelta(seconds=3)) == NOW + timedelta(seconds=3)
    assert domain.clock_start(NOW, NOW - timedelta(hours=1)) == NOW


def test_minutes_round_half_up():
    assert [domain.minutes_of(s) for s in (0, 29, 30, 89, 90)] == [0, 0, 1, 1, 2]


def test_estimated_against_clocked():
    assert domain.variance_minutes("1.5", 100 * 60) == (90, 100, 10)
    assert domain.variance_minutes("0.25", 10 * 60) == (15, 10, -5)


@pytest.mark.parametrize(
    ("start", "stop", "field"),
    [
        (NOW, NOW, "stopped_at"),
        (NOW - timedelta(hours=1), NOW + timedelta(minutes=1), "stopped_at"),
        (NOW - timedelta(hours=25), NOW, "stopped_at"),
    ],
)
def test_a_correction_is_a_real_past_span_of_at_most_a_day(start, stop, field):
    with pytest.raises(Invalid) as refused:
        domain.check_correction(start, stop, NOW)
    assert refused.value.details[0]["field"] == f"body.{field}"


def _span(entry_id: str, start_hours_ago: float, stop_hours_ago: float | None) -> Span:
    stop = None if stop_hours_ago is None else NOW - timedelta(hours=stop_hours_ago)
    return Span(entry_id, NOW - timedelta(hours=start_hours_ago), stop)


def test_only_the_latest_earlier_entry_can_overlap():
    start, stop = NOW - timedelta(hours=3), NOW - timedelta(hours=2)
    # entries that start before `stop`, latest first: a-before (5h..4h) ends before `start`
    domain.check_no_overlap("me", start, stop, [_span("a", 5, 4)])
    domain.check_no_overlap("me", start, stop, [_span("me", 2.5, 2.2), _span("a", 5, 3)])  # touches
    with pytest.raises(Conflict) as refused:
        domain.check_no_overlap("me", start, stop, [_span("b", 2.5, 1)])  # starts inside
    assert refused.value.code == "time_overlap"
    with pytest.raises(Conflict):
        domain.check_no_overlap("me", start, stop, [_span("c", 4, 2.5)])  # reaches into it
    with pytest.raises(Conflict):
        domain.check_no_overlap("me", start, stop, [_span("running", 4, None)])  # still running


def test_assignment_needs_a_member_who_takes_work_and_a_ticket_no_partner_holds():
    domain.check_assignee(frozenset({Role.TECHNICIAN}))
    for roles in (None, frozenset({Role.CUSTOMER}), frozenset({Role.ADMIN})):
        with pytest.raises(Invalid):
            domain.check_assignee(roles)
    domain.check_assignable(TicketStatus.OPEN, None)
    with pytest.raises(Conflict) as refused:
        domain.check_assignable(TicketStatus.ACCEPTED, "fixit")
    assert refused.value.code == "outsourced"
    with pytest.raises(Conflict):
        domain.check_assignable(TicketStatus.CLOSED, None)


def test_labour_at_the_accepted_rate_rounds_half_up():
    assert domain.labour_cents(90, Terms(6000, "EUR")) == 9000
    assert domain.labour_cents(1, Terms(50, "EUR")) == 1  # 0.83 cents
    assert domain.labour_cents(90, None) == 0


def test_a_gated_partners_completion_waits_for_an_owner_admin():
    done = domain.take(TicketStatus.IN_PROGRESS, TicketAction.COMPLETE, Side.PARTNER)
    assert domain.gated(done, TicketAction.COMPLETE, Side.PARTNER, True) is TicketStatus.PENDING_APPROVAL
    assert domain.gated(done, TicketAction.COMPLETE, Side.PARTNER, False) is TicketStatus.COMPLETED
    assert domain.gated(done, TicketAction.COMPLETE, Side.OWNER, True) is TicketStatus.COMPLETED  # in house
    approved = domain.take(TicketStatus.PENDING_APPROVAL, TicketAction.APPROVE, Side.OWNER)
    rejected = domain.take(TicketStatus.PENDING_APPROVAL, TicketAction.REJECT, Side.OWNER)
    assert (approved, rejected) == (TicketStatus.CLOSED, TicketStatus.IN_PROGRESS)
    assert TicketAction.REJECT in domain.NEEDS_NOTE
    with pytest.raises(Forbidden):
        domain.take(TicketStatus.PENDING_APPROVAL, TicketAction.APPROVE, Side.PARTNER)
    with pytest.raises(Conflict):
        domain.take(TicketStatus.COMPLETED, TicketAction.APPROVE, Side.OWNER)


def test_the_overlap_check_takes_neighbours_in_any_order():
    """The index's answer and the clock's remembered spans come together unordered: the latest start wins."""
    start, stop = NOW - timedelta(hours=3), NOW - timedelta(hours=2)
    spans = [_span("old", 6, 5), _span("moved-here-a-moment-ago", 2.5, 1.5), _span("older", 5, 4)]
    with pytest.raises(Conflict) as refused:
        domain.check_no_overlap("me", start, stop, spans)
    assert "moved-here-a-moment-ago" in refused.value.message
    domain.check_no_overlap("me", start, stop, [_span("older", 5, 4), _span("old", 6, 5)])


def test_an_entry_is_over_the_nte_once_the_total_passes_it_and_one_entry_crosses_it():
    from handoff.tickets.domain import nte_flags

    assert nte_flags(5000, 9000, 10000) == (False, False)
    assert nte_flags(9000, 10000, 10000) == (False, False)  # at the amount: not over
    assert nte_flags(9000, 12000, 10000) == (True, True)
    assert nte_flags(12000, 13000, 10000) == (True, False)
    assert nte_flags(0, 99999, None) == (False, False)  # no amount: nothing to pass


def test_a_not_to_exceed_request_raises_it_and_is_answered_once():
    import pytest

    from handoff.errors import Conflict, Invalid
    from handoff.tickets.domain import NteAction, NteStatus, answer_nte, check_nte_increase

    with pytest.raises(Conflict):
        check_nte_increase(None, 5000, False)
    with pytest.raises(Conflict):
        check_nte_increase(1000, 5000, True)
    with pytest.raises(Invalid):
        check_nte_increase(5000, 5000, False)
    check_nte_increase(5000, 5001, False)
    assert answer_nte(NteStatus.PENDING, NteAction.APPROVE, None) is NteStatus.APPROVED
    with pytest.raises(Invalid):
        answer_nte(NteStatus.PENDING, NteAction.REJECT, None)
    with pytest.raises(Conflict):
        answer_nte(NteStatus.APPROVED, NteAction.REJECT, "late")
