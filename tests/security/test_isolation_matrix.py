"""The isolation matrix, generated from the route table: every route x every role x every relation.

Roles: anonymous, each tenant role (a member of acme holding only that role), and a member of fixit working
in acme through a servicer link (restricted to one granted location, may manage locations). Relations: acme's
own objects, another tenant's tenant path (rival, and acme-corp which shares acme's prefix), another tenant's
object addressed through acme's path, ids that do not exist, and for fixit's member a ticket acme outsourced
to another partner. Plus every verb a path does not serve.

The expected answer of each cell comes from the policy module alone:
  anonymous -> 401; allowed -> 2xx on acme's own objects; not allowed -> 403;
  another tenant, another tenant's object, a missing id -> 404, byte-for-byte the same as a missing one.
Every refused cell must leave DynamoDB, S3 and the event bus exactly as they were.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from types import SimpleNamespace

import pytest
from banner_files import valid as valid_banner
from security.harness import (
    STATS,
    build_world,
    invoiced,
    put_upload,
    ready_work_order,
    shop_invoice,
    state,
    uploaded,
)
from werkzeug.test import Client

from devstack import template
from devstack.samples import (
    SAMPLE_ATTACHMENT,
    SAMPLE_CUSTOMER,
    SAMPLE_ESTIMATE,
    SAMPLE_INVITATION,
    SAMPLE_INVOICE,
    SAMPLE_LOCATION,
    SAMPLE_NTE_REQUEST,
    SAMPLE_OFFER,
    SAMPLE_OTHER_CUSTOMER,
    SAMPLE_PARTNER_ORG,
    SAMPLE_SHOP_INVOICE,
    SAMPLE_TEAM,
    SAMPLE_TICKET,
    SAMPLE_UNIT,
    SAMPLE_USER,
    SAMPLE_WORK,
    SAMPLE_WORK_ORDER,
    all_samples,
    invoke,
    prepared,
)
from handoff.api.app import ROUTE_ACTIONS, route_action
from handoff.auth.policy import POLICY, Role, Scope, ServicerAccess, is_allowed, is_allowed_for_servicer

MISSING_ID = "01JZZZZZZZZZZZZZZZZZZZZZZZ"
SERVICER = "servicer-via-link"
# "Invited, not accepted": a member of an instance acme invited as its servicer, and a login acme invited as
# its member; until they accept, acme is to them what any tenant they are not in is: 404.
INVITED_SERVICER = "invited-servicer"
INVITED_MEMBER = "invited-member"
INVITED = {INVITED_SERVICER, INVITED_MEMBER}
ROLES = ["anonymous", *[r.value for r in Role], SERVICER, *sorted(INVITED)]
ROUTES = template.routes()
OBJECT_PARAMS = re.compile(
    r"\{(user_id|subscription_id|delivery_id|location_id|servicer_id|customer_id|unit_id|ticket_id|estimate_id"
    r"|item_id|entry_id|invitation_id|offer_id|attachment_id|partner_org_id|org_unit_id|team_id|request_id|invoice_id|rate_card_id)\}"
)
CUSTOMER_PARAMS = re.compile(r"\{(customer_id|unit_id|estimate_id|invoice_id)\}")
CLIENT_ROLES = {Role.CUSTOMER.value, Role.CLIENT_REP_MANAGER.value}


def _run_order(route: template.Route) -> tuple[int, int, str]:
    """Reads and edits first; what consumes objects (merges, deletes — most specific first) last."""
    consuming = route.path.endswith("/merge") or route.method == "DELETE"
    return (int(consuming), -len(route.path) if consuming else 0, f"{route.path} {route.method}")


def _actor(api, world, role):
    if role == "anonymous":
        return None
    if role == Role.SYSTEM_ADMIN.value:
        return world.owner
    if role == INVITED_SERVICER:
        return api.user("owner@pendingco.example")
    if role == INVITED_MEMBER:
        return api.user("invitee@elsewhere.example")
    if role == SERVICER:
        fixit_owner = api.user("owner@fixit.example")
        api.as_(world.owner).patch("/tenants/acme/servicer-links/fixit", {"can_manage_locations": True})
        return api.member(fixit_owner, "fixit", "crew@fixit.example", ["technician"], accepts_work=True)
    if role in CLIENT_ROLES:  # a portal account whose company is the samples' customer
        account = (
            api.as_(world.owner)
            .post(
                "/tenants/acme/portal-accounts",
                {
                    "email": f"{role.replace('_', '-')}@client.example",
                    "name": role,
                    "role": role,
                    "customer_ids": [world.ids[SAMPLE_CUSTOMER]],
                },
            )
            .json
        )
        return SimpleNamespace(
            user_id=account["user_id"],
            email=account["email"],
            token=api.issuer.token(account["user_id"], account["email"]),
        )
    return api.member(world.owner, "acme", f"{role.replace('_', '-')}@acme.example", [role])


def _hidden_from_servicers(route, path_params) -> bool:
    action = route_action(route.method, route.path, path_params)
    return POLICY[action].servicer is ServicerAccess.HIDDEN


def _allowed(role, route, actor, path_params) -> bool:
    action = route_action(route.method, route.path, path_params)
    if POLICY[action].scope is Scope.IDENTITY:
        return True
    if role in INVITED:
        return False  # a tenant route: nothing of acme is theirs yet
    if role == SERVICER:
        return is_allowed_for_servicer(action, can_manage_locations=True)
    acting_on_self = path_params.get("user_id") == actor.user_id
    return is_allowed(action, frozenset({Role(role)}), acting_on_self=acting_on_self)


def _invited_elsewhere(api, world, actor) -> dict[str, str]:
    """Answering an invitation needs one to the caller: inviterco asks the caller to join it."""
    inviterco = api.as_(api.user("owner@inviterco.example"))
    invited = inviterco.post(
        "/tenants/inviterco/members", {"email": actor.email, "name": "Invited", "roles": ["technician"]}
    )
    if invited.status_code != 201 or not invited.json.get("invited_until"):
        return {}
    mine = api.client.get("/me", headers={"Authorization": f"Bearer {actor.token}"}).json["invitations"]
    return {SAMPLE_INVITATION: next(i["invitation_id"] for i in mine if i["tenant_id"] == "inviterco")}


def _clocked_on(api, world, actor) -> None:
    """Clocking off needs the caller clocked on to the sample work order (the route's own precondition)."""
    auth = {"Authorization": f"Bearer {actor.token}"}
    work = world.ids[SAMPLE_WORK]
    api.client.post(f"/tenants/acme/work-required/{work}/clock-on", json={}, headers=auth)


def _open_ticket(api, world, actor=None) -> dict[str, str]:
    """Offering needs an open ticket (at the location fixit is restricted to)."""
    created = api.as_(world.owner).post(
        "/tenants/acme/tickets", {"title": "To offer", "location_id": world.ids[SAMPLE_LOCATION]}
    )
    return {SAMPLE_TICKET: created.json["ticket_id"]}


def _offer_waiting_for(api, world, actor) -> dict[str, str]:
    """Countering needs an offer whose turn is the caller's: fixit's crew answers the owner's offer; the
    owner's staff answer fixit's counter."""
    ticket = _open_ticket(api, world)[SAMPLE_TICKET]
    terms = {"hourly_rate_cents": 6000, "currency": "EUR"}
    made = api.as_(world.owner).post(
        f"/tenants/acme/tickets/{ticket}/offers", {"servicer_id": "fixit", "terms": terms}
    )
    offer = made.json["offer_id"]
    if not actor.email.endswith("@fixit.example"):
        fixit = api.as_(api.user("owner@fixit.example"))
        fixit.post(f"/tenants/acme/tickets/{ticket}/offers/{offer}/counter", {"terms": terms})
    return {SAMPLE_TICKET: ticket, SAMPLE_OFFER: offer}


def _nte_ticket(api, world, actor=None) -> dict[str, str]:
    """Raising a not-to-exceed needs work fixit is doing under terms that name one."""
    acme, fixit = api.as_(world.owner), api.as_(api.user("owner@fixit.example"))
    ticket = acme.post(
        "/tenants/acme/tickets", {"title": "Bounded", "location_id": world.ids[SAMPLE_LOCATION]}
    )
    terms = {"hourly_rate_cents": 6000, "currency": "EUR", "not_to_exceed_cents": 10000}
    ticket_id = ticket.json["ticket_id"]
    outsourced = acme.post(
        f"/tenants/acme/tickets/{ticket_id}/outsource", {"servicer_id": "fixit", "terms": terms}
    )
    assert outsourced.status_code == 200, outsourced.json
    for step in ("accept", "start"):
        assert fixit.post(f"/tenants/acme/tickets/{ticket_id}/{step}", {}).status_code == 200
    return {SAMPLE_TICKET: ticket_id}


def _nte_requested(api, world, actor=None) -> dict[str, str]:
    """Answering needs a request waiting: fixit asks on such work."""
    ids = _nte_ticket(api, world)
    fixit = api.as_(api.user("owner@fixit.example"))
    asked = fixit.post(
        f"/tenants/acme/tickets/{ids[SAMPLE_TICKET]}/nte-requests",
        {"requested_cents": 20000, "reason": "More"},
    )
    assert asked.status_code == 201, asked.json
    return {**ids, SAMPLE_NTE_REQUEST: asked.json["request_id"]}


def _invoice_for(api, world, actor) -> dict[str, str]:
    """Acting on a partner invoice needs one in the caller's turn: a draft for fixit's crew to send, one sent
    (adjusted, so it waits) for acme's approvers."""
    partner = actor.email.endswith("@fixit.example")
    invoice = invoiced(api, api.as_(world.owner), world.ids[SAMPLE_LOCATION], sent=not partner)
    return {SAMPLE_INVOICE: invoice, **({"approve": "send"} if partner else {})}


def _ready_work_order(api, world, actor=None) -> dict[str, str]:
    """Invoicing needs a work order waiting in ready_to_submit."""
    technician = SimpleNamespace(auth=api.as_(world.owner).caller.auth)
    order = ready_work_order(api, api.as_(world.owner), "acme", world.ids[SAMPLE_UNIT], technician)
    return {SAMPLE_WORK_ORDER: order}


def _shop_invoice_for(api, world, actor) -> dict[str, str]:
    """A customer authorizes its submitted invoice; the shop finalizes a draft of a customer that does not
    authorize."""
    admin = api.as_(world.owner)
    technician = SimpleNamespace(auth=admin.caller.auth)
    if getattr(actor, "email", "").endswith("@client.example"):
        invoice = shop_invoice(api, admin, "acme", world.ids[SAMPLE_UNIT], technician, "submit")
        return {SAMPLE_SHOP_INVOICE: invoice, "finalize": "authorize"}
    invoice = shop_invoice(api, admin, "acme", world.ids["other-unit"], technician, None)
    return {SAMPLE_SHOP_INVOICE: invoice}


def _routed_ticket(api, world, actor=None) -> dict[str, str]:
    """Escalating needs a ticket routed in a team with a layer after the one holding it."""
    created = api.as_(world.owner).post(
        "/tenants/acme/tickets", {"title": "To escalate", "team_id": world.ids[SAMPLE_TEAM]}
    )
    assert created.status_code == 201, created.json
    return {SAMPLE_TICKET: created.json["ticket_id"]}


def _banner_uploaded(api, world, actor, *, default: bool = False) -> dict[str, str]:
    """Confirming a banner needs one uploaded (put straight into the bucket, as its presigned POST would)."""
    caller = SimpleNamespace(auth={"Authorization": f"Bearer {actor.token}"})
    org = world.ids[SAMPLE_PARTNER_ORG]
    data = valid_banner()
    holder = "portal" if default else f"partner-organizations/{org}"
    asked = api.as_(caller).post(f"/tenants/acme/{holder}/banner/upload", {"size_bytes": len(data)})
    if asked.status_code == 200:
        put_upload(asked.json["fields"]["key"], data, "BannerBucket")
    return {}


def _uploaded(api, world, actor) -> dict[str, str]:
    """Confirming needs the caller's own upload (a caller who may not announce one is refused either way)."""
    caller = SimpleNamespace(auth={"Authorization": f"Bearer {actor.token}"})
    try:
        return {SAMPLE_ATTACHMENT: uploaded(api, caller, "acme", world.ids[SAMPLE_TICKET])}
    except AssertionError:
        return {}


def _own_member(api, world, actor) -> dict[str, str]:
    """A partner assigns the work it holds to its own members: fixit's crew assigns the ticket outsourced to
    fixit (the sample's is a work order, acme's own) to itself."""
    if not actor.email.endswith("@fixit.example"):
        return {}
    return {SAMPLE_WORK_ORDER: world.ids[SAMPLE_TICKET], SAMPLE_USER: actor.user_id}


# Routes whose "own" cell needs the caller in a state first: what sets it up, through the API.
PRECONDITIONS = {
    ("POST", "/tenants/{tenant_id}/tickets/{ticket_id}/assign"): _own_member,
    ("POST", "/tenants/{tenant_id}/tickets/{ticket_id}/offers"): _open_ticket,
    ("POST", "/tenants/{tenant_id}/tickets/{ticket_id}/escalate"): _routed_ticket,
    ("POST", "/tenants/{tenant_id}/partner-invoices/{invoice_id}/{action}"): _invoice_for,
    ("POST", "/tenants/{tenant_id}/invoices"): _ready_work_order,
    ("POST", "/tenants/{tenant_id}/invoices/{invoice_id}/{action}"): _shop_invoice_for,
    ("POST", "/tenants/{tenant_id}/tickets/{ticket_id}/nte-requests"): _nte_ticket,
    ("POST", "/tenants/{tenant_id}/tickets/{ticket_id}/nte-requests/{request_id}/{action}"): _nte_requested,
    ("POST", "/tenants/{tenant_id}/tickets/{ticket_id}/offers/{offer_id}/{action}"): _offer_waiting_for,
    ("POST", "/tenants/{tenant_id}/tickets/{ticket_id}/attachments/{attachment_id}"): _uploaded,
    ("POST", "/tenants/{tenant_id}/partner-organizations/{partner_org_id}/banner/confirm"): _banner_uploaded,
    ("POST", "/tenants/{tenant_id}/portal/banner/confirm"): lambda api, world, actor: _banner_uploaded(
        api, world, actor, default=True
    ),
    ("POST", "/tenants/{tenant_id}/tickets/{ticket_id}/clock-off"): _clocked_on,
    ("POST", "/me/invitations/{invitation_id}/{action}"): _invited_elsewhere,
}


def _fresh_body(route, role, event):
    """Bodies that create something unique get a unique value per role (each role acts in its own world)."""
    if route.path == "/tenants" and route.method == "POST":
        body = json.loads(event["body"])
        body["tenant_id"] = f"new-{role.replace('_', '-')}"
        event["body"] = json.dumps(body)
    return event


def _cell(api, aws_env, route, role, actor, relation, world, leaks):
    """Runs one cell; returns whether it was refused."""
    sample = all_samples()[(route.method, route.path)]
    token = actor.token if actor else None
    has_tenant = "{tenant_id}" in route.path
    if relation == "own":
        event = prepared(sample, token, {"tenant_id": "acme"} if has_tenant else {}, world.ids)
    elif relation.startswith("tenant:"):
        event = prepared(sample, token, {"tenant_id": relation.split(":")[1]}, world.ids)
    elif relation == "foreign-object":
        event = prepared(sample, token, {"tenant_id": "acme"}, world.foreign_ids)
        if "{servicer_id}" in route.path:
            event = prepared(event, token, {"servicer_id": "acme-corp"})  # an instance acme never linked
    elif relation == "other-customer":  # the same tenant, a customer the portal account was not given
        other = {
            **world.ids,
            SAMPLE_CUSTOMER: world.ids[SAMPLE_OTHER_CUSTOMER],
            SAMPLE_UNIT: world.ids["other-unit"],
            SAMPLE_ESTIMATE: world.ids["other-estimate"],
            SAMPLE_SHOP_INVOICE: world.ids["other-invoice"],
        }
        event = prepared(sample, token, {"tenant_id": "acme"}, other)
    elif (
        relation == "other-partner"
    ):  # acme's ticket outsourced to another partner, addressed by fixit's crew
        event = prepared(
            sample, token, {"tenant_id": "acme"}, {SAMPLE_TICKET: world.ids["other-partner-ticket"]}
        )
        event = prepared(event, token, {}, world.ids)
    else:  # missing
        missing = dict.fromkeys(world.ids, MISSING_ID)
        event = prepared(sample, token, {"tenant_id": "acme"}, missing)
        if "{servicer_id}" in route.path:
            event = prepared(event, token, {"servicer_id": "no-such-instance"})
    event = _fresh_body(route, role, event)
    params = event.get("pathParameters") or {}
    allowed = actor is not None and _allowed(role, route, actor, params)
    signed = POLICY[ROUTE_ACTIONS[(route.method, route.path)]].scope is Scope.SIGNED
    if actor is None or signed:  # a signed route takes a partner system's signature, never a user's token
        expected = {401}
    elif (role == SERVICER and _hidden_from_servicers(route, params)) or (role in INVITED and has_tenant):
        expected = {404}  # not refused: not there at all (hidden from servicers; invited, not accepted)
    elif relation == "own":
        expected = set(range(200, 300)) if allowed else {403}
    elif relation.startswith("tenant:"):
        expected = {404}
    else:
        expected = {404} if allowed else {403}
    refused = not expected & set(range(200, 300))
    before = state(aws_env) if refused else None
    result = invoke(route, event)
    STATS["isolation_cells"] += 1
    problem = None
    if result["statusCode"] not in expected:
        problem = f"expected {sorted(expected)[:3]}, got {result['statusCode']}: {result['body'][:200]}"
    elif refused:
        STATS["isolation_denied"] += 1
        if state(aws_env) != before:
            problem = "a refused request changed stored state"
    if problem:
        STATS["isolation_leaks"] += 1
        leaks.append(f"{role:>20} {relation:<16} {route.method} {route.path}: {problem}")
    return result


def _relations(route, role):
    relations = ["own"]
    if "{tenant_id}" in route.path:
        relations += ["tenant:rival", "tenant:acme-corp", "tenant:no-such"]
    if OBJECT_PARAMS.search(route.path):
        relations += ["foreign-object", "missing"]
    if role in CLIENT_ROLES and CUSTOMER_PARAMS.search(route.path) and "portal-accounts" not in route.path:
        relations += ["other-customer"]
    if role == SERVICER and "{ticket_id}" in route.path:
        relations += ["other-partner"]
    return relations


@pytest.mark.parametrize("role", ROLES)
def test_isolation_matrix(api, aws_env, runtime, role):
    world = build_world(api, runtime)
    actor = _actor(api, world, role)
    leaks: list[str] = []
    bodies: dict[tuple, str] = {}
    for route in sorted(ROUTES, key=_run_order):
        # Refusals first, so an allowed write on acme's own object cannot change what they see.
        for relation in [r for r in _relations(route, role) if r != "own"] + ["own"]:
            setup = PRECONDITIONS.get((route.method, route.path))
            cell_world = world
            # A refused cell is refused before any object is read: the world's own objects serve it.
            sample_params = all_samples()[(route.method, route.path)].get("pathParameters") or {}
            if (
                relation == "own"
                and setup is not None
                and actor is not None
                and _allowed(role, route, actor, sample_params)
            ):
                cell_world = replace(world, ids={**world.ids, **(setup(api, world, actor) or {})})
            result = _cell(api, aws_env, route, role, actor, relation, cell_world, leaks)
            bodies[(route.method, route.path, relation)] = result["body"]
        if actor is not None and "{tenant_id}" in route.path:
            foreign = {bodies[(route.method, route.path, f"tenant:{t}")] for t in ("rival", "acme-corp")}
            if foreign != {bodies[(route.method, route.path, "tenant:no-such")]}:
                STATS["isolation_leaks"] += 1
                leaks.append(
                    f"{role}: another tenant's answer differs from a missing tenant's on {route.path}"
                )
    runtime.pump()  # what the allowed cells started runs to its end without failing
    assert leaks == [], "\n".join(leaks)


def test_verbs_a_path_does_not_serve(api, aws_env, gateway):
    world_owner = api.user("owner@acme.example")
    api.tenant(world_owner, "acme")
    client = Client(gateway)
    served: dict[str, set[str]] = {}
    for route in ROUTES:
        served.setdefault(route.path, set()).add(route.method)
    leaks = []
    for path, methods in served.items():
        concrete = path.replace("{tenant_id}", "acme")
        concrete = re.sub(r"\{[a-z_]+\}", MISSING_ID, concrete)
        for verb in {"GET", "POST", "PUT", "PATCH", "DELETE"} - methods:
            before = state(aws_env)
            response = client.open(
                concrete, method=verb, json={}, headers={"Authorization": f"Bearer {world_owner.token}"}
            )
            STATS["isolation_cells"] += 1
            STATS["isolation_denied"] += 1
            if response.status_code != 405 or state(aws_env) != before:
                STATS["isolation_leaks"] += 1
                leaks.append(f"{verb} {path}: {response.status_code}")
    assert leaks == []


def test_the_servicer_sees_only_its_granted_location_among_acmes(api, runtime):
    """The servicer relation, object by object: granted answers, the others look missing."""
    world = build_world(api, runtime)
    crew = _actor(api, world, SERVICER)
    other = api.as_(world.owner).post("/tenants/acme/locations", {"name": "Not granted"}).json["location_id"]

    granted = api.as_(crew).get(f"/tenants/acme/locations/{world.ids[SAMPLE_LOCATION]}")
    hidden = api.as_(crew).get(f"/tenants/acme/locations/{other}")
    missing = api.as_(crew).get(f"/tenants/acme/locations/{MISSING_ID}")

    assert granted.status_code == 200
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_data() == missing.get_data()
