"""The portal's event-driven side: a booking suggestion's deadline, told by its Step Functions timer."""

from handoff import coldstart  # isort: split

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from handoff.bookings import service

logger = Logger()


@logger.inject_lambda_context(correlation_id_path="detail.id")
def expiry_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, bool]:
    detail = event["detail"]
    return {"expired": service.expire(detail["tenant_id"], detail["booking_id"], int(detail["version"]))}


coldstart.ready()
