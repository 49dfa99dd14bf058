"""Starting Step Functions executions, named after entity and version: a retried start is a no-op."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from handoff import aws


def start(state_machine_arn: str, name: str, payload: dict[str, Any]) -> None:
    try:
        aws.sfn().start_execution(stateMachineArn=state_machine_arn, name=name, input=json.dumps(payload))
    except ClientError as error:
        if error.response["Error"]["Code"] != "ExecutionAlreadyExists":
            raise
