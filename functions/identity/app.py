"""Cognito logins follow membership events (target of the bus rule in template.yaml)."""

from handoff import coldstart  # isort: split

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from handoff.identity.service import handle, logger


@logger.inject_lambda_context(correlation_id_path="detail.id")
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
    return handle(event["detail"])


coldstart.ready()
