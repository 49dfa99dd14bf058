"""Provisions the template's resources into moto (in-process mock or server) and wires the functions' env."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

import boto3

from devstack import template
from devstack.moto_fixes import make_dynamodb_writes_atomic

REGION = "us-east-1"
ACCOUNT = "123456789012"
LOCAL_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    # botocore >= 1.44 would send Streams calls to account-based endpoints moto does not route.
    "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
}
# Settings the local stack chooses instead of the template's production values.
LOCAL_SETTINGS = {
    "CURSOR_SECRET": "local-cursor-secret-not-for-production",
    "WEBHOOK_ALLOW_LOOPBACK": "true",
}


@dataclass
class Provisioned:
    refs: dict[str, str]  # logical id -> what !Ref gives (name, URL, id)
    attributes: dict[tuple[str, str], str] = field(default_factory=dict)  # (logical id, attribute) -> value
    environment: dict[str, str] = field(default_factory=dict)  # what the functions see


def _create_table(logical: str, props: dict[str, Any], created: Provisioned) -> None:
    name = f"handoff-local-{logical}"
    request: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
    }
    if props.get("GlobalSecondaryIndexes"):
        request["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
    if props.get("StreamSpecification"):
        request["StreamSpecification"] = {
            "StreamEnabled": True,
            "StreamViewType": props["StreamSpecification"]["StreamViewType"],
        }
    table = boto3.client("dynamodb", region_name=REGION).create_table(**request)["TableDescription"]
    created.refs[logical] = name
    created.attributes[(logical, "Arn")] = table["TableArn"]
    if "LatestStreamArn" in table:
        created.attributes[(logical, "StreamArn")] = table["LatestStreamArn"]


def _create_queues(resolver: template.Resolver, created: Provisioned) -> None:
    sqs = boto3.client("sqs", region_name=REGION)
    queues = template.resources("AWS::SQS::Queue")
    # Dead-letter queues first: the others name them in their redrive policy.
    ordered = sorted(queues, key=lambda name: "RedrivePolicy" in queues[name].get("Properties", {}))
    for logical in ordered:
        props = queues[logical].get("Properties", {})
        name = f"handoff-local-{logical}"
        attributes = {"VisibilityTimeout": str(props.get("VisibilityTimeout", 30))}
        if "RedrivePolicy" in props:
            attributes["RedrivePolicy"] = json.dumps(resolver.resolve(props["RedrivePolicy"]))
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        created.refs[logical] = url
        created.attributes[(logical, "Arn")] = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"
        created.attributes[(logical, "QueueName")] = name


def _create_state_machines(resolver: template.Resolver, created: Provisioned) -> None:
    """Each state machine from its ASL file, with the template's DefinitionSubstitutions applied."""
    sfn = boto3.client("stepfunctions", region_name=REGION)
    for logical, resource in template.resources("AWS::Serverless::StateMachine").items():
        props = resource["Properties"]
        definition = (template.ROOT / props["DefinitionUri"]).read_text()
        for name, value in (props.get("DefinitionSubstitutions") or {}).items():
            definition = definition.replace("${" + name + "}", str(resolver.resolve(value)))
        name = f"handoff-local-{logical}"
        arn = sfn.create_state_machine(
            name=name,
            definition=definition,
            roleArn=f"arn:aws:iam::{ACCOUNT}:role/handoff-local",
            type="STANDARD",
        )["stateMachineArn"]
        created.refs[logical] = arn
        created.attributes[(logical, "Name")] = name


# moto runs state machines only when asked to (tests: mock_aws(config=...); server: POST /moto-api/config).
MOTO_CONFIG: Any = {"stepfunctions": {"execute_state_machine": True}}


def provision(overrides: dict[str, str]) -> Provisioned:
    """Creates tables, queues, buckets and buses exactly as template.yaml declares them."""
    make_dynamodb_writes_atomic()
    created = Provisioned(refs={})
    for logical, resource in template.resources("AWS::DynamoDB::Table").items():
        _create_table(logical, resource["Properties"], created)
    s3 = boto3.client("s3", region_name=REGION)
    for logical in template.resources("AWS::S3::Bucket"):
        created.refs[logical] = f"handoff-local-{logical.lower()}"
        s3.create_bucket(Bucket=created.refs[logical])
    resolver = template.Resolver(created.refs, created.attributes, REGION, ACCOUNT, overrides)
    _create_queues(resolver, created)
    events = boto3.client("events", region_name=REGION)
    for logical, resource in template.resources("AWS::Events::EventBus").items():
        created.refs[logical] = resolver.resolve(resource["Properties"]["Name"])
        events.create_event_bus(Name=created.refs[logical])
    _create_state_machines(resolver, created)
    # Everything else is named after its logical id (functions run in-process, Cognito is the dev issuer).
    for logical in template.load()["Resources"]:
        created.refs.setdefault(logical, logical)
    created.environment = resolver.function_environment()
    return created


def apply_environment(values: dict[str, str]) -> None:
    """Points this process (the functions hosted in it) at the provisioned resources."""
    os.environ.update(values)
    from handoff import aws, config

    config.clear()
    aws.clear()
