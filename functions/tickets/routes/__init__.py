"""The Tickets API by route group (handoff.api.groups): each module is loaded by the first request to a path
it serves."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from handoff.ids import ULID_PATTERN

TICKETS = "/tenants/<tenant_id>/tickets"
TICKET = f"{TICKETS}/<ticket_id>"
UNIT = "/tenants/<tenant_id>/units/<unit_id>"
Assignee = Annotated[
    str | None,
    Query(
        pattern=f"^(me|{ULID_PATTERN.strip('^$')})$",
        description="me, or (dispatchers) a member's id: the tickets being worked that are assigned to them",
    ),
]
