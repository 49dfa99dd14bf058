"""The estimates' event-driven side: a deadline of a submission or a dispute, told by its Step Functions
execution through the bus."""

from handoff import coldstart  # isort: split

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from handoff.estimates import service

logger = Logger()


@logger.inject_lambda_context(correlation_id_path="id")
def deadline_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
    detail = event["detail"]
    outcome = service.deadline_passed(
        str(detail["kind"]), str(detail["tenant_id"]), str(detail["estimate_id"]), int(detail["version"])
    )
    logger.info("estimate deadline", kind=detail["kind"], estimate_id=detail["estimate_id"], outcome=outcome)
    return {"outcome": outcome}


coldstart.ready()
