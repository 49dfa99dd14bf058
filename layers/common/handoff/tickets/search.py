"""Ticket search with role scope: the owner's staff search all of its tickets; a partner's admins and the
members allowed to accept work, all that owner's work their company holds; its other members, only what is
assigned to them. Each search is one Query of designed index entries (see `TicketItem.search_keys`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from handoff import keys
from handoff.auth.access import Access
from handoff.errors import Forbidden, Invalid, NotFound
from handoff.partners import public as partners
from handoff.tickets import repository as repo
from handoff.tickets import service
from handoff.tickets.domain import SearchFilters, Side, TicketStatus, title_words
from handoff.tickets.schemas import TicketPage


def _day(value: date | None, *, after: bool = False) -> datetime | None:
    """A date as the UTC instant it starts at (`after`: the one after it, for an inclusive end)."""
    if value is None or (after and value == date.max):
        return None  # no bound: nothing is made after the last day there is
    start = datetime.combine(value, time.min, tzinfo=UTC)
    return start + timedelta(days=1) if after else start


def search(
    access: Access,
    *,
    status: TicketStatus | None,
    assignee: str | None,
    partner: str | None,
    location_id: str | None,
    created_from: date | None,
    created_to: date | None,
    updated_from: date | None,
    updated_to: date | None,
    q: str | None,
    limit: int,
    cursor: str | None,
) -> TicketPage:
    doer = service.doer_of(access)
    user = access.user_id if assignee == "me" else assignee
    if doer.side is Side.PARTNER:
        if partner not in (None, doer.company_id):
            raise Invalid("partner", "a partner's members search their own company's work", location="query")
        partner = None
        if not doer.answers_offers:  # the company's other members: their own assignments only
            if user not in (None, access.user_id):
                raise Forbidden("you search only the work assigned to you", code="assignments_only")
            user = access.user_id
    for low, high, name in ((created_from, created_to, "created"), (updated_from, updated_to, "updated")):
        if low and high and low > high:
            raise Invalid(f"{name}_from", f"must be on or before {name}_to", location="query")
    words = tuple(title_words(q or ""))
    if q and not words:
        raise Invalid("q", "name a word of two letters or more", location="query")
    filters = SearchFilters(
        status=status.value if status else None,
        assignee=user,
        partner=partner,
        location=location_id,
        created_from=_day(created_from),
        created_to=_day(created_to, after=True),
        updated_from=_day(updated_from),
        updated_to=_day(updated_to, after=True),
        words=words,
    )
    viewer = doer.company_id
    scope = keys.cursor_scope(keys.CursorQuery.TICKET_SEARCH, access.tenant, viewer, *_shape(filters))
    found, next_cursor = repo.search(viewer, access.tenant, filters, limit, cursor, scope)
    return TicketPage(items=[service.ticket_out(t, doer) for t in found], next_cursor=next_cursor)


def requests_of(access: Access, partner_org_id: str, limit: int, cursor: str | None) -> TicketPage:
    """The tickets assigned to a partner organization's users (the owner's side): one Query of that facet's
    entries and one BatchGetItem."""
    if partners.is_live(access.tenant, partner_org_id) is None:
        raise NotFound("partner organization not found")
    doer = service.doer_of(access)
    filters = SearchFilters(organization=partner_org_id)
    scope = keys.cursor_scope(keys.CursorQuery.PARTNER_ORG_REQUESTS, access.tenant, partner_org_id)
    found, next_cursor = repo.search(access.tenant, access.tenant, filters, limit, cursor, scope)
    return TicketPage(items=[service.ticket_out(t, doer) for t in found], next_cursor=next_cursor)


def _shape(filters: SearchFilters) -> list[object]:
    return [
        filters.status,
        filters.assignee,
        filters.partner,
        filters.location,
        filters.created_from,
        filters.created_to,
        filters.updated_from,
        filters.updated_to,
        ",".join(filters.words),
    ]
