"""Every route declares its action, and another tenant's ids look exactly like ids that do not exist."""

import json

import boto3
import pytest

from devstack import template
from devstack.samples import (
    SAMPLE_DELIVERY,
    SAMPLE_DUPLICATE,
    SAMPLE_LOCATION,
    SAMPLE_SUBSCRIPTION,
    SAMPLE_USER,
    all_samples,
    invoke,
    prepared,
)
from handoff.api.app import ROUTE_ACTIONS

ROUTES = template.routes()
TENANT_ROUTES = [r for r in ROUTES if "{tenant_id}" in r.path]


def table_snapshot(aws_env):
    table = boto3.resource("dynamodb").Table(aws_env.physical["Table"])
    return sorted(json.dumps(item, sort_keys=True, default=str) for item in table.scan()["Items"])


def test_every_template_route_declares_an_action(gateway):
    served = {(r.method, r.path) for r in ROUTES}
    assert served, "the template routes nothing"
    assert served - set(ROUTE_ACTIONS) == set(), "routes without a declared action"
    assert set(ROUTE_ACTIONS) - served == set(), "declared routes the template does not route"


@pytest.fixture
def world(api, runtime):
    """acme (with members, a webhook subscription and a settled delivery) and two rivals, one of which shares
    acme's prefix. The delivery goes to a closed local port, so it fails through its retries at once."""
    acme = api.user("owner@acme.example")
    api.tenant(acme, "acme")
    subscription = (
        api.as_(acme)
        .post(
            "/tenants/acme/webhook-subscriptions",
            {"url": "http://127.0.0.1:9/hook", "event_types": ["MemberAdded"]},
        )
        .json["subscription_id"]
    )
    member = api.member(acme, "acme", "tech@acme.example", ["technician"])
    runtime.pump()
    [delivery] = (
        api.as_(acme).get(f"/tenants/acme/webhook-subscriptions/{subscription}/deliveries").json["items"]
    )
    duplicate = api.member(acme, "acme", "tech.old@acme.example", ["technician"])
    location = api.as_(acme).post("/tenants/acme/locations", {"name": "Depot"}).json["location_id"]
    for servicer in ("fixit", "brightco"):
        api.tenant(api.user(f"owner@{servicer}.example"), servicer)
    api.as_(acme).post("/tenants/acme/servicer-links", {"servicer_id": "fixit", "restricted_locations": True})
    api.as_(acme).request("PUT", f"/tenants/acme/servicer-links/fixit/locations/{location}")
    rivals = []
    for tenant_id in ("rival", "acme-corp"):
        rival = api.user(f"owner@{tenant_id}.example")
        api.tenant(rival, tenant_id)
        rivals.append(rival)
    ids = {
        SAMPLE_USER: member.user_id,
        SAMPLE_DUPLICATE: duplicate.user_id,
        SAMPLE_SUBSCRIPTION: subscription,
        SAMPLE_DELIVERY: delivery["delivery_id"],
        SAMPLE_LOCATION: location,
    }
    return acme, rivals, ids


@pytest.mark.parametrize("route", TENANT_ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_another_tenants_ids_answer_like_missing_ones(api, aws_env, world, route):
    _, rivals, ids = world
    sample = all_samples()[(route.method, route.path)]
    before = table_snapshot(aws_env)
    for rival in rivals:
        foreign = invoke(route, prepared(sample, rival.token, {"tenant_id": "acme"}, ids))
        missing = invoke(route, prepared(sample, rival.token, {"tenant_id": "no-such"}, ids))
        assert foreign["statusCode"] == missing["statusCode"] == 404, foreign["body"]
        assert json.loads(foreign["body"]) == json.loads(missing["body"])
    assert table_snapshot(aws_env) == before


@pytest.mark.parametrize("route", TENANT_ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_the_same_calls_succeed_for_the_tenants_own_admin(api, world, route):
    """The control group: the sample requests above are valid, so their 404s come from isolation alone."""
    acme, _, ids = world
    sample = all_samples()[(route.method, route.path)]
    response = invoke(route, prepared(sample, acme.token, {"tenant_id": "acme"}, ids))
    assert 200 <= response["statusCode"] < 300, response["body"]
