"""DynamoDB calls one request makes, per route, counted with a botocore hook on pynamodb's client.

Each route is called once with its sample event (events/<function>/), as the tenant's system admin, on moto,
in a small world made first (members, a webhook subscription with a settled delivery).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from moto import mock_aws

from devstack import aws, template
from devstack.issuer import DevIssuer
from devstack.runtime import Runtime
from devstack.samples import (
    SAMPLE_ATTACHMENT,
    SAMPLE_BOOKING,
    SAMPLE_CUSTOMER,
    SAMPLE_DELIVERY,
    SAMPLE_DUPLICATE,
    SAMPLE_ESTIMATE,
    SAMPLE_INVITATION,
    SAMPLE_INVOICE,
    SAMPLE_LOCATION,
    SAMPLE_NTE_REQUEST,
    SAMPLE_OFFER,
    SAMPLE_ORG_UNIT,
    SAMPLE_OTHER_CUSTOMER,
    SAMPLE_PARTNER_ORG,
    SAMPLE_PARTNER_USER,
    SAMPLE_PORTAL_USER,
    SAMPLE_RATE_CARD,
    SAMPLE_SHOP_INVOICE,
    SAMPLE_SUBSCRIPTION,
    SAMPLE_TEAM,
    SAMPLE_TICKET,
    SAMPLE_TIME_ENTRY,
    SAMPLE_UNIT,
    SAMPLE_USER,
    SAMPLE_WORK,
    SAMPLE_WORK_ORDER,
    all_samples,
    invoke,
    prepared,
)
from devstack.seed import ensure_user
from handoff import aws as aws_clients
from handoff import keys
from handoff.accounts import portal_accounts
from handoff.accounts import repository as accounts_store
from handoff.accounts import service as accounts
from handoff.accounts.repository import MemberFacetItem, MembershipItem, new_membership, new_user
from handoff.accounts.schemas import MemberCreate, TenantCreate
from handoff.auth.access import Access
from handoff.auth.policy import Action, Role
from handoff.auth.tokens import Principal
from handoff.billing import invoices as shop_invoices
from handoff.billing import ratecards
from handoff.billing import service as billing
from handoff.billing.domain import InvoiceAction
from handoff.billing.schemas import InvoiceCreate, PartnerInvoiceStep, RateCardCreate
from handoff.bookings import service as bookings
from handoff.bookings.schemas import BookingCreate
from handoff.config import file_settings
from handoff.estimates import service as estimates
from handoff.estimates.domain import Action as EstimateStep_
from handoff.estimates.schemas import DisputedItem, EstimateCreate, EstimateStep, LabourLineIn
from handoff.ids import new_id
from handoff.links import public as links_public
from handoff.links import service as links
from handoff.links.domain import LinkAction
from handoff.links.schemas import LinkCreate
from handoff.locations import service as locations
from handoff.locations.schemas import LocationCreate
from handoff.partners import service as partners
from handoff.partners.schemas import BannerUploadIn, LayerIn, OrgUnitCreate, PartnerOrgCreate, TeamCreate
from handoff.portal import repository as portal_store
from handoff.portal import service as portal
from handoff.portal.schemas import CustomerCreate, PortalAccountCreate, UnitCreate
from handoff.signing import signed_headers
from handoff.store import reads
from handoff.store.pages import Page
from handoff.store.table import client
from handoff.tickets import attachments, inbound, nte, outsourcing, workorders
from handoff.tickets import reports as ticket_reports
from handoff.tickets import repository as ticket_repo
from handoff.tickets import routing as ticket_routing
from handoff.tickets import search as search_tickets
from handoff.tickets import service as tickets
from handoff.tickets.domain import OfferAction, TicketAction, TicketStatus
from handoff.tickets.repository import ReportBucketItem, TicketItem, TicketSearchItem
from handoff.tickets.schemas import TermsIn, TicketCreate, TicketStep, TimeEntryCreate
from handoff.tickets.schemas.attachments import AttachmentCreate
from handoff.tickets.schemas.inbound import PartnerUpdate, RotateInboundSecret
from handoff.tickets.schemas.nte import NteRequestCreate
from handoff.tickets.schemas.offers import OfferAnswer, OfferCreate
from handoff.tickets.schemas.work_orders import ClockOff, ClockOn
from handoff.webhooks import service as webhooks
from handoff.webhooks.schemas import SubscriptionCreate

TENANT = "acme"


def _run_order(route: template.Route) -> tuple[bool, bool, int, str]:
    # Create the tenant first; end what later routes need (merge, deletes: the most specific first) last.
    ending = route.path.endswith("/merge") or route.method == "DELETE"
    return (
        route.path != "/tenants",
        ending,
        -len(route.path) if ending else 0,
        f"{route.path} {route.method}",
    )


def admin_of(owner: Principal) -> Access:
    return Access(owner, Action.MEMBER_CREATE, TENANT, frozenset({Role.SYSTEM_ADMIN}))


def _world(owner: Principal, runtime: Runtime) -> dict[str, str]:
    admin = admin_of(owner)
    closed_port = "http://127.0.0.1:9/hook"  # deliveries fail at once and settle after their retries
    subscription = webhooks.create(admin, SubscriptionCreate(url=closed_port, event_types=["MemberAdded"]))
    ids = {SAMPLE_SUBSCRIPTION: subscription.subscription_id}
    for placeholder, email in ((SAMPLE_USER, "tech@x.io"), (SAMPLE_DUPLICATE, "dup@x.io")):
        body = MemberCreate(email=email, name=email, roles=[Role.TECHNICIAN])
        ids[placeholder] = accounts.add_member(admin, body).user_id
    runtime.pump()
    page = webhooks.deliveries(admin, subscription.subscription_id, 1, None)
    ids[SAMPLE_DELIVERY] = page.items[0].delivery_id
    ids[SAMPLE_LOCATION] = locations.create(admin, LocationCreate(name="Depot")).location_id
    for servicer in ("fixit", "brightco"):  # the servicer instances the samples name
        founder = Principal(ensure_user(f"owner@{servicer}.example"), f"owner@{servicer}.example")
        accounts.create_tenant(
            Access(founder, Action.TENANT_CREATE), TenantCreate(tenant_id=servicer, name=servicer)
        )
    _linked(admin, "fixit")
    links.grant_location(admin, "fixit", ids[SAMPLE_LOCATION])
    ids.update(_invitations(admin))
    ids[SAMPLE_CUSTOMER] = portal.create_customer(admin, CustomerCreate(name="Northwind")).customer_id
    ids[SAMPLE_OTHER_CUSTOMER] = portal.create_customer(admin, CustomerCreate(name="Southwind")).customer_id
    ids[SAMPLE_UNIT] = portal.create_unit(
        admin, ids[SAMPLE_CUSTOMER], UnitCreate(name="Truck", odometer=1)
    ).unit_id
    account = PortalAccountCreate(
        email="fleet@x.io",
        name="Fleet",
        role="customer",
        customer_ids=[ids[SAMPLE_CUSTOMER], ids[SAMPLE_OTHER_CUSTOMER]],
    )
    ids[SAMPLE_PORTAL_USER] = portal_accounts.create_account(admin, account).user_id
    slot = datetime(2030, 6, 1, 9, tzinfo=UTC)
    ids[SAMPLE_BOOKING] = bookings.request(
        admin, BookingCreate(unit_id=ids[SAMPLE_UNIT], slot=slot, description="x")
    ).booking_id
    ticket = ticket_routing.create(admin, TicketCreate(title="Pump")).ticket_id
    ids[SAMPLE_TICKET] = outsourcing.act(admin, ticket, TicketAction.START, TicketStep()).ticket_id
    ids[SAMPLE_ATTACHMENT] = _attached(admin, ids[SAMPLE_TICKET], confirm=True)
    ids[SAMPLE_PARTNER_ORG] = partners.create(admin, PartnerOrgCreate(name="Northside")).partner_org_id
    unit = OrgUnitCreate(name="North", partner_org_id=ids[SAMPLE_PARTNER_ORG])
    ids[SAMPLE_ORG_UNIT] = partners.create_org_unit(admin, unit).org_unit_id
    outside = MemberCreate(email="outside@x.io", name="Outside", roles=[Role.PARTNER])
    ids[SAMPLE_PARTNER_USER] = accounts.add_member(admin, outside).user_id
    accounts.add_technician(admin, ids[SAMPLE_PARTNER_ORG], ids[SAMPLE_PARTNER_USER])
    layers = [LayerIn(members=[ids[SAMPLE_USER]], response_minutes=600), LayerIn(members=[ids[SAMPLE_USER]])]
    ids[SAMPLE_TEAM] = partners.create_team(admin, TeamCreate(name="Field", layers=layers)).team_id
    ids["offered-ticket"], ids[SAMPLE_OFFER] = _offered(admin, ids)
    ids.update(_invoice(admin, ids, sent=True))
    ids[SAMPLE_ESTIMATE] = _disputed_estimate(admin, ids)
    ids.update(_shop_invoice(admin, ids))
    ids.update(_work_order(admin, ids))
    shop_card = RateCardCreate(scope="shop", name="Workshop", currency="EUR", hourly_rate_cents=9000)
    ids[SAMPLE_RATE_CARD] = ratecards.create(admin, shop_card).rate_card_id
    return ids


def _attached(admin: Access, ticket_id: str, *, confirm: bool) -> str:
    """A file announced and uploaded (into the bucket, as its presigned POST would), maybe confirmed."""
    pdf = b"%PDF-1.7\n%%EOF\n"
    body = AttachmentCreate(filename="r.pdf", content_type="application/pdf", size_bytes=len(pdf))
    announced = attachments.announce(admin, ticket_id, body)
    bucket = file_settings().attachment_bucket
    aws_clients.s3().put_object(Bucket=bucket, Key=announced.upload.fields["key"], Body=pdf)
    attachment_id = announced.attachment.attachment_id
    if confirm:
        attachments.confirm(admin, ticket_id, attachment_id)
    return attachment_id


def _offered(admin: Access, ids: dict[str, str], *, countered: bool = False) -> tuple[str, str]:
    """A ticket at fixit's granted location offered to fixit; countered by fixit: the owner's turn."""
    ticket = ticket_routing.create(
        admin, TicketCreate(title="Pump", location_id=ids[SAMPLE_LOCATION])
    ).ticket_id
    terms = TermsIn(hourly_rate_cents=6000, currency="EUR")
    offer = outsourcing.make(admin, ticket, OfferCreate(servicer_id="fixit", terms=terms)).offer_id
    if countered:
        fixit = replace(_founder_of("fixit"), tenant_id=TENANT, servicer=links_public.grant(TENANT, "fixit"))
        fixit = replace(fixit, answers_offers=True)
        outsourcing.answer(fixit, ticket, offer, OfferAction.COUNTER, OfferAnswer(terms=terms))
    return ticket, offer


def _nte_ticket(admin: Access, ids: dict[str, str]) -> dict[str, str]:
    """Work fixit is doing under terms with a not-to-exceed amount."""
    ticket = ticket_routing.create(
        admin, TicketCreate(title="Pump", location_id=ids[SAMPLE_LOCATION])
    ).ticket_id
    terms = TermsIn(hourly_rate_cents=6000, currency="EUR", not_to_exceed_cents=10000)
    outsourcing.act(admin, ticket, TicketAction.OUTSOURCE, TicketStep(servicer_id="fixit", terms=terms))
    fixit = replace(_founder_of("fixit"), tenant_id=TENANT, servicer=links_public.grant(TENANT, "fixit"))
    fixit = replace(fixit, answers_offers=True)
    for step in (TicketAction.ACCEPT, TicketAction.START):
        outsourcing.act(fixit, ticket, step, TicketStep())
    return {SAMPLE_TICKET: ticket, "fixit": fixit}  # type: ignore[dict-item]


def _nte_requested(admin: Access, ids: dict[str, str]) -> dict[str, str]:
    made = _nte_ticket(admin, ids)
    fixit = made.pop("fixit")
    body = NteRequestCreate(requested_cents=20000, reason="More")
    asked = nte.request(fixit, made[SAMPLE_TICKET], body)  # type: ignore[arg-type]
    return {**made, SAMPLE_NTE_REQUEST: asked.request_id}


def _invoice(admin: Access, ids: dict[str, str], *, sent: bool) -> dict[str, str]:
    """fixit's invoice for a ticket it completed (computed as its workflow has it), sent adjusted."""
    made = _nte_ticket(admin, ids)
    fixit = made.pop("fixit")
    ticket = made[SAMPLE_TICKET]
    tickets.log_time(fixit, ticket, TimeEntryCreate(minutes=60, work_date=date(2026, 11, 30)))  # type: ignore[arg-type]
    done = outsourcing.act(fixit, ticket, TicketAction.COMPLETE, TicketStep())  # type: ignore[arg-type]
    billing.compute(TENANT, ticket, "fixit", done.version)
    [invoice] = [i for i in billing.list_(fixit, None, 10, None).items if i.ticket_id == ticket]  # type: ignore[arg-type]
    if sent:
        step = PartnerInvoiceStep(adjustment_cents=100, note="Parking")
        billing.act(fixit, invoice.invoice_id, InvoiceAction.SEND, step)  # type: ignore[arg-type]
    return {SAMPLE_INVOICE: invoice.invoice_id}


def _banner_uploaded(admin: Access, ids: dict[str, str], *, default: bool = False) -> dict[str, str]:
    """A valid banner uploaded for the sample organization (into the bucket, as its presigned POST would)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (500, 70), (20, 90, 160)).save(out, format="PNG")
    data = out.getvalue()
    holder = None if default else ids[SAMPLE_PARTNER_ORG]
    asked = partners.start_banner_upload(admin, holder, BannerUploadIn(size_bytes=len(data)))
    aws_clients.s3().put_object(Bucket=file_settings().banner_bucket, Key=asked.fields["key"], Body=data)
    return {}


# Routes whose happy path needs its own objects: what the world adds before the route is measured.
SETUPS: dict[tuple[str, str], Callable[[Access, dict[str, str]], dict[str, str]]] = {
    ("POST", "/tenants/{tenant_id}/tickets/{ticket_id}/offers"): lambda admin, ids: {
        SAMPLE_TICKET: ticket_routing.create(
            admin, TicketCreate(title="Pump", location_id=ids[SAMPLE_LOCATION])
        ).ticket_id
    },
    ("POST", "/tenants/{tenant_id}/tickets/{ticket_id}/offers/{offer_id}/{action}"): lambda admin, ids: dict(
        zip((SAMPLE_TICKET, SAMPLE_OFFER), _offered(admin, ids, countered=True), strict=True)
    ),
    ("GET", "/tenants/{tenant_id}/tickets/{ticket_id}/offers/{offer_id}"): lambda admin, ids: {
        SAMPLE_TICKET: ids["offered-ticket"]
    },
    ("POST", "/tenants/{tenant_id}/partner-organizations/{partner_org_id}/banner/confirm"): _banner_uploaded,
    ("POST", "/tenants/{tenant_id}/portal/banner/confirm"): lambda admin, ids: _banner_uploaded(
        admin, ids, default=True
    ),
    ("POST", "/tenants/{tenant_id}/tickets/{ticket_id}/nte-requests/{request_id}/{action}"): _nte_requested,
    ("POST", "/tenants/{tenant_id}/partner-invoices/{invoice_id}/{action}"): lambda admin, ids: _invoice(
        admin, ids, sent=True
    ),
    ("POST", "/tenants/{tenant_id}/invoices"): lambda admin, ids: _ready_order(admin, ids),
    ("POST", "/tenants/{tenant_id}/invoices/{invoice_id}/{action}"): lambda admin, ids: _shop_invoice(
        admin, ids
    ),
    ("POST", "/tenants/{tenant_id}/tickets/{ticket_id}/escalate"): lambda admin, ids: {
        SAMPLE_TICKET: ticket_routing.create(
            admin, TicketCreate(title="Pump", team_id=ids[SAMPLE_TEAM])
        ).ticket_id
    },
    ("POST", "/tenants/{tenant_id}/tickets/{ticket_id}/attachments/{attachment_id}"): lambda admin, ids: {
        SAMPLE_ATTACHMENT: _attached(admin, ids[SAMPLE_TICKET], confirm=False)
    },
}


def _founder_of(tenant_id: str) -> Access:
    email = f"owner@{tenant_id}.example"
    return Access(
        Principal(ensure_user(email), email), Action.MEMBER_CREATE, tenant_id, frozenset({Role.SYSTEM_ADMIN})
    )


def _linked(admin: Access, servicer_id: str) -> None:
    """acme invites the servicer (restricted to granted locations); its system admin accepts."""
    links.create(admin, LinkCreate(servicer_id=servicer_id, restricted_locations=True))
    links.answer(_founder_of(servicer_id), TENANT, LinkAction.ACCEPT)


def _invitations(admin: Access) -> dict[str, str]:
    """inviterco invites acme as its servicer, and acme's owner as its member: both wait for an answer."""
    inviter = _founder_of("inviterco")
    accounts.create_tenant(
        Access(inviter.principal, Action.TENANT_CREATE), TenantCreate(tenant_id="inviterco", name="Inviter")
    )
    links.create(inviter, LinkCreate(servicer_id=TENANT))
    body = MemberCreate(email=admin.principal.email, name="Owner", roles=[Role.TECHNICIAN])
    accounts.add_member(inviter, body)
    me = accounts.me(Access(admin.principal, Action.ME_READ))
    return {SAMPLE_INVITATION: me.invitations[0].invitation_id}


def _customer(ids: dict[str, str]) -> Access:
    return Access(
        Principal(ids[SAMPLE_PORTAL_USER], "fleet@x.io"),
        Action.ESTIMATE_DECIDE,
        TENANT,
        frozenset({Role.CUSTOMER}),
        customer_ids=frozenset({ids[SAMPLE_CUSTOMER]}),
    )


def _work_order(admin: Access, ids: dict[str, str]) -> dict[str, str]:
    """Approved labour on a work order its technician clocked on to and off; the admin is clocked on to it
    too (the clock-off sample clocks the caller off)."""
    line = LabourLineIn(description="Brakes", hours=Decimal("1.5"), hourly_rate=9000)
    created = estimates.create(
        admin, EstimateCreate(unit_id=ids[SAMPLE_UNIT], currency="EUR", labour_lines=[line])
    )
    estimates.act(admin, created.estimate_id, EstimateStep_.SUBMIT, EstimateStep())
    estimates.act(_customer(ids), created.estimate_id, EstimateStep_.APPROVE, EstimateStep())
    [work] = workorders.board(admin, ids[SAMPLE_UNIT], 10, None).items
    tech = Access(
        Principal(ids[SAMPLE_USER], "tech@x.io"), Action.WORK_CLOCK, TENANT, frozenset({Role.TECHNICIAN})
    )
    order = workorders.clock_on(tech, work.work_id, ClockOn()).ticket_id
    workorders.clock_off(tech, order, ClockOff())
    workorders.clock_on(admin, work.work_id, ClockOn())
    activity = tickets.list_activity(admin, order, 50, None).items
    [entry] = [a for a in activity if a.kind == "clock" and a.technician_id == ids[SAMPLE_USER]]
    return {SAMPLE_WORK: work.work_id, SAMPLE_WORK_ORDER: order, SAMPLE_TIME_ENTRY: entry.entry_id}


def _ready_order(admin: Access, ids: dict[str, str]) -> dict[str, str]:
    """Approved labour a technician clocked on to, the unit marked ready: a work order to invoice."""
    line = LabourLineIn(description="Brakes", hours=Decimal("1.5"), hourly_rate=9000)
    created = estimates.create(
        admin, EstimateCreate(unit_id=ids[SAMPLE_UNIT], currency="EUR", labour_lines=[line])
    )
    estimates.act(admin, created.estimate_id, EstimateStep_.SUBMIT, EstimateStep())
    estimates.act(_customer(ids), created.estimate_id, EstimateStep_.APPROVE, EstimateStep())
    [work] = [
        w
        for w in workorders.board(admin, ids[SAMPLE_UNIT], 10, None).items
        if w.estimate_id == created.estimate_id
    ]
    tech = Access(
        Principal(ids[SAMPLE_USER], "tech@x.io"), Action.WORK_CLOCK, TENANT, frozenset({Role.TECHNICIAN})
    )
    order = workorders.clock_on(tech, work.work_id, ClockOn()).ticket_id
    outsourcing.act(admin, order, TicketAction.UNIT_READY, TicketStep())
    return {SAMPLE_WORK_ORDER: order}


def _shop_invoice(admin: Access, ids: dict[str, str]) -> dict[str, str]:
    made = shop_invoices.create(
        admin, InvoiceCreate(work_order_id=_ready_order(admin, ids)[SAMPLE_WORK_ORDER])
    )
    return {SAMPLE_SHOP_INVOICE: made.invoice_id}


def _disputed_estimate(admin: Access, ids: dict[str, str]) -> str:
    """Version 1 sent and disputed: every estimate route's sample (adjust, acknowledge, versions) applies."""
    line = LabourLineIn(description="Pads", hours=Decimal("1.5"), hourly_rate=9000)
    created = estimates.create(
        admin, EstimateCreate(unit_id=ids[SAMPLE_UNIT], currency="EUR", labour_lines=[line])
    )
    estimates.act(admin, created.estimate_id, EstimateStep_.SUBMIT, EstimateStep())
    customer = _customer(ids)
    disputed = DisputedItem(line_id=created.labour_lines[0].line_id, note="Too many hours")
    estimates.act(customer, created.estimate_id, EstimateStep_.DISPUTE, EstimateStep(items=[disputed]))
    return created.estimate_id


def _partner_system(admin: Access, ids: dict[str, str], samples: Any, calls: Counter[str]) -> None:
    """fixit's system posts a signed update of a ticket outsourced to it (the happy path, measured)."""
    print("as fixit's system (a signed inbound update):")
    location = ids[SAMPLE_LOCATION]
    ticket = ticket_routing.create(admin, TicketCreate(title="Pump", location_id=location)).ticket_id
    terms = TermsIn(hourly_rate_cents=6000, currency="EUR")
    outsourcing.act(admin, ticket, TicketAction.OUTSOURCE, TicketStep(servicer_id="fixit", terms=terms))
    secret = inbound.rotate_secret(admin, "fixit", RotateInboundSecret()).secret
    for status in (TicketStatus.ACCEPTED, TicketStatus.IN_PROGRESS):
        signer = inbound.SignedBy(TENANT, "fixit", new_id())
        inbound.apply(signer, PartnerUpdate(partner_id="fixit", ticket_id=ticket, status=status))
    route = next(r for r in template.routes() if r.path.endswith("/inbound/partner-updates"))
    event = prepared(
        samples[(route.method, route.path)], None, {"tenant_id": TENANT}, {SAMPLE_TICKET: ticket}
    )
    message_id, timestamp = new_id(), int(time.time())
    event["headers"].update(signed_headers([secret], message_id, timestamp, event["body"]))
    calls.clear()
    result = invoke(route, event)
    _report(route, result["statusCode"], calls)


def _large_tenant(tenant_id: str, size: int) -> None:
    """`size` staff and `size` customers, written in batches: one dispatcher, one inactive member, one who may
    not log in, one portal account, one live customer; every other member a technician, every other customer
    archived. Each filtered list has exactly one item to find."""
    staff = [(Role.TECHNICIAN, True, True)] * (size - 3)
    staff += [(Role.DISPATCHER, True, True), (Role.TECHNICIAN, False, True), (Role.TECHNICIAN, True, False)]
    with MembershipItem.batch_write() as batch:
        for index, (role, active, can_login) in enumerate([*staff, (Role.CUSTOMER, True, True)]):
            user = new_user(f"m{index}@{tenant_id}.example", f"Member {index:05d}")
            member = new_membership(tenant_id, user, [role], active=active, can_login=can_login)
            member.facets = sorted([pk, sk] for pk, sk in member.facet_keys())
            batch.save(member)
            for pk, sk in member.facet_keys():
                batch.save(MemberFacetItem(pk, sk, user_id=user.user_id))
        for index in range(size):
            customer = portal_store.new_customer(tenant_id, "bench", name=f"Customer {index:05d}")
            customer.archived = index != size // 2
            portal_store.place(customer)
            batch.save(customer)


def _walk(list_: Callable[[str | None], Page[Any]], calls: Counter[str], read: Counter[str]) -> str:
    """Pages through a list to its end: calls made and items read."""
    calls.clear()
    read.clear()
    cursor: str | None = None
    found = 0
    while True:
        with reads.request_scope():  # as the API runs each request
            page = list_(cursor)
        found += len(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    return f"{found} found, {sum(calls.values())} calls, {read['items']} items read"


def _lists(tenant_id: str) -> dict[str, Callable[[str | None], Page[Any]]]:
    def members(
        role: Role | None = None, active: bool | None = None, can_login: bool | None = None
    ) -> Callable[[str | None], Page[Any]]:
        return lambda cursor: accounts_store.search_members(
            tenant_id,
            name_prefix=None,
            role=role,
            active=active,
            can_login=can_login,
            limit=50,
            cursor=cursor,
        )

    return {
        "members role=dispatcher": members(role=Role.DISPATCHER),
        "members active=false": members(active=False),
        "members can_login=false": members(can_login=False),
        "members role=technician active=false": members(role=Role.TECHNICIAN, active=False),
        "portal accounts": lambda cursor: accounts_store.search_portal_accounts(tenant_id, 50, cursor),
        "customers (not archived)": lambda cursor: portal_store.list_customers(
            tenant_id, None, False, 50, cursor
        ),
    }


def _filtered_lists(calls: Counter[str], read: Counter[str]) -> None:
    print("to the end of each filtered list, in a tenant of 10 and of 10,000 (one item matches each):")
    for size in (10, 10_000):
        tenant_id = f"size-{size}"
        _large_tenant(tenant_id, size)
        lists = _lists(tenant_id)
        for name, list_ in lists.items():
            print(f"  {size:>6}  {name:<40} {_walk(list_, calls, read)}")


def _many_tickets(tenant_id: str, size: int) -> None:
    """`size` tickets written in batches, with their search entries and the report buckets their
    transactions would have kept: one "Replace the valve" open at the depot, every other one "Service run
    <n>" in progress."""
    sums: dict[str, dict[str, int]] = {}
    with TicketItem.batch_write() as batch:
        for index in range(size):
            odd = index == size // 2
            title = "Replace the valve" if odd else f"Service run {index}"
            item = ticket_repo.new_ticket(tenant_id, title, None, "depot" if odd else None, "bench")
            item.status = "open" if odd else "in_progress"
            item.place()
            for pk, sk in item.search_keys():
                batch.save(TicketSearchItem(pk, sk, ticket_id=item.ticket_id))
            item.search = sorted([pk, sk] for pk, sk in item.search_keys())
            for sk, deltas in ticket_repo.bucket_deltas(item.contribution(), 1).items():
                into = sums.setdefault(sk, {})
                for name, value in deltas.items():
                    into[name] = into.get(name, 0) + value
            item.report = item.contribution()
            batch.save(item)
        for sk, fields in sums.items():
            bucket = ReportBucketItem(keys.reports_partition(tenant_id), sk)
            for name, value in fields.items():
                setattr(bucket, name, value)
            batch.save(bucket)


def _ticket_reads(calls: Counter[str]) -> None:
    print("search and reports, in a tenant of 10 and of 10,000 tickets (one ticket matches each search):")
    for size in (10, 10_000):
        tenant_id = f"tickets-{size}"
        _many_tickets(tenant_id, size)
        admin = Access(
            Principal(ensure_user("bench-owner@example.com"), "bench-owner@example.com"),
            Action.TICKET_SEARCH,
            tenant_id,
            frozenset({Role.SYSTEM_ADMIN}),
        )
        reads_ = _ticket_reads_of(admin)
        for name, run in reads_.items():
            calls.clear()
            with reads.request_scope():
                run()
            print(f"  {size:>6}  {name:<40} {sum(calls.values())} calls ({dict(sorted(calls.items()))})")


def _ticket_reads_of(admin: Access) -> dict[str, Callable[[], object]]:
    today = datetime.now(UTC).date()
    return {
        "search q=valve": lambda: search_tickets.search(admin, **_no_filters(q="valve")),
        "search status=open location=depot": lambda: search_tickets.search(
            admin, **_no_filters(status=TicketStatus.OPEN, location_id="depot")
        ),
        "summary report (30 days)": lambda: ticket_reports.summary(admin, None, today, None),
        "status report": lambda: ticket_reports.status(admin, None),
    }


SEARCH_FILTERS = (
    *("status", "assignee", "partner", "location_id"),
    *("created_from", "created_to", "updated_from", "updated_to", "q"),
)


def _no_filters(**chosen: Any) -> dict[str, Any]:
    return {**dict.fromkeys(SEARCH_FILTERS), "limit": 50, "cursor": None, **chosen}


def _report(route: template.Route, status: int, calls: Counter[str]) -> None:
    detail = ", ".join(f"{op} {n}" for op, n in sorted(calls.items()))
    print(f"{route.method:<6} {route.path:<88} {status}  {sum(calls.values())} calls  ({detail})")


def main() -> None:
    os.environ.update(aws.LOCAL_CREDENTIALS)
    issuer = DevIssuer.in_directory(Path(tempfile.mkdtemp()))
    with mock_aws(config=aws.MOTO_CONFIG):
        provisioned = aws.provision(
            {**issuer.environment(), **aws.LOCAL_SETTINGS, "WEBHOOK_RETRY_SCHEDULE": "0"}
        )
        aws.apply_environment(provisioned.environment)
        os.environ["POWERTOOLS_LOG_LEVEL"] = "ERROR"
        runtime = Runtime(provisioned)
        calls: Counter[str] = Counter()

        def count(event_name: str, **_: Any) -> None:
            calls[event_name.rsplit(".", 1)[-1]] += 1

        client().meta.events.register("before-call.dynamodb.*", count)
        read: Counter[str] = Counter()

        def items_read(parsed: dict[str, Any], **_: Any) -> None:
            read["items"] += int(parsed.get("ScannedCount", 0))
            read["items"] += sum(len(found) for found in parsed.get("Responses", {}).values())

        client().meta.events.register("after-call.dynamodb.*", items_read)
        owner = Principal(ensure_user("bench-owner@example.com"), "bench-owner@example.com")
        token = issuer.token(owner.user_id, owner.email)
        samples = all_samples()
        ids: dict[str, str] = {}
        max_read = scans = 0
        for route in sorted(template.routes(), key=_run_order):
            if not ids and route.path != "/tenants":
                ids = _world(owner, runtime)
            setup = SETUPS.get((route.method, route.path))
            here = {**ids, **setup(admin_of(owner), ids)} if setup else ids
            event = prepared(samples[(route.method, route.path)], token, {"tenant_id": TENANT}, here)
            calls.clear()
            result = invoke(route, event)
            scans += calls["Scan"]
            if route.method in ("GET", "HEAD"):
                max_read = max(max_read, sum(calls.values()))
            _report(route, result["statusCode"], calls)
        print("as a member of a linked servicer instance (fixit, restricted to granted locations):")
        _linked(admin_of(owner), "fixit")
        links.grant_location(admin_of(owner), "fixit", ids[SAMPLE_LOCATION])
        tech = Principal(ensure_user("owner@fixit.example"), "owner@fixit.example")
        servicer_token = issuer.token(tech.user_id, tech.email)
        for route in template.routes():
            if route.method == "GET" and route.path.startswith("/tenants/{tenant_id}/locations"):
                event = prepared(
                    samples[(route.method, route.path)], servicer_token, {"tenant_id": TENANT}, ids
                )
                calls.clear()
                result = invoke(route, event)
                _report(route, result["statusCode"], calls)
        asking = next(r for r in template.routes() if r.method == "POST" and r.path.endswith("/nte-requests"))
        bounded = _nte_ticket(admin_of(owner), ids)[SAMPLE_TICKET]
        event = prepared(
            samples[(asking.method, asking.path)],
            servicer_token,
            {"tenant_id": TENANT},
            {SAMPLE_TICKET: bounded},
        )
        calls.clear()
        result = invoke(asking, event)
        _report(asking, result["statusCode"], calls)
        _partner_system(admin_of(owner), ids, samples, calls)
        _filtered_lists(calls, read)
        _ticket_reads(calls)
        print(f"max calls per read route: {max_read}, scans: {scans}")


if __name__ == "__main__":
    main()
