"""The tickets' event-driven side, told by the ticket deadline Step Functions executions through the bus: the
reminder and the escalation of a partner's work waiting for an owner admin's approval, and the reminder and
the expiry of an offer round waiting for its answer."""

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from handoff.tickets import outsourcing, service

logger = Logger()


@logger.inject_lambda_context(correlation_id_path="id")
def deadline_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
    detail = event["detail"]
    kind, tenant_id, ticket_id = str(detail["kind"]), str(detail["tenant_id"]), str(detail["ticket_id"])
    version = int(detail["version"])
    if detail["deadline"] == "offer":
        outcome = outsourcing.window_deadline(kind, tenant_id, ticket_id, str(detail["subject_id"]), version)
    else:
        outcome = service.approval_deadline(kind, tenant_id, ticket_id, version)
    logger.info(
        "ticket deadline", deadline=detail["deadline"], kind=kind, ticket_id=ticket_id, outcome=outcome
    )
    return {"outcome": outcome}
