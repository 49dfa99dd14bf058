"""Partner systems' signed ticket updates, and the secret they sign with."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body

from handoff.api.app import endpoint, new_app, signed_endpoint
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.tickets import inbound
from handoff.tickets.schemas.inbound import (
    InboundSecret,
    PartnerUpdate,
    PartnerUpdateOut,
    RotateInboundSecret,
)

app = new_app()


@endpoint(
    app,
    "POST",
    "/tenants/<tenant_id>/servicer-links/<servicer_id>/inbound-secret",
    action=Action.SERVICER_INBOUND_SECRET,
    status=HTTPStatus.CREATED,
    summary="Issue or rotate the secret a partner's system signs its updates with (shown once)",
    prefetch=inbound.secret_keys,
)
def rotate_inbound_secret(
    tenant_id: str, servicer_id: str, body: Annotated[RotateInboundSecret, Body()], access: Access
) -> InboundSecret:
    return inbound.rotate_secret(access, servicer_id, body)


@signed_endpoint(
    app,
    "POST",
    "/tenants/<tenant_id>/inbound/partner-updates",
    action=Action.PARTNER_UPDATE,
    summary="A partner system's signed ticket update (status, time, notes)",
    authenticate=lambda path, headers, body: inbound.authenticate(path.get("tenant_id", ""), headers, body),
)
def apply_partner_update(
    tenant_id: str, body: Annotated[PartnerUpdate, Body()], signed: inbound.SignedBy
) -> PartnerUpdateOut:
    """Signed with the partner's inbound secret the Standard Webhooks way (`webhook-id`, `webhook-timestamp`
    within 5 minutes, `webhook-signature`); each message id is applied once."""
    return inbound.apply(signed, body)
