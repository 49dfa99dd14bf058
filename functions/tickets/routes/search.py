"""Role-scoped ticket search, and a partner organization's requests."""

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from handoff.api.app import endpoint, new_app
from handoff.api.params import DEFAULT_LIMIT, Cursor, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.ids import TENANT_ID_PATTERN, ULID_PATTERN
from handoff.partners.public import partner_org_keys
from handoff.tickets import search
from handoff.tickets.domain import TicketStatus
from handoff.tickets.schemas import TicketPage

from . import TICKETS, Assignee

app = new_app()


@endpoint(
    app,
    "GET",
    f"{TICKETS}/search",
    action=Action.TICKET_SEARCH,
    summary="Search tickets by status, assignee, partner, location, dates and title words, newest first",
)
def search_tickets(
    tenant_id: str,
    access: Access,
    status: Annotated[TicketStatus | None, Query()] = None,
    assignee: Assignee = None,
    partner: Annotated[
        str | None, Query(pattern=TENANT_ID_PATTERN, description="The owner's staff: one partner's")
    ] = None,
    location_id: Annotated[str | None, Query(pattern=ULID_PATTERN)] = None,
    created_from: Annotated[date | None, Query(description="Created on or after this day (UTC)")] = None,
    created_to: Annotated[date | None, Query(description="Created on or before this day (UTC)")] = None,
    updated_from: Annotated[date | None, Query(description="Changed last on or after this day")] = None,
    updated_to: Annotated[date | None, Query(description="Changed last on or before this day")] = None,
    q: Annotated[
        str | None, Query(min_length=2, max_length=100, description="Whole words of the title, any case")
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> TicketPage:
    """The owner's staff search all of its tickets; a partner's admins and members allowed to accept work,
    all this owner's work their company holds; its other members, only what is assigned to them. One page
    reads one index partition (the most selective filter named), so it may hold fewer than `limit`
    matches: follow `next_cursor`."""
    return search.search(
        access,
        status=status,
        assignee=assignee,
        partner=partner,
        location_id=location_id,
        created_from=created_from,
        created_to=created_to,
        updated_from=updated_from,
        updated_to=updated_to,
        q=q,
        limit=limit,
        cursor=cursor,
    )


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/partner-organizations/<partner_org_id>/requests",
    action=Action.PARTNER_ORG_READ,
    summary="A partner organization's requests: the tickets assigned to its users, newest first",
    prefetch=partner_org_keys,
)
def partner_org_requests(
    tenant_id: str, partner_org_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> TicketPage:
    return search.requests_of(access, partner_org_id, limit, cursor)
