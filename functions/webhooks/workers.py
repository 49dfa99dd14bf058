"""The event-driven side of webhooks: fan-out (EventBridge rule) and delivery (SQS queue)."""

from handoff import coldstart  # isort: split

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from handoff.webhooks import service

logger = service.logger
deliveries = BatchProcessor(event_type=EventType.SQS)


@logger.inject_lambda_context(correlation_id_path="detail.id")
def fanout_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    """Target of the bus rule: `detail` is the event envelope."""
    return {"queued": service.fan_out(event["detail"])}


def _deliver(record: SQSRecord) -> None:
    service.deliver(json.loads(record.body))


@logger.inject_lambda_context
def delivery_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """SQS batch; a message whose attempt crashed is reported back for SQS to retry (then its DLQ)."""
    return process_partial_response(
        event=event, record_handler=_deliver, processor=deliveries, context=context
    )


coldstart.ready()
