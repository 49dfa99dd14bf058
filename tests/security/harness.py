"""The security harness: the world its tests run in, what "untouched" means, and its counters."""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import boto3

from devstack.samples import (
    SAMPLE_ATTACHMENT,
    SAMPLE_BOOKING,
    SAMPLE_CUSTOMER,
    SAMPLE_DELIVERY,
    SAMPLE_DUPLICATE,
    SAMPLE_ESTIMATE,
    SAMPLE_INVOICE,
    SAMPLE_LOCATION,
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
)

STATS: Counter[str] = Counter()


@dataclass
class World:
    """acme (the tenant under test) with members, a location, a webhook subscription with a settled delivery and
    a servicer link to fixit; rival and acme-corp (a prefix twin) with objects of their own."""

    owner: object
    ids: dict[str, str]  # sample placeholder -> acme's real id
    foreign_ids: dict[str, str]  # sample placeholder -> another tenant's id of the same kind
    rivals: list = field(default_factory=list)


def is_signed(route) -> bool:
    """A route a partner system calls with a signature instead of a token (its own tests sign requests)."""
    from handoff.api.app import ROUTE_ACTIONS
    from handoff.auth.policy import POLICY, Scope

    return POLICY[ROUTE_ACTIONS[(route.method, route.path)]].scope is Scope.SIGNED


def writes_so_far(aws_env) -> int:
    """Every committed write to the table leaves a stream record (moto keeps them on the live table)."""
    from moto.dynamodb.models import dynamodb_backends

    from devstack.aws import ACCOUNT, REGION

    table = dynamodb_backends[ACCOUNT][REGION].tables[aws_env.refs["Table"]]
    return len(table.stream_shard.items)


def table_snapshot(aws_env) -> list[str]:
    table = boto3.resource("dynamodb").Table(aws_env.refs["Table"])
    return sorted(json.dumps(item, sort_keys=True, default=str) for item in table.scan()["Items"])


def bucket_snapshot(aws_env) -> list[str]:
    """Every version of every object in the two buckets, read from moto's store itself (a listing through the
    S3 API costs a tenth of a second a call, and the matrix takes two per refused cell)."""
    from moto.s3.models import s3_backends

    from devstack.aws import ACCOUNT

    buckets = s3_backends[ACCOUNT]["aws"].buckets
    found = []
    for bucket in ("BannerBucket", "AttachmentBucket"):
        for name, versions in buckets[aws_env.refs[bucket]].keys.iterlists():
            found += [f"{bucket}{name}{v.version_id}{v.etag}" for v in versions]
    return sorted(found)


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def put_upload(key: str, data: bytes, bucket_logical: str = "AttachmentBucket") -> None:
    """What a presigned POST does: the bytes under the upload key."""
    s3 = boto3.client("s3")
    name = bucket_logical.replace("Bucket", "").lower()
    bucket = next(b["Name"] for b in s3.list_buckets()["Buckets"] if name in b["Name"])
    s3.put_object(Bucket=bucket, Key=key, Body=data)


def uploaded(api, user, tenant_id: str, ticket_id: str) -> str:
    """A file the caller announced and uploaded, not confirmed yet (the upload put straight into the bucket,
    as the presigned POST would)."""
    body = {"filename": "report.pdf", "content_type": "application/pdf", "size_bytes": len(PDF)}
    announced = api.as_(user).post(f"/tenants/{tenant_id}/tickets/{ticket_id}/attachments", body)
    assert announced.status_code == 201, announced.json
    put_upload(announced.json["upload"]["fields"]["key"], PDF)
    return str(announced.json["attachment"]["attachment_id"])


def attached(api, user, tenant_id: str, ticket_id: str) -> str:
    """A confirmed file on the ticket, shared with whoever works it."""
    attachment_id = uploaded(api, user, tenant_id, ticket_id)
    confirmed = api.as_(user).post(f"/tenants/{tenant_id}/tickets/{ticket_id}/attachments/{attachment_id}")
    assert confirmed.status_code == 200, confirmed.json
    return attachment_id


def state(aws_env):
    """What a refused request must leave as it was: the table (no write at all) and the bucket. Events leave
    only through the table's outbox, so an untouched table means an untouched bus."""
    return writes_so_far(aws_env), bucket_snapshot(aws_env)


class _Accepting(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


_receiver: ThreadingHTTPServer | None = None


def receiver_url() -> str:
    """A partner endpoint on 127.0.0.1 that accepts every webhook (one attempt each: cheap)."""
    global _receiver
    if _receiver is None:
        _receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Accepting)
        threading.Thread(target=_receiver.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{_receiver.server_address[1]}/hooks"


def _objects(api, runtime, owner, tenant_id: str) -> dict[str, str]:
    """The objects every route's sample can address, made in `tenant_id` by its owner."""
    admin = api.as_(owner)
    subscription = admin.post(
        f"/tenants/{tenant_id}/webhook-subscriptions", {"url": receiver_url(), "event_types": ["MemberAdded"]}
    ).json["subscription_id"]
    member = api.member(owner, tenant_id, f"tech@{tenant_id}.example", ["technician"])
    runtime.pump()  # the delivery succeeds and settles
    [delivery] = admin.get(f"/tenants/{tenant_id}/webhook-subscriptions/{subscription}/deliveries").json[
        "items"
    ]
    duplicate = api.member(owner, tenant_id, f"tech.old@{tenant_id}.example", ["technician"])
    location = admin.post(f"/tenants/{tenant_id}/locations", {"name": "Depot"}).json["location_id"]
    customers = [
        admin.post(f"/tenants/{tenant_id}/customers", {"name": name}).json["customer_id"]
        for name in ("Northwind", "Southwind")
    ]
    units = [
        admin.post(f"/tenants/{tenant_id}/customers/{c}/units", {"name": "Truck", "odometer": 1000}).json[
            "unit_id"
        ]
        for c in customers
    ]
    portal_user = admin.post(
        f"/tenants/{tenant_id}/portal-accounts",
        {
            "email": f"fleet@{tenant_id}.example",
            "name": "Fleet",
            "role": "customer",
            "customer_ids": customers,  # two: revoking one (the DELETE sample) leaves it one
        },
    ).json["user_id"]
    booking = admin.post(
        f"/tenants/{tenant_id}/booking-requests",
        {"unit_id": units[0], "slot": "2030-06-01T09:00:00+02:00", "description": "Service"},
    ).json["booking_id"]
    other_booking = admin.post(
        f"/tenants/{tenant_id}/booking-requests",
        {"unit_id": units[1], "slot": "2030-06-01T09:00:00+02:00", "description": "Service"},
    ).json["booking_id"]
    estimate, other_estimate = (
        _disputed_estimate(api, admin, tenant_id, unit, email)
        for unit, email in (
            (units[0], f"fleet@{tenant_id}.example"),
            (units[1], None),
        )
    )
    in_house = admin.post(f"/tenants/{tenant_id}/tickets", {"title": "Check the boiler"}).json["ticket_id"]
    assert admin.post(f"/tenants/{tenant_id}/tickets/{in_house}/start", {}).status_code == 200
    work, work_order, time_entry = _work_order(api, admin, tenant_id, units[0], member)
    admin.patch(f"/tenants/{tenant_id}/customers/{customers[0]}", {"requires_invoice_authorization": True})
    shop_invoices = [
        shop_invoice(api, admin, tenant_id, unit, member, step)
        for unit, step in ((units[0], "submit"), (units[1], "finalize"))
    ]
    partner_org = admin.post(f"/tenants/{tenant_id}/partner-organizations", {"name": "Northside"}).json
    org_unit = admin.post(
        f"/tenants/{tenant_id}/org-units", {"name": "North", "partner_org_id": partner_org["partner_org_id"]}
    ).json
    partner_user = api.member(owner, tenant_id, f"outside.tech@{tenant_id}.example", ["partner"])
    joined = admin.post(
        f"/tenants/{tenant_id}/partner-organizations/{partner_org['partner_org_id']}/technicians",
        {"user_id": partner_user.user_id},
    )
    assert joined.status_code == 200, joined.json
    team = admin.post(
        f"/tenants/{tenant_id}/teams",
        {
            "name": "Field service",
            "layers": [{"members": [member.user_id], "response_minutes": 600}, {"members": [member.user_id]}],
        },
    )
    assert team.status_code == 201, team.json
    rate_card = admin.post(
        f"/tenants/{tenant_id}/rate-cards",
        {"scope": "shop", "name": "Workshop", "currency": "EUR", "hourly_rate_cents": 9000},
    )
    assert rate_card.status_code == 201, rate_card.json
    return {
        SAMPLE_RATE_CARD: rate_card.json["rate_card_id"],
        SAMPLE_PARTNER_USER: partner_user.user_id,
        SAMPLE_TEAM: team.json["team_id"],
        SAMPLE_PARTNER_ORG: partner_org["partner_org_id"],
        SAMPLE_ORG_UNIT: org_unit["org_unit_id"],
        SAMPLE_ATTACHMENT: attached(api, owner, tenant_id, in_house),
        SAMPLE_WORK: work,
        SAMPLE_WORK_ORDER: work_order,
        SAMPLE_TIME_ENTRY: time_entry,
        SAMPLE_ESTIMATE: estimate,
        "other-estimate": other_estimate,
        SAMPLE_SHOP_INVOICE: shop_invoices[0],
        "other-invoice": shop_invoices[1],
        SAMPLE_TICKET: in_house,
        "other-booking": other_booking,
        SAMPLE_BOOKING: booking,
        SAMPLE_CUSTOMER: customers[0],
        SAMPLE_OTHER_CUSTOMER: customers[1],
        SAMPLE_UNIT: units[0],
        "other-unit": units[1],
        SAMPLE_PORTAL_USER: portal_user,
        SAMPLE_USER: member.user_id,
        SAMPLE_DUPLICATE: duplicate.user_id,
        SAMPLE_SUBSCRIPTION: subscription,
        SAMPLE_DELIVERY: delivery["delivery_id"],
        SAMPLE_LOCATION: location,
    }


ESTIMATE_LINES = [
    {
        "description": "Replace the brake pads",
        "hours": "1.5",
        "hourly_rate": 9000,
        "parts": [{"part_number": "BP-220", "description": "Pads", "quantity": "1", "unit_price": 4500}],
    }
]


def _disputed_estimate(api, admin, tenant_id: str, unit_id: str, portal_email: str | None) -> str:
    """An estimate every estimate route can address: version 1 frozen, disputed by the customer (so the shop
    may still adjust it and acknowledge the dispute)."""
    created = admin.post(
        f"/tenants/{tenant_id}/estimates",
        {"unit_id": unit_id, "currency": "EUR", "labour_lines": ESTIMATE_LINES},
    )
    assert created.status_code == 201, created.json
    estimate = created.json["estimate_id"]
    assert admin.post(f"/tenants/{tenant_id}/estimates/{estimate}/submit", {}).status_code == 200
    if portal_email is not None:
        customer = _portal_user(api, portal_email)
        line = created.json["labour_lines"][0]["line_id"]
        disputed = customer.post(
            f"/tenants/{tenant_id}/estimates/{estimate}/dispute",
            {"items": [{"line_id": line, "note": "Too many hours"}]},
        )
        assert disputed.status_code == 200, disputed.json
    return estimate


def _portal_user(api, email: str):
    from handoff.accounts.repository import find_user_id_by_email

    token = api.issuer.token(find_user_id_by_email(email), email)
    return api.as_(SimpleNamespace(auth={"Authorization": f"Bearer {token}"}))


def ready_work_order(api, admin, tenant_id: str, unit_id: str, technician) -> str:
    """A work order its technician clocked on to and off, its unit marked ready: ready_to_submit."""
    order = _work_order(api, admin, tenant_id, unit_id, technician)[1]
    assert admin.post(f"/tenants/{tenant_id}/tickets/{order}/unit-ready", {}).status_code == 200
    return order


def shop_invoice(api, admin, tenant_id: str, unit_id: str, technician, step: str | None) -> str:
    """The shop's invoice of a ready work order: a draft, or submitted (a customer that authorizes) or
    finalized (one that does not)."""
    order = ready_work_order(api, admin, tenant_id, unit_id, technician)
    made = admin.post(f"/tenants/{tenant_id}/invoices", {"work_order_id": order})
    assert made.status_code == 201, made.json
    if step is not None:
        moved = admin.post(f"/tenants/{tenant_id}/invoices/{made.json['invoice_id']}/{step}", {})
        assert moved.status_code == 200, moved.json
    return str(made.json["invoice_id"])


def _work_order(api, admin, tenant_id: str, unit_id: str, technician) -> tuple[str, str, str]:
    """Approved labour on a work order the technician clocked on to and off (one clocked entry): every
    work-order route can address the work, the order and the entry."""
    created = admin.post(
        f"/tenants/{tenant_id}/estimates",
        {"unit_id": unit_id, "currency": "EUR", "labour_lines": ESTIMATE_LINES},
    ).json
    estimate = created["estimate_id"]
    assert admin.post(f"/tenants/{tenant_id}/estimates/{estimate}/submit", {}).status_code == 200
    customer = _portal_user(api, f"fleet@{tenant_id}.example")
    assert customer.post(f"/tenants/{tenant_id}/estimates/{estimate}/approve", {}).status_code == 200
    [work] = [
        w
        for w in admin.get(f"/tenants/{tenant_id}/units/{unit_id}/work-required").json["items"]
        if w["estimate_id"] == estimate
    ]
    tech = api.as_(technician)
    opened = tech.post(f"/tenants/{tenant_id}/work-required/{work['work_id']}/clock-on", {})
    assert opened.status_code == 200, opened.json
    order = opened.json["ticket_id"]
    assert tech.post(f"/tenants/{tenant_id}/tickets/{order}/clock-off", {}).status_code == 200
    [entry] = [
        a
        for a in admin.get(f"/tenants/{tenant_id}/tickets/{order}/activity").json["items"]
        if a["kind"] == "clock"
    ]
    return work["work_id"], order, entry["entry_id"]


def _outsourced_ticket(api, acme, location_id: str) -> str:
    """acme's ticket at fixit's granted location, outsourced to fixit, accepted and started there: every staff
    role and fixit's crew may work on it."""
    ticket = acme.post("/tenants/acme/tickets", {"title": "Pump", "location_id": location_id}).json[
        "ticket_id"
    ]
    terms = {"hourly_rate_cents": 6000, "currency": "EUR"}
    outsourced = acme.post(
        f"/tenants/acme/tickets/{ticket}/outsource", {"servicer_id": "fixit", "terms": terms}
    )
    assert outsourced.status_code == 200, outsourced.json
    fixit = api.as_(api.user("owner@fixit.example"))
    for step in ("accept", "start"):
        assert fixit.post(f"/tenants/acme/tickets/{ticket}/{step}", {}).status_code == 200
    return ticket


def invoiced(api, acme, location_id: str, *, sent: bool) -> str:
    """fixit's invoice for a ticket it completed, computed as the partner-invoicing workflow has it computed
    (the workflow itself runs in tests/integration/test_partner_invoices.py); sent with an adjustment (it
    waits for acme's approvers), or left a draft."""
    from handoff.billing import service as billing

    ticket = acme.post("/tenants/acme/tickets", {"title": "Billed", "location_id": location_id}).json[
        "ticket_id"
    ]
    terms = {"hourly_rate_cents": 6000, "currency": "EUR"}
    assert (
        acme.post(
            f"/tenants/acme/tickets/{ticket}/outsource", {"servicer_id": "fixit", "terms": terms}
        ).status_code
        == 200
    )
    fixit = api.as_(api.user("owner@fixit.example"))
    for step in ("accept", "start"):
        assert fixit.post(f"/tenants/acme/tickets/{ticket}/{step}", {}).status_code == 200
    fixit.post(f"/tenants/acme/tickets/{ticket}/time-entries", {"minutes": 60, "work_date": "2026-11-30"})
    done = fixit.post(f"/tenants/acme/tickets/{ticket}/complete", {})
    assert done.status_code == 200, done.json
    assert billing.compute("acme", ticket, "fixit", int(done.json["version"])) == "computed"
    [invoice] = [
        i for i in fixit.get("/tenants/acme/partner-invoices").json["items"] if i["ticket_id"] == ticket
    ]
    if sent:
        body = {"adjustment_cents": 100, "note": "Parking"}
        assert (
            fixit.post(f"/tenants/acme/partner-invoices/{invoice['invoice_id']}/send", body).status_code
            == 200
        )
    return str(invoice["invoice_id"])


def build_world(api, runtime) -> World:
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    ids = _objects(api, runtime, owner, "acme")
    for servicer in ("fixit", "brightco"):
        api.tenant(api.user(f"owner@{servicer}.example"), servicer)
    acme = api.as_(owner)
    api.link(owner, "acme", "fixit", restricted_locations=True)
    acme.request("PUT", f"/tenants/acme/servicer-links/fixit/locations/{ids[SAMPLE_LOCATION]}")
    ids[SAMPLE_TICKET] = _outsourced_ticket(api, acme, ids[SAMPLE_LOCATION])
    ids[SAMPLE_OFFER] = acme.get(f"/tenants/acme/tickets/{ids[SAMPLE_TICKET]}").json["offer_id"]
    ids[SAMPLE_ATTACHMENT] = attached(api, owner, "acme", ids[SAMPLE_TICKET])
    ids[SAMPLE_INVOICE] = invoiced(api, acme, ids[SAMPLE_LOCATION], sent=True)
    # another partner of acme's, and a ticket outsourced to it: fixit's crew must not reach it
    api.tenant(api.user("owner@otherco.example"), "otherco")
    api.link(owner, "acme", "otherco")
    ids["other-partner-ticket"] = acme.post("/tenants/acme/tickets", {"title": "Not fixit's"}).json[
        "ticket_id"
    ]
    terms = {"hourly_rate_cents": 5000, "currency": "EUR"}
    acme.post(
        f"/tenants/acme/tickets/{ids['other-partner-ticket']}/outsource",
        {"servicer_id": "otherco", "terms": terms},
    )
    # Consent: inviterco invites acme (acme's system admin may answer); acme invites pendingco and a login
    # of another instance, neither of which has answered ("invited, not accepted").
    api.tenant(api.user("owner@inviterco.example"), "inviterco")
    inviterco = api.as_(api.user("owner@inviterco.example"))
    assert inviterco.post("/tenants/inviterco/servicer-links", {"servicer_id": "acme"}).status_code == 201
    api.tenant(api.user("owner@pendingco.example"), "pendingco")
    assert acme.post("/tenants/acme/servicer-links", {"servicer_id": "pendingco"}).status_code == 201
    invitee = api.user("invitee@elsewhere.example")
    invited = acme.post(
        "/tenants/acme/members", {"email": invitee.email, "name": "Invitee", "roles": ["dispatcher"]}
    )
    assert invited.status_code == 201 and invited.json["invited_until"], invited.json
    rivals = []
    for tenant_id in ("rival", "acme-corp"):
        rival = api.user(f"owner@{tenant_id}.example")
        api.tenant(rival, tenant_id)
        rivals.append(rival)
    foreign_ids = _objects(api, runtime, rivals[0], "rival")
    return World(owner=owner, ids=ids, foreign_ids=foreign_ids, rivals=rivals)
