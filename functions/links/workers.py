"""The links' event-driven side: an invitation's lifetime passed, told by its Step Functions execution through
the bus. A servicer-link invitation expires here; a membership invitation (the same timer) in accounts."""

from handoff import coldstart  # isort: split

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from handoff.accounts import invitations as member_invitations
from handoff.links import service

logger = Logger()


@logger.inject_lambda_context(correlation_id_path="id")
def invitation_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, bool]:
    detail = event["detail"]
    tenant_id, entity_id, invitation_id = (
        str(detail[k]) for k in ("tenant_id", "entity_id", "invitation_id")
    )
    if detail["kind"] == "servicer":
        expired = service.expire(tenant_id, entity_id, invitation_id)
    else:
        expired = member_invitations.expire(tenant_id, entity_id, invitation_id)
    logger.info("invitation deadline", kind=detail["kind"], invitation_id=invitation_id, expired=expired)
    return {"expired": expired}


coldstart.ready()
