"""Tickets: in-house and outsourced work, its time and notes, and the signed updates partner systems post; the
service board of approved labour and the work orders technicians clock on to."""

from handoff import coldstart  # isort: split

from datetime import date
from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.api.app import endpoint, lambda_entry, negotiated, new_app, parse_if_match, signed_endpoint
from handoff.api.params import DEFAULT_LIMIT, Accept, Cursor, IfMatch, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.ids import TENANT_ID_PATTERN, ULID_PATTERN
from handoff.partners.public import partner_org_keys
from handoff.portal.public import unit_keys
from handoff.tickets import (
    attachments,
    costs,
    inbound,
    nte,
    outsourcing,
    reports,
    repository,
    routing,
    search,
    service,
    workorders,
)
from handoff.tickets.domain import NteAction, OfferAction, OfferStatus, TicketAction, TicketStatus
from handoff.tickets.schemas import (
    ActivityOut,
    ActivityPage,
    AssignIn,
    AttachmentAnnounced,
    AttachmentCreate,
    AttachmentOut,
    AttachmentPage,
    ClockOff,
    ClockOn,
    CostCreate,
    CostOut,
    CostPage,
    EscalateIn,
    InboundSecret,
    NoteCreate,
    NteAnswer,
    NteRequestCreate,
    NteRequestOut,
    NteRequestPage,
    OfferAnswer,
    OfferCreate,
    OfferOut,
    OfferPage,
    PartnerUpdate,
    PartnerUpdateOut,
    RotateInboundSecret,
    StatusReport,
    SummaryReport,
    TicketCreate,
    TicketOut,
    TicketPage,
    TicketPatch,
    TicketStep,
    TimeEntryCorrection,
    TimeEntryCreate,
    WorkOrderStatusPage,
    WorkRequiredPage,
)

app = new_app()

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


@endpoint(app, "GET", TICKETS, action=Action.TICKET_LIST, summary="The ticket board, newest first")
def list_tickets(
    tenant_id: str,
    access: Access,
    status: Annotated[
        TicketStatus | None, Query(description="The owner's board shows one status (open unless named)")
    ] = None,
    assignee: Assignee = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> TicketPage:
    """The owner's staff: one status at a time (`ready_to_submit`: the work orders the shop finalizes), or
    what is assigned to a member. A partner's members: what this owner outsourced to them."""
    return service.list_(access, status, assignee, limit, cursor)


@endpoint(
    app, "POST", TICKETS, action=Action.TICKET_CREATE, status=HTTPStatus.CREATED, summary="Open a ticket"
)
def create_ticket(tenant_id: str, body: Annotated[TicketCreate, Body()], access: Access) -> TicketOut:
    """Logged for a team (`team_id`), someone of its first layer takes it: see the team's routing."""
    return routing.create(access, body)


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
    TICKET,
    action=Action.TICKET_READ,
    summary="A ticket and its history",
    prefetch=repository.ticket_keys,
)
def get_ticket(tenant_id: str, ticket_id: str, access: Access) -> TicketOut:
    return service.get(access, ticket_id)


@endpoint(
    app,
    "GET",
    f"{TICKET}/activity",
    action=Action.TICKET_ACTIVITY_LIST,
    summary="A ticket's time entries and notes, oldest first",
    prefetch=repository.ticket_keys,
)
def list_activity(
    tenant_id: str, ticket_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> ActivityPage:
    """A partner sees its own entries and the owner's shared notes, nothing of another partner's."""
    return service.list_activity(access, ticket_id, limit, cursor)


@endpoint(
    app,
    "POST",
    f"{TICKET}/time-entries",
    action=Action.TICKET_LOG_TIME,
    status=HTTPStatus.CREATED,
    summary="Log time on a ticket (billed at the partner's accepted rate)",
    prefetch=repository.ticket_keys,
)
def log_time(
    tenant_id: str, ticket_id: str, body: Annotated[TimeEntryCreate, Body()], access: Access
) -> ActivityOut:
    return service.log_time(access, ticket_id, body)


@endpoint(
    app,
    "POST",
    f"{TICKET}/notes",
    action=Action.TICKET_NOTE,
    status=HTTPStatus.CREATED,
    summary="Add a note to a ticket",
    prefetch=repository.ticket_keys,
)
def add_note(
    tenant_id: str, ticket_id: str, body: Annotated[NoteCreate, Body()], access: Access
) -> ActivityOut:
    return service.add_note(access, ticket_id, body)


@endpoint(
    app,
    "PATCH",
    TICKET,
    action=Action.TICKET_UPDATE,
    summary="Edit a ticket's title, description, priority, due date or location",
    prefetch=repository.ticket_keys,
)
def update_ticket(
    tenant_id: str,
    ticket_id: str,
    body: Annotated[TicketPatch, Body()],
    access: Access,
    if_match: IfMatch = None,
) -> TicketOut:
    return service.update(access, ticket_id, body, parse_if_match(if_match))


@endpoint(
    app,
    "POST",
    f"{TICKET}/assign",
    action=Action.TICKET_ASSIGN,
    summary="Assign or reassign a ticket to a member, or to a partner company (outsourcing it)",
    prefetch=repository.ticket_keys,
)
def assign_ticket(
    tenant_id: str, ticket_id: str, body: Annotated[AssignIn, Body()], access: Access
) -> TicketOut:
    return routing.assign(access, ticket_id, body)


@endpoint(
    app,
    "POST",
    f"{TICKET}/nte-requests",
    action=Action.NTE_REQUEST,
    status=HTTPStatus.CREATED,
    summary="Ask the owner to raise the work's not-to-exceed amount (the partner doing it)",
    prefetch=repository.ticket_keys,
)
def request_nte_increase(
    tenant_id: str, ticket_id: str, body: Annotated[NteRequestCreate, Body()], access: Access
) -> NteRequestOut:
    """One request waits at a time (409 `pending`); `requested_cents` is the new total, more than today's."""
    return nte.request(access, ticket_id, body)


@endpoint(
    app,
    "GET",
    f"{TICKET}/nte-requests",
    action=Action.NTE_LIST,
    summary="The work's requests to raise its not-to-exceed amount, oldest first",
    prefetch=repository.ticket_keys,
)
def list_nte_requests(
    tenant_id: str, ticket_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> NteRequestPage:
    return nte.list_(access, ticket_id, limit, cursor)


@endpoint(
    app,
    "POST",
    f"{TICKET}/nte-requests/<request_id>/<action>",
    action=Action.NTE_DECIDE,
    summary="approve (the not-to-exceed becomes the requested amount) or reject (with a note) a request",
    prefetch=repository.nte_request_keys,
)
def answer_nte_request(
    tenant_id: str,
    ticket_id: str,
    request_id: str,
    action: NteAction,
    body: Annotated[NteAnswer, Body()],
    access: Access,
) -> NteRequestOut:
    return nte.answer(access, ticket_id, request_id, action, body)


@endpoint(
    app,
    "POST",
    f"{TICKET}/escalate",
    action=Action.TICKET_ESCALATE,
    summary="Move a routed ticket to the next escalation layer of its team now",
    prefetch=repository.ticket_keys,
)
def escalate_ticket(
    tenant_id: str, ticket_id: str, body: Annotated[EscalateIn, Body()], access: Access
) -> TicketOut:
    """Only while no one has taken it up (open, or offered to the preferred vendor: the offer is withdrawn);
    the last layer escalates no further (409 `no_next_layer`)."""
    return routing.escalate(access, ticket_id, body)


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


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/work-required",
    action=Action.WORK_REQUIRED_LIST,
    summary="The service board: work required from approved estimates, oldest first",
)
def list_work_required(
    tenant_id: str,
    access: Access,
    unit_id: Annotated[str | None, Query(pattern=ULID_PATTERN, description="One unit's")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> WorkRequiredPage:
    """Open work, and work in progress on a work order, until its unit is ready."""
    return workorders.board(access, unit_id, limit, cursor)


@endpoint(
    app,
    "GET",
    f"{UNIT}/work-required",
    action=Action.WORK_REQUIRED_LIST,
    summary="A unit's work required, oldest first",
    prefetch=unit_keys,
)
def list_unit_work_required(
    tenant_id: str, unit_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> WorkRequiredPage:
    return workorders.board(access, unit_id, limit, cursor)


@endpoint(
    app,
    "GET",
    f"{UNIT}/work-orders",
    action=Action.WORK_ORDER_LIST,
    summary="A unit's work orders and where they stand, newest first",
    prefetch=unit_keys,
)
def list_unit_work_orders(
    tenant_id: str, unit_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> WorkOrderStatusPage:
    """Portal users see their units' work orders: status and lines, not technicians' time or notes."""
    return workorders.unit_work_orders(access, unit_id, limit, cursor)


@endpoint(
    app,
    "POST",
    "/tenants/<tenant_id>/work-required/<item_id>/clock-on",
    action=Action.WORK_CLOCK,
    summary="Clock on to work required (the first clock-on opens a work order with the next RO number)",
    prefetch=repository.clock_on_keys,
)
def clock_on(tenant_id: str, item_id: str, body: Annotated[ClockOn, Body()], access: Access) -> TicketOut:
    """One job at a time: a technician clocked on elsewhere gets 409 `already_clocked_on` (clock off there
    first)."""
    return workorders.clock_on(access, item_id, body)


@endpoint(
    app,
    "POST",
    f"{TICKET}/clock-off",
    action=Action.WORK_CLOCK,
    summary="Clock off a work order",
    prefetch=repository.clock_keys,
)
def clock_off(tenant_id: str, ticket_id: str, body: Annotated[ClockOff, Body()], access: Access) -> TicketOut:
    return workorders.clock_off(access, ticket_id, body)


@endpoint(
    app,
    "PATCH",
    f"{TICKET}/time-entries/<entry_id>",
    action=Action.TIME_CORRECT,
    summary="Correct a clocked time entry (audited: who, when, old, new, why)",
    prefetch=repository.time_entry_keys,
)
def correct_time_entry(
    tenant_id: str,
    ticket_id: str,
    entry_id: str,
    body: Annotated[TimeEntryCorrection, Body()],
    access: Access,
) -> ActivityOut:
    return workorders.correct(access, ticket_id, entry_id, body)


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/offers",
    action=Action.OFFER_LIST,
    summary="The offer board: offers in one status, newest first",
)
def list_offers(
    tenant_id: str,
    access: Access,
    status: Annotated[OfferStatus, Query(description="pending unless named")] = OfferStatus.PENDING,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> OfferPage:
    """The owner's staff: every offer it made in that status. A partner's members: the offers this owner
    made to their company."""
    return outsourcing.board(access, status, limit, cursor)


@endpoint(
    app,
    "GET",
    f"{TICKET}/offers",
    action=Action.OFFER_LIST,
    summary="A ticket's offers and their rounds, newest first",
    prefetch=repository.ticket_keys,
)
def list_ticket_offers(
    tenant_id: str, ticket_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> OfferPage:
    """A partner sees the offers made to it, never another partner's."""
    return outsourcing.list_for_ticket(access, ticket_id, limit, cursor)


@endpoint(
    app,
    "POST",
    f"{TICKET}/offers",
    action=Action.OFFER_CREATE,
    status=HTTPStatus.CREATED,
    summary="Offer an open ticket to a linked partner at terms (it waits for the answer within a window)",
    prefetch=repository.ticket_keys,
)
def make_offer(
    tenant_id: str, ticket_id: str, body: Annotated[OfferCreate, Body()], access: Access
) -> OfferOut:
    return outsourcing.make(access, ticket_id, body)


@endpoint(
    app,
    "GET",
    f"{TICKET}/offers/<offer_id>",
    action=Action.OFFER_READ,
    summary="An offer and every round of its negotiation",
    prefetch=repository.offer_keys,
)
def get_offer(tenant_id: str, ticket_id: str, offer_id: str, access: Access) -> OfferOut:
    return outsourcing.get(access, ticket_id, offer_id)


@endpoint(
    app,
    "POST",
    f"{TICKET}/offers/<offer_id>/<action>",
    action=Action.OFFER_ANSWER,
    summary="Answer an offer: accept or counter (the side whose turn it is), decline (the partner) or "
    "reject (the owner, a counter)",
    prefetch=repository.offer_keys,
)
def answer_offer(
    tenant_id: str,
    ticket_id: str,
    offer_id: str,
    action: OfferAction,
    body: Annotated[OfferAnswer, Body()],
    access: Access,
) -> OfferOut:
    """A partner answers through its admins and the members they allow to accept work (others: 403). What
    was finally accepted is what the work bills at."""
    return outsourcing.answer(access, ticket_id, offer_id, action, body)


@endpoint(
    app,
    "GET",
    f"{TICKET}/costs",
    action=Action.COST_LIST,
    summary="A ticket's costs, oldest first",
    prefetch=repository.ticket_keys,
)
def list_costs(
    tenant_id: str, ticket_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> CostPage:
    return costs.list_(access, ticket_id, limit, cursor)


@endpoint(
    app,
    "POST",
    f"{TICKET}/costs",
    action=Action.COST_CREATE,
    status=HTTPStatus.CREATED,
    summary="Log a cost (materials, travel, other), billed with the accepted markup",
    prefetch=repository.ticket_keys,
)
def log_cost(tenant_id: str, ticket_id: str, body: Annotated[CostCreate, Body()], access: Access) -> CostOut:
    return costs.log(access, ticket_id, body)


@endpoint(
    app,
    "GET",
    f"{TICKET}/attachments",
    action=Action.ATTACHMENT_LIST,
    summary="A ticket's attachments, oldest first",
    prefetch=repository.ticket_keys,
)
def list_attachments(
    tenant_id: str, ticket_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> AttachmentPage:
    """Your company's, and the other side's that are available and not internal."""
    return attachments.list_(access, ticket_id, limit, cursor)


@endpoint(
    app,
    "POST",
    f"{TICKET}/attachments",
    action=Action.ATTACHMENT_CREATE,
    status=HTTPStatus.CREATED,
    summary="Announce a file: the answer carries a presigned upload limited to its type and size",
    prefetch=repository.ticket_keys,
)
def announce_attachment(
    tenant_id: str, ticket_id: str, body: Annotated[AttachmentCreate, Body()], access: Access
) -> AttachmentAnnounced:
    """POST the file to `upload.url` with `upload.fields` (multipart/form-data, the file last), then
    confirm it here: until then nobody can read it."""
    return attachments.announce(access, ticket_id, body)


@endpoint(
    app,
    "GET",
    f"{TICKET}/attachments/<attachment_id>",
    action=Action.ATTACHMENT_READ,
    summary="An attachment; an available one with a presigned download valid for minutes",
    prefetch=repository.attachment_keys,
)
def get_attachment(tenant_id: str, ticket_id: str, attachment_id: str, access: Access) -> AttachmentOut:
    return attachments.get(access, ticket_id, attachment_id)


@endpoint(
    app,
    "POST",
    f"{TICKET}/attachments/<attachment_id>",
    action=Action.ATTACHMENT_CREATE,
    summary="Confirm an upload: its bytes are checked (type sniffed, size compared) before anyone reads it",
    prefetch=repository.attachment_keys,
)
def confirm_attachment(tenant_id: str, ticket_id: str, attachment_id: str, access: Access) -> AttachmentOut:
    """A file that is not what was announced is deleted and refused (422 with the reason); upload a good
    one with the same presigned upload while it lasts, and confirm again."""
    return attachments.confirm(access, ticket_id, attachment_id)


@endpoint(
    app,
    "POST",
    f"{TICKET}/<action>",
    action=Action.TICKET_ACT,
    summary="outsource, withdraw, accept, decline, start, pause, resume, complete, close, reopen, cancel, "
    "approve or reject (a gated partner's completed work), or unit-ready (a work order)",
    prefetch=repository.ticket_keys,
)
def act_on_ticket(
    tenant_id: str,
    ticket_id: str,
    action: TicketAction,
    body: Annotated[TicketStep, Body()],
    access: Access,
) -> TicketOut:
    """The owner outsources (to a linked partner, at rates), withdraws, closes, reopens or cancels; the
    partner accepts or declines, then starts, pauses, resumes and completes the work. A work order's unit is
    marked ready (`unit-ready`: whoever is clocked on is clocked off) and waits in ready_to_submit.
    Outsourcing makes an offer; accept and decline answer the offer on the table."""
    return outsourcing.act(access, ticket_id, action, body)


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


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/reports/summary",
    action=Action.REPORT_READ,
    summary="The summary report: tickets created in a period by status and by partner (JSON or CSV)",
)
def summary_report(
    tenant_id: str,
    access: Access,
    period_from: Annotated[date | None, Query(description="First day (UTC); default 30 days back")] = None,
    period_to: Annotated[
        date | None, Query(description="Last day (UTC), at most 366 after; default today")
    ] = None,
    partner: Annotated[
        str | None, Query(pattern=TENANT_ID_PATTERN, description="The owner's staff: one partner's work")
    ] = None,
    accept: Accept = None,
) -> SummaryReport | str:
    """Counts, logged hours and amounts (labour, costs, billable, by currency) of the tickets created in the
    period, by the status they are in now and by the partner holding them. A partner's members see their
    own company's work only. `Accept: text/csv` for CSV."""
    report, as_csv = reports.summary(access, period_from, period_to, partner)
    return negotiated(report, as_csv, accept)  # type: ignore[no-any-return]


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/reports/status",
    action=Action.REPORT_READ,
    summary="The status report: tickets in each status now, their average age and the oldest (JSON or CSV)",
)
def status_report(
    tenant_id: str,
    access: Access,
    partner: Annotated[
        str | None, Query(pattern=TENANT_ID_PATTERN, description="The owner's staff: one partner's work")
    ] = None,
    accept: Accept = None,
) -> StatusReport | str:
    report, as_csv = reports.status(access, partner)
    return negotiated(report, as_csv, accept)  # type: ignore[no-any-return]


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


lambda_handler = lambda_entry(app)

coldstart.ready()
