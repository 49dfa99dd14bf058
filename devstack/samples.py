"""The sample events in events/<function>/ (the ones `sam local invoke -e` takes), reused by the tests."""

from __future__ import annotations

import copy
import functools
import importlib
import json
from pathlib import Path
from typing import Any

from devstack import template
from devstack.gateway import LambdaContext

EVENTS = template.ROOT / "events"
# Placeholder ids the samples use; tests swap in the ids of the world they built.
SAMPLE_USER = "01JB8Z6W3X4Y5Z6A7B8C9D0E1F"
SAMPLE_DUPLICATE = "01JB8Z6W3X4Y5Z6A7B8C9D0E2G"
SAMPLE_SUBSCRIPTION = "01JB8Z6W3X4Y5Z6A7B8C9D0S1B"
SAMPLE_DELIVERY = "01JB8Z6W3X4Y5Z6A7B8C9D0D1V"
SAMPLE_LOCATION = "01JB8Z6W3X4Y5Z6A7B8C9D0L0C"
SAMPLE_CUSTOMER = "01JB8Z6W3X4Y5Z6A7B8C9D0C0S"
SAMPLE_OTHER_CUSTOMER = "01JB8Z6W3X4Y5Z6A7B8C9D0C2S"
SAMPLE_UNIT = "01JB8Z6W3X4Y5Z6A7B8C9D0V0N"
SAMPLE_PORTAL_USER = "01JB8Z6W3X4Y5Z6A7B8C9D0P0R"
SAMPLE_BOOKING = "01JB8Z6W3X4Y5Z6A7B8C9D0B0K"
SAMPLE_TICKET = "01JB8Z6W3X4Y5Z6A7B8C9D0T1K"
SAMPLE_ESTIMATE = "01JB8Z6W3X4Y5Z6A7B8C9D0E5T"
SAMPLE_WORK = "01JB8Z6W3X4Y5Z6A7B8C9D0W0K"  # work required (an approved labour line) on a work order
SAMPLE_WORK_ORDER = "01JB8Z6W3X4Y5Z6A7B8C9D0W0R"
SAMPLE_TIME_ENTRY = "01JB8Z6W3X4Y5Z6A7B8C9D0T0E"  # a clocked entry on that work order, clocked off
SAMPLE_INVITATION = "01JB8Z6W3X4Y5Z6A7B8C9D0N0V"  # a membership invitation to the caller
SAMPLE_OFFER = "01JB8Z6W3X4Y5Z6A7B8C9D0F0R"  # the offer of the sample ticket
SAMPLE_ATTACHMENT = "01JB8Z6W3X4Y5Z6A7B8C9D0A7T"  # a file on the sample ticket, shared with its partner
SAMPLE_PARTNER_ORG = "01JB8Z6W3X4Y5Z6A7B8C9D0P0G"  # a partner organization (the sample customer's)
SAMPLE_ORG_UNIT = "01JB8Z6W3X4Y5Z6A7B8C9D0U0N"  # an org unit associated with that organization
SAMPLE_PARTNER_USER = "01JB8Z6W3X4Y5Z6A7B8C9D0P1U"  # a member with the partner role in that organization
SAMPLE_NTE_REQUEST = (
    "01JB8Z6W3X4Y5Z6A7B8C9D0N7E"  # fixit's request to raise the sample ticket's not-to-exceed
)
SAMPLE_INVOICE = "01JB8Z6W3X4Y5Z6A7B8C9D0I0V"  # fixit's invoice for a completed ticket, sent to acme
SAMPLE_SHOP_INVOICE = "01JB8Z6W3X4Y5Z6A7B8C9D0S7V"  # acme's invoice to the sample customer, submitted
SAMPLE_TEAM = "01JB8Z6W3X4Y5Z6A7B8C9D0T3M"  # a team of two layers (the sample technician in each)
SAMPLE_RATE_CARD = "01JB8Z6W3X4Y5Z6A7B8C9D0R4C"  # the tenant's shop rate card (its taxes)
# Samples also name the servicer instances `fixit` (linked in test worlds) and `brightco` (not linked yet),
# and `inviterco`, an owner whose invitation to the samples' tenant waits for an answer.


@functools.cache
def all_samples() -> dict[tuple[str, str], dict[str, Any]]:
    """The API Gateway samples, by (method, resource): read once (callers copy one before changing it, as
    `prepared` does)."""
    samples = {}
    for path in sorted(EVENTS.glob("*/*.json")):
        event = json.loads(Path(path).read_text())
        if "httpMethod" in event:
            samples[(event["httpMethod"], event["resource"])] = event
    # A GET's HEAD twin (the template serves both) is its sample with the other verb.
    for (method, resource), event in list(samples.items()):
        if method == "GET":
            samples.setdefault(("HEAD", resource), {**event, "httpMethod": "HEAD"})
    return samples


def worker_samples() -> dict[str, list[dict[str, Any]]]:
    """The samples of the asynchronous triggers (stream batches, bus events, queue batches), by function."""
    by_kind = {"DynamoDB": "aws:dynamodb", "SQS": "aws:sqs"}
    samples: dict[str, list[dict[str, Any]]] = {}
    for source in template.event_sources():
        folder = EVENTS / source.module.split(".")[1]
        for path in sorted(folder.glob("*.json")):
            event = json.loads(path.read_text())
            records = event.get("Records") or [{}]
            matches = (
                records[0].get("eventSource") == by_kind[source.kind]
                if source.kind in by_kind
                else "detail-type" in event
            )
            if matches:
                samples.setdefault(source.function, []).append(event)
    return samples


def prepared(
    event: dict[str, Any],
    token: str | None,
    path_parameters: dict[str, str],
    ids: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A copy of the sample for this caller and these ids (the path is rebuilt from the resource)."""
    event = copy.deepcopy(event)
    for placeholder, real in (ids or {}).items():
        if event.get("body"):
            event["body"] = event["body"].replace(placeholder, real)
        for key, value in (event.get("pathParameters") or {}).items():
            event["pathParameters"][key] = value.replace(placeholder, real)
        for key, value in (event.get("queryStringParameters") or {}).items():
            event["queryStringParameters"][key] = value.replace(placeholder, real)
            event["multiValueQueryStringParameters"][key] = [value.replace(placeholder, real)]
    for headers in (event["headers"], event["multiValueHeaders"]):
        headers.pop("Authorization", None)
    if token:
        event["headers"]["Authorization"] = f"Bearer {token}"
        event["multiValueHeaders"]["Authorization"] = [f"Bearer {token}"]
    params = {**(event.get("pathParameters") or {}), **path_parameters}
    event["pathParameters"] = params or None
    path = event["resource"]
    for key, value in params.items():
        path = path.replace("{" + key + "}", value)
    event["path"] = path
    return event


def invoke(route: template.Route, event: dict[str, Any]) -> dict[str, Any]:
    handler = getattr(importlib.import_module(route.module), route.handler)
    result: dict[str, Any] = handler(event, LambdaContext())
    return result
