"""The event-driven side of webhooks: fan-out (EventBridge rule) and delivery (SQS queue)."""

import json
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from handoff.webhooks import service


def fanout_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    """Target of the bus rule: `detail` is the event envelope."""
    return {"queued": service.fan_out(event["detail"])}


def delivery_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, list[dict[str, str]]]:
    """SQS batch; a message whose attempt crashed is reported back for SQS to retry (then its DLQ)."""
    failures = []
    for record in event.get("Records", []):
        try:
            service.deliver(json.loads(record["body"]))
        except Exception:
            service.logger.exception("delivery crashed", message_id=record.get("messageId"))
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
