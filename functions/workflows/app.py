"""Starts the workflow a committed event calls for, and stops those it makes pointless (target of the bus
rule in template.yaml)."""

from handoff import coldstart  # isort: split

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from handoff import workflows

logger = Logger()


@logger.inject_lambda_context(correlation_id_path="detail.id")
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    envelope = event["detail"]
    stopped = workflows.stops_for(envelope)
    for execution in stopped:
        workflows.stop(execution, cause=f"{envelope.get('type')} {envelope.get('id')}")
    planned = workflows.start_for(envelope)
    if planned is not None:
        workflows.start(planned)
        logger.info("workflow started", execution=planned.name)
    return {"started": planned.name if planned else None, "stopped": [s.rsplit(":", 1)[-1] for s in stopped]}


coldstart.ready()
