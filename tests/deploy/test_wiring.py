"""What CloudFormation receives after the SAM transform: every async hop fails into a queue that is really
wired to it, every such queue and every function alarms, and every alarm reaches the alarm topic."""

from __future__ import annotations

from typing import Any

import pytest

from devstack import template

from .sam import logical_of, resources, transformed

SQS = "AWS::SQS::Queue"


def _queues_that_receive_failures() -> dict[str, set[str]]:
    """Queue logical id -> what sends failures there (as wired after the transform)."""
    senders: dict[str, set[str]] = {}

    def add(queue: Any, sender: str) -> None:
        name = logical_of(queue)
        assert name in resources(SQS), f"{sender} sends its failures to {queue}, not one of our queues"
        senders.setdefault(name, set()).add(sender)

    for name, rule in resources("AWS::Events::Rule").items():
        for target in rule["Properties"]["Targets"]:
            if "DeadLetterConfig" in target:
                add(target["DeadLetterConfig"]["Arn"], f"rule {name}")
    for name, config in resources("AWS::Lambda::EventInvokeConfig").items():
        add(config["Properties"]["DestinationConfig"]["OnFailure"]["Destination"], f"async invoke {name}")
    for name, mapping in resources("AWS::Lambda::EventSourceMapping").items():
        destination = (mapping["Properties"].get("DestinationConfig") or {}).get("OnFailure")
        if destination:
            add(destination["Destination"], f"event source mapping {name}")
    for name, queue in resources(SQS).items():
        redrive = (queue.get("Properties") or {}).get("RedrivePolicy")
        if redrive:
            add(redrive["deadLetterTargetArn"], f"redrive of {name}")
    return senders


def _alarmed_queues() -> set[str]:
    alarmed = set()
    for alarm in resources("AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        if props.get("Namespace") == "AWS/SQS":
            for dimension in props["Dimensions"]:
                alarmed.add(logical_of(dimension["Value"]))
    return alarmed


def test_sam_creates_no_queue_of_its_own():
    """A DeadLetterConfig form SAM does not read makes it create its own queue, and ours stays idle."""
    assert set(resources(SQS)) == set(template.resources(SQS))


def test_every_alarmed_queue_is_a_real_target_of_what_it_guards():
    senders = _queues_that_receive_failures()
    for queue in _alarmed_queues():
        assert senders.get(queue), f"{queue} has an alarm but nothing sends failures to it"


def test_every_dead_letter_queue_has_an_alarm():
    consumed = {
        logical_of(m["Properties"]["EventSourceArn"])
        for m in resources("AWS::Lambda::EventSourceMapping").values()
    }
    dead_letter_queues = set(resources(SQS)) - consumed
    assert dead_letter_queues == set(_queues_that_receive_failures())
    assert dead_letter_queues <= _alarmed_queues()


def test_rules_that_invoke_functions_dead_letter_into_a_queue_that_lets_them():
    policies = resources("AWS::SQS::QueuePolicy").values()
    for name, rule in resources("AWS::Events::Rule").items():
        for target in rule["Properties"]["Targets"]:
            assert "DeadLetterConfig" in target, f"rule {name} drops what it cannot deliver"
            assert target["RetryPolicy"]["MaximumRetryAttempts"] > 0
            queue = logical_of(target["DeadLetterConfig"]["Arn"])
            allowed = [
                statement
                for policy in policies
                if queue in {logical_of(q) for q in policy["Properties"]["Queues"]}
                for statement in policy["Properties"]["PolicyDocument"]["Statement"]
                if statement["Principal"] == {"Service": "events.amazonaws.com"}
                and name in {logical_of(arn) for arn in statement["Condition"]["ArnEquals"]["aws:SourceArn"]}
            ]
            assert allowed, f"EventBridge may not send rule {name}'s failures to {queue}"


def test_every_asynchronously_invoked_function_has_an_on_failure_destination():
    async_functions = {
        logical_of(target["Arn"])
        for rule in resources("AWS::Events::Rule").values()
        for target in rule["Properties"]["Targets"]
    }
    configured = {
        logical_of(c["Properties"]["FunctionName"]): c["Properties"]
        for c in resources("AWS::Lambda::EventInvokeConfig").values()
    }
    for function in async_functions:
        assert function in configured, f"{function} drops an event after Lambda's two retries"
        assert configured[function]["MaximumRetryAttempts"] <= 2


def test_stream_sources_retry_a_bounded_number_of_times_and_bisect():
    for name, mapping in resources("AWS::Lambda::EventSourceMapping").items():
        props = mapping["Properties"]
        if "StartingPosition" not in props:
            continue  # a queue: its redrive policy bounds the retries
        assert 0 <= props["MaximumRetryAttempts"] <= 100, name
        assert props["BisectBatchOnFunctionError"] is True, name
        assert props["DestinationConfig"]["OnFailure"]["Destination"], name


def test_every_alarm_notifies_the_alarm_topic():
    for name, alarm in resources("AWS::CloudWatch::Alarm").items():
        actions = {logical_of(a) for a in alarm["Properties"].get("AlarmActions", [])}
        assert actions == {"AlarmTopic"}, f"{name} reaches no one"


def _alarms(namespace: str, metric: str) -> set[str]:
    found = set()
    for alarm in resources("AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        if props["Namespace"] == namespace and props["MetricName"] == metric:
            found |= {logical_of(d["Value"]) or str(d["Value"]) for d in props["Dimensions"]}
    return found


@pytest.mark.parametrize("metric", ["Errors", "Throttles"])
def test_every_function_alarms_on_errors_and_throttles(metric):
    assert set(resources("AWS::Lambda::Function")) <= _alarms("AWS/Lambda", metric)


def test_the_api_the_stream_and_every_state_machine_alarm():
    assert _alarms("AWS/ApiGateway", "5XXError"), "no alarm on the API's 5XX"
    stream_functions = {
        logical_of(m["Properties"]["FunctionName"])
        for m in resources("AWS::Lambda::EventSourceMapping").values()
        if "StartingPosition" in m["Properties"]
    }
    assert stream_functions <= _alarms("AWS/Lambda", "IteratorAge")
    assert set(resources("AWS::StepFunctions::StateMachine")) <= _alarms("AWS/States", "ExecutionsFailed")


def test_stateful_resources_are_retained():
    for kind in (
        "AWS::DynamoDB::Table",
        "AWS::S3::Bucket",
        "AWS::Cognito::UserPool",
        "AWS::SecretsManager::Secret",
    ):
        for name, resource in resources(kind).items():
            assert resource.get("DeletionPolicy") == "Retain", name
    for queue in _queues_that_receive_failures():
        assert resources(SQS)[queue].get("DeletionPolicy") == "Retain", queue


def test_no_secret_travels_in_plain_text():
    """Secrets come from Secrets Manager at run time: no parameter default, no secret value in an env var."""
    for name in transformed().get("Parameters", {}):
        assert "secret" not in name.lower(), f"parameter {name} would put a secret in the stack"
    for name, function in resources("AWS::Lambda::Function").items():
        variables = function["Properties"].get("Environment", {}).get("Variables", {})
        for key, value in variables.items():
            if "SECRET" in key:
                assert key.endswith("_ARN"), f"{name}.{key} must name a secret, not carry it"
                assert logical_of(value) in resources("AWS::SecretsManager::Secret"), f"{name}.{key}"


def _actions_of(function: str) -> set[str]:
    """Every IAM action the function's role grants (inline statements and our managed policies)."""
    role = resources("AWS::IAM::Role")[
        logical_of(resources("AWS::Lambda::Function")[function]["Properties"]["Role"])
    ]
    statements = [s for p in role["Properties"].get("Policies", []) for s in p["PolicyDocument"]["Statement"]]
    managed = resources("AWS::IAM::ManagedPolicy")
    for arn in role["Properties"].get("ManagedPolicyArns", []):
        if logical_of(arn) in managed:
            statements += managed[logical_of(arn)]["Properties"]["PolicyDocument"]["Statement"]
    actions: set[str] = set()
    for statement in statements:
        listed = statement["Action"]
        actions |= {listed} if isinstance(listed, str) else set(listed)
    return actions


def test_each_function_holds_only_what_it_uses():
    every = {name: _actions_of(name) for name in resources("AWS::Lambda::Function")}
    starters = {name for name, actions in every.items() if "states:StartExecution" in actions}
    assert starters == {"WorkflowStarterFunction"}, "only the starter starts workflows"
    s3_users = {name for name, actions in every.items() if any(a.startswith("s3:") for a in actions)}
    assert s3_users == {"TicketsFunction", "PartnersFunction", "BannersFunction"}, "attachments and banners"
    assert not {a for a in every["PublisherFunction"] if a.startswith("dynamodb:")}, "the stream is its input"
    for name, actions in every.items():
        assert "dynamodb:Scan" not in actions and "dynamodb:DeleteItem" not in actions, name
        assert "*" not in actions and not any(a.endswith(":*") for a in actions), name


def test_nobody_signs_up_on_their_own():
    """A login exists because a tenant invited it (functions/identity creates it)."""
    for name, pool in resources("AWS::Cognito::UserPool").items():
        assert pool["Properties"]["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True, name


def test_every_get_answers_head_through_the_same_function():
    """RFC 9110: a resource that answers GET answers HEAD. API Gateway serves only the methods it defines."""
    by_verb: dict[str, dict[str, str]] = {}
    for route in template.routes():
        by_verb.setdefault(route.method, {})[route.path] = route.function
    assert by_verb["HEAD"] == by_verb["GET"]
    api = next(iter(resources("AWS::ApiGateway::RestApi").values()))
    for path, operations in api["Properties"]["Body"]["paths"].items():
        assert ("get" in operations) == ("head" in operations), path


def test_the_stack_fits_in_one_cloudformation_stack():
    """500 resources at most; the permissions of every route's method count."""
    count = len(transformed()["Resources"])
    assert count <= 450, f"{count} resources: split the API before CloudFormation refuses the stack"
