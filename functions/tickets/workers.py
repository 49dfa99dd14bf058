"""The tickets' event-driven side, through the bus: told by the ticket deadline Step Functions executions, the
reminder and the escalation of a partner's work waiting for an owner admin's approval, and the reminder and
the expiry of an offer round waiting for its answer, and the escalation of a routed ticket no one of its
layer answered; told by a committed link revocation, the withdrawal of the offers still waiting on that
partner; told by a committed invoice finalization, the closing of its work order."""

from handoff import coldstart  # isort: split

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from handoff.tickets import outsourcing, routing, service, workorders

logger = Logger()


@logger.inject_lambda_context(correlation_id_path="id")
def ticket_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
    if event.get("detail-type") == "ServicerLinkRevoked":
        return link_revoked(event["detail"])
    if event.get("detail-type") == "InvoiceFinalized":
        return invoice_finalized(event["detail"])
    return deadline(event["detail"])


def invoice_finalized(envelope: dict[str, Any]) -> dict[str, str]:
    data, invoice_id = envelope["data"], str(envelope["entity"]["id"])
    number = str(data["number"]) if data.get("number") else None
    outcome = workorders.invoiced(str(envelope["tenant_id"]), str(data["work_order_id"]), invoice_id, number)
    logger.info("work order invoiced", invoice_id=invoice_id, outcome=outcome)
    return {"outcome": outcome}


def link_revoked(envelope: dict[str, Any]) -> dict[str, str]:
    owner_id, servicer_id = str(envelope["tenant_id"]), str(envelope["entity"]["id"])
    withdrawn = outsourcing.withdraw_offers_to(owner_id, servicer_id)
    logger.info("offers withdrawn with the link", servicer_id=servicer_id, withdrawn=withdrawn)
    return {"outcome": f"withdrew {withdrawn}"}


def deadline(detail: dict[str, Any]) -> dict[str, str]:
    kind, tenant_id, ticket_id = str(detail["kind"]), str(detail["tenant_id"]), str(detail["ticket_id"])
    version = int(detail["version"])
    if detail["deadline"] == "offer":
        outcome = outsourcing.window_deadline(kind, tenant_id, ticket_id, str(detail["subject_id"]), version)
    elif detail["deadline"] == "escalation":
        outcome = routing.escalation_deadline(kind, tenant_id, ticket_id, version)
    else:
        outcome = service.approval_deadline(kind, tenant_id, ticket_id, version)
    logger.info(
        "ticket deadline", deadline=detail["deadline"], kind=kind, ticket_id=ticket_id, outcome=outcome
    )
    return {"outcome": outcome}


coldstart.ready()
