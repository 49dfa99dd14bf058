"""Which committed events start which workflow, and starting it.

A workflow starts from the committed event (outbox -> bus -> rule -> functions/workflows), never from the
request that made the change: the request either commits with its event or fails whole, and a start that
fails is retried by the bus, then dead-lettered. Executions are named after entity and version, so a retried
start (or a redelivered event) is a no-op.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from handoff.config import WorkflowSettings, workflow_settings


@dataclass(frozen=True)
class Start:
    state_machine_arn: str
    name: str
    payload: dict[str, Any]


def _booking_suggestion_deadline(envelope: dict[str, Any], settings: WorkflowSettings) -> Start:
    booking_id, version = envelope["entity"]["id"], int(envelope["version"])
    return Start(
        settings.booking_expiry_state_machine_arn,
        f"booking-{booking_id}-v{version}",
        {
            "tenant_id": envelope["tenant_id"],
            "booking_id": booking_id,
            "version": version,
            "deadline_seconds": settings.booking_suggestion_ttl_seconds,
        },
    )


# Event type -> the workflow it starts. The template's rule for functions/workflows names the same types
# (tests/unit/test_workflows.py holds the two together).
STARTS: dict[str, Callable[[dict[str, Any], WorkflowSettings], Start]] = {
    "BookingSuggested": _booking_suggestion_deadline,
}


def start_for(envelope: dict[str, Any]) -> Start | None:
    """What the event starts (None for an event that starts nothing)."""
    plan = STARTS.get(str(envelope.get("type")))
    return plan(envelope, workflow_settings()) if plan else None


def start(start: Start) -> None:
    """Starts the execution. Starting it again with the same name and input is a no-op (Step Functions
    answers with the running execution); a closed one of the same name answers ExecutionAlreadyExists."""
    from botocore.exceptions import ClientError

    from handoff import aws

    try:
        aws.sfn().start_execution(
            stateMachineArn=start.state_machine_arn, name=start.name, input=json.dumps(start.payload)
        )
    except ClientError as error:
        if error.response["Error"]["Code"] != "ExecutionAlreadyExists":
            raise
