"""Starts the workflow a committed event calls for (target of the bus rule in template.yaml)."""

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from handoff import workflows

logger = Logger()


@logger.inject_lambda_context(correlation_id_path="detail.id")
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    planned = workflows.start_for(event["detail"])
    if planned is None:
        logger.warning("no workflow for this event", type=event.get("detail-type"))
        return {"started": None}
    workflows.start(planned)
    logger.info("workflow started", execution=planned.name)
    return {"started": planned.name}
