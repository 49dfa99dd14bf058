"""The outbox publisher: DynamoDB Streams (outbox inserts only) -> the EventBridge bus."""

from handoff import coldstart  # isort: split

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from handoff.events.publisher import logger, metrics, publish_stream_batch


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return publish_stream_batch(event.get("Records", []))


coldstart.ready()
