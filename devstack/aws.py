"""Provisions the template's resources into moto (in-process mock or server) and wires the functions' env."""

from __future__ import annotations

import functools
import json
import os
import secrets
from dataclasses import dataclass, field
from typing import Any

import boto3

from devstack import template
from devstack.moto_fixes import (
    make_dynamodb_answers_fast,
    make_dynamodb_writes_atomic,
    make_index_queries_read_their_partition,
    make_provisioning_fast,
    make_step_functions_stop_early_executions,
)

REGION = "us-east-1"


@functools.cache
def _client(service: str) -> Any:
    """One client per service for the process: building one re-reads botocore's JSON models (~20 ms), and a
    fresh embedded AWS per test built eight. moto intercepts a client whenever a mock is active, whenever
    the client was made."""
    return boto3.client(service, region_name=REGION)


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
    "WEBHOOK_ALLOW_LOOPBACK": "true",
    "WEBHOOK_ALLOWED_PORTS": "",  # local receivers listen anywhere; `make run` blocks its own ports
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
    table = _client("dynamodb").create_table(**request)["TableDescription"]
    created.refs[logical] = name
    created.attributes[(logical, "Arn")] = table["TableArn"]
    if "LatestStreamArn" in table:
        created.attributes[(logical, "StreamArn")] = table["LatestStreamArn"]


def _create_queues(resolver: template.Resolver, created: Provisioned) -> None:
    sqs = _client("sqs")
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
    sfn = _client("stepfunctions")
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


def _create_secrets(created: Provisioned) -> None:
    """Each generated secret with a fresh random value, as CloudFormation's GenerateSecretString would."""
    client = _client("secretsmanager")
    for logical, resource in template.resources("AWS::SecretsManager::Secret").items():
        length = int(resource["Properties"].get("GenerateSecretString", {}).get("PasswordLength", 32))
        value = secrets.token_urlsafe(length)
        secret = client.create_secret(Name=f"handoff-local-{logical}", SecretString=value)
        created.refs[logical] = secret["ARN"]


def _create_user_pools(created: Provisioned) -> None:
    """The user pool and its app client as declared (moto's Cognito; `make run` signs in with the dev issuer,
    the identity worker still provisions logins here, and tests can use moto's own tokens)."""
    client = _client("cognito-idp")
    for logical, resource in template.resources("AWS::Cognito::UserPool").items():
        props = resource["Properties"]
        pool = client.create_user_pool(
            PoolName=f"handoff-local-{logical}",
            UsernameAttributes=props.get("UsernameAttributes", []),
            AutoVerifiedAttributes=props.get("AutoVerifiedAttributes", []),
            AdminCreateUserConfig={
                "AllowAdminCreateUserOnly": props["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"]
            },
            Schema=props.get("Schema", []),
        )["UserPool"]
        created.refs[logical] = pool["Id"]
        created.attributes[(logical, "Arn")] = pool["Arn"]
        created.attributes[(logical, "ProviderURL")] = f"cognito-idp.{REGION}.amazonaws.com/{pool['Id']}"
    for logical, resource in template.resources("AWS::Cognito::UserPoolClient").items():
        props = resource["Properties"]
        pool_logical = props["UserPoolId"]["Ref"]
        app = client.create_user_pool_client(
            UserPoolId=created.refs[pool_logical],
            ClientName=f"handoff-local-{logical}",
            GenerateSecret=False,
            ExplicitAuthFlows=props.get("ExplicitAuthFlows", []),
            ReadAttributes=props.get("ReadAttributes", []),
            WriteAttributes=props.get("WriteAttributes", []),
        )["UserPoolClient"]
        created.refs[logical] = app["ClientId"]


# moto runs state machines only when asked to (tests: mock_aws(config=...); server: POST /moto-api/config).
MOTO_CONFIG: Any = {"stepfunctions": {"execute_state_machine": True}}


def provision(overrides: dict[str, str]) -> Provisioned:
    """Creates tables, queues, buckets and buses exactly as template.yaml declares them."""
    make_dynamodb_writes_atomic()
    make_dynamodb_answers_fast()
    make_index_queries_read_their_partition()
    make_step_functions_stop_early_executions()
    make_provisioning_fast()
    created = Provisioned(refs={})
    for logical, resource in template.resources("AWS::DynamoDB::Table").items():
        _create_table(logical, resource["Properties"], created)
    s3 = _client("s3")
    for logical in template.resources("AWS::S3::Bucket"):
        created.refs[logical] = f"handoff-local-{logical.lower()}"
        s3.create_bucket(Bucket=created.refs[logical])
    resolver = template.Resolver(created.refs, created.attributes, REGION, ACCOUNT, overrides)
    _create_queues(resolver, created)
    _create_secrets(created)
    _create_user_pools(created)
    sns = _client("sns")
    for logical in template.resources("AWS::SNS::Topic"):
        created.refs[logical] = sns.create_topic(Name=f"handoff-local-{logical}")["TopicArn"]
    events = _client("events")
    for logical, resource in template.resources("AWS::Events::EventBus").items():
        created.refs[logical] = resolver.resolve(resource["Properties"]["Name"])
        events.create_event_bus(Name=created.refs[logical])
    _create_state_machines(resolver, created)
    # Everything else is named after its logical id (functions run in-process).
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
