"""Billing's event-driven side: told by the partner-invoicing workflow (through the bus) that an outsourced
ticket's work is done, the partner's invoice is computed, once per completion."""

from handoff import coldstart  # isort: split

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from handoff.billing import service

logger = Logger()


@logger.inject_lambda_context(correlation_id_path="id")
def partner_invoice_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
    detail = event["detail"]
    outcome = service.compute(
        str(detail["tenant_id"]), str(detail["ticket_id"]), str(detail["servicer_id"]), int(detail["version"])
    )
    logger.info("partner invoice", ticket_id=detail["ticket_id"], outcome=outcome)
    return {"outcome": outcome}


coldstart.ready()
