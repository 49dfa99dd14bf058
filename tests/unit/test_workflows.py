"""Which committed events start or stop workflows, held together with the bus rule that brings them."""

from devstack import template
from handoff.workflows import STARTS, STOPS


def test_the_starters_rule_brings_exactly_the_events_that_start_or_stop_a_workflow():
    starter = template.resources("AWS::Serverless::Function")["WorkflowStarterFunction"]
    pattern = starter["Properties"]["Events"]["Timers"]["Properties"]["Pattern"]
    assert set(pattern["detail-type"]) == set(STARTS) | STOPS
