"""The tickets' event-driven side: the reminder and the escalation of a partner's work waiting for an owner
admin's approval, told by its Step Functions execution through the bus."""

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from handoff.tickets import service

logger = Logger()


@logger.inject_lambda_context(correlation_id_path="id")
def approval_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
    detail = event["detail"]
    outcome = service.approval_deadline(
        str(detail["kind"]), str(detail["tenant_id"]), str(detail["ticket_id"]), int(detail["version"])
    )
    logger.info(
        "ticket approval deadline", kind=detail["kind"], ticket_id=detail["ticket_id"], outcome=outcome
    )
    return {"outcome": outcome}
