"""The pure routing rules: who of an escalation layer takes a team's request, and why."""

import pytest

from handoff.tickets.dispatch import Candidate, Layer, Via, next_layer, route

NORTH, SOUTH = "org-north", "org-south"


def partner(user_id: str, org: str | None, load: int = 0) -> Candidate:
    return Candidate(user_id, partner_user=True, partner_org_id=org, open_load=load)


def tech(user_id: str, load: int = 0) -> Candidate:
    return Candidate(user_id, partner_user=False, partner_org_id=None, open_load=load)


def layer(*candidates: Candidate, minutes: int = 30) -> Layer:
    return Layer(tuple(candidates), minutes)


def test_the_customers_partner_user_comes_before_internal_technicians():
    decision = route(
        [layer(tech("t1"), partner("p-north", NORTH), partner("p-south", SOUTH))], 0, NORTH, [], False, 0
    )
    assert (decision.via, decision.assignee_id, decision.layer) == (Via.PARTNER_USER, "p-north", 0)
    assert decision.response_minutes == 30 and decision.waits


def test_another_organizations_partner_user_never_gets_it():
    decision = route([layer(partner("p-south", SOUTH), tech("t1"))], 0, NORTH, [], False, 0)
    assert (decision.via, decision.assignee_id) == (Via.TECHNICIAN, "t1")
    assert "no partner user of the customer's organization" in decision.reason


def test_a_customer_without_organization_goes_to_an_internal_technician():
    decision = route([layer(partner("p-north", NORTH), tech("t1"))], 0, None, ["vendor"], True, 0)
    assert (decision.via, decision.assignee_id) == (Via.TECHNICIAN, "t1")


def test_a_partner_user_left_without_organization_is_no_one():
    decision = route([layer(partner("p-none", None))], 0, None, [], False, 0)
    assert decision.via is Via.NOBODY and not decision.waits


def test_the_least_loaded_wins_then_the_turn_decides_among_equals():
    busy = layer(tech("t1", load=3), tech("t2", load=1), tech("t3", load=1))
    assert route([busy], 0, None, [], False, 0).assignee_id == "t2"
    assert route([busy], 0, None, [], False, 1).assignee_id == "t3"
    assert route([busy], 0, None, [], False, 2).assignee_id == "t2"
    assert "in turn among 2" in route([busy], 0, None, [], False, 0).reason


def test_the_preferred_vendor_takes_what_a_layer_has_no_one_for_when_the_team_routes_outward():
    decision = route([layer(), layer(tech("t2"))], 0, NORTH, ["fixit"], True, 0)
    assert (decision.via, decision.servicer_id, decision.layer) == (Via.VENDOR, "fixit", 0)
    inward = route([layer(), layer(tech("t2"))], 0, NORTH, ["fixit"], False, 0)
    assert (inward.via, inward.assignee_id, inward.layer, inward.skipped) == (Via.TECHNICIAN, "t2", 1, (0,))


def test_several_preferred_vendors_take_turns():
    assert [route([layer()], 0, None, ["b", "a"], True, t).servicer_id for t in range(3)] == ["a", "b", "a"]


def test_past_the_last_layer_no_one_takes_it():
    decision = route([layer(tech("t1")), layer()], 1, None, [], False, 0)
    assert (decision.via, decision.layer, decision.skipped) == (Via.NOBODY, 1, (1,))


def test_routing_starts_at_the_layer_it_is_given():
    decision = route([layer(tech("t1")), layer(tech("t2"))], 1, None, [], False, 0)
    assert (decision.assignee_id, decision.layer) == ("t2", 1)


@pytest.mark.parametrize(("current", "count", "expected"), [(0, 2, 1), (1, 2, None), (0, 1, None)])
def test_escalation_moves_to_the_next_layer_and_stops_at_the_last(current, count, expected):
    assert next_layer(current, count) == expected
