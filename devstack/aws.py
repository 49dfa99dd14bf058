"""Provisions the template's resources into moto (in-process mock or server) and wires the functions' env."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import boto3

from devstack import template

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
LOCAL_SETTINGS = {"CURSOR_SECRET": "local-cursor-secret-not-for-production"}


@dataclass(frozen=True)
class Provisioned:
    physical: dict[str, str]  # logical id -> physical name
    environment: dict[str, str]  # what the functions see


def _create_table(logical: str, props: dict[str, Any]) -> str:
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
    boto3.client("dynamodb", region_name=REGION).create_table(**request)
    return name


def provision(overrides: dict[str, str]) -> Provisioned:
    """Creates tables, buckets and buses exactly as template.yaml declares them; returns names and env."""
    physical: dict[str, str] = {}
    for logical, resource in template.resources("AWS::DynamoDB::Table").items():
        physical[logical] = _create_table(logical, resource["Properties"])
    s3 = boto3.client("s3", region_name=REGION)
    for logical in template.resources("AWS::S3::Bucket"):
        physical[logical] = f"handoff-local-{logical.lower()}"
        s3.create_bucket(Bucket=physical[logical])
    # Everything else is named after its logical id (functions run in-process, Cognito is the dev issuer).
    for logical in template.load()["Resources"]:
        physical.setdefault(logical, logical)
    resolver = template.Resolver(physical, REGION, ACCOUNT, overrides)
    events = boto3.client("events", region_name=REGION)
    for logical, resource in template.resources("AWS::Events::EventBus").items():
        physical[logical] = resolver.resolve(resource["Properties"]["Name"])
        events.create_event_bus(Name=physical[logical])
    return Provisioned(physical=physical, environment=resolver.function_environment())


def apply_environment(values: dict[str, str]) -> None:
    """Points this process (the functions hosted in it) at the provisioned resources."""
    os.environ.update(values)
    from handoff.config import settings

    settings.cache_clear()
