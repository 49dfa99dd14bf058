"""Which committed events start or stop workflows, held together with the bus rule that brings them."""

from devstack import template
from handoff.workflows import STARTS, STOPS


def test_the_starters_rule_brings_exactly_the_events_that_start_or_stop_a_workflow():
    starter = template.resources("AWS::Serverless::Function")["WorkflowStarterFunction"]
    pattern = starter["Properties"]["Events"]["Timers"]["Properties"]["Pattern"]
    assert set(pattern["detail-type"]) == set(STARTS) | STOPS


def test_a_routed_ticket_waits_for_its_layer_and_an_answer_or_a_new_routing_ends_the_wait(monkeypatch):
    from handoff import workflows
    from handoff.config import WorkflowSettings

    machines = {
        f"{name}_state_machine_arn": f"arn:aws:states:eu-west-1:1:stateMachine:{name}"
        for name in ("booking_expiry", "estimate_deadline", "invitation_expiry", "ticket_deadline")
    }
    settings = WorkflowSettings.model_construct(escalation_minute_seconds=1, **machines)
    monkeypatch.setattr(workflows, "workflow_settings", lambda: settings)
    routed = {
        "type": "TicketRouted",
        "source": "handoff.tickets",
        "tenant_id": "acme",
        "entity": {"type": "ticket", "id": "T1"},
        "data": {
            "team_id": "TEAM",
            "round": 2,
            "waits": True,
            "response_minutes": 4,
            "ended_routing_round": 1,
        },
    }
    start = workflows.start_for(routed)
    assert start is not None and start.name == "ticket-T1-route-r2"
    assert (start.payload["deadline"], start.payload["version"], start.payload["subject_id"]) == (
        "escalation",
        2,
        "TEAM",
    )
    assert start.payload["reminder_seconds"] + start.payload["rest_seconds"] == 4  # a minute is a second here
    assert [s.rsplit(":", 1)[-1] for s in workflows.stops_for(routed)] == ["ticket-T1-route-r1"]
    assert workflows.start_for({**routed, "data": {**routed["data"], "waits": False}}) is None
    started = {**routed, "type": "TicketStarted", "data": {"ended_routing_round": 2}}
    assert [s.rsplit(":", 1)[-1] for s in workflows.stops_for(started)] == ["ticket-T1-route-r2"]
    assert workflows.stops_for({**started, "data": {}}) == []
