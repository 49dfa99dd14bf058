"""Mass assignment: every server-owned field sent to any write route is refused (422) and nothing is stored.

The fields come from the OpenAPI document: what a route returns (ids, status, versions, timestamps, keys...)
but does not accept, plus fields no client may ever set.
"""

import json

from security.harness import is_signed, state
from security.openapi_shapes import server_owned_fields

from devstack import template
from devstack.samples import all_samples, invoke, prepared

WRITE_ROUTES = [r for r in template.routes() if r.method in ("POST", "PUT", "PATCH")]


def test_server_owned_fields_are_refused_on_every_write_route(api, aws_env, world):
    refused, problems = 0, []
    for route in WRITE_ROUTES:
        sample = all_samples()[(route.method, route.path)]
        if not sample.get("body") or is_signed(route):
            continue  # no body, nothing to smuggle; signed bodies: tests/integration/test_partner_updates.py
        for field in server_owned_fields(route.method, route.path):
            event = prepared(sample, world.owner.token, {"tenant_id": "acme"}, world.ids)
            body = json.loads(event["body"])
            body[field] = "01JZZZZZZZZZZZZZZZZZZZZZZZ" if field.endswith("_id") else 999
            event["body"] = json.dumps(body)
            before = state(aws_env)
            result = invoke(route, event)
            fields = [d["field"] for d in json.loads(result["body"]).get("error", {}).get("details", [])]
            if result["statusCode"] != 422 or f"body.{field}" not in fields or state(aws_env) != before:
                problems.append(f"{route.method} {route.path} accepted {field}: {result['statusCode']}")
            refused += 1
    assert problems == []
    with_body = [
        r for r in WRITE_ROUTES if all_samples()[(r.method, r.path)].get("body") and not is_signed(r)
    ]
    assert refused >= 3 * len(with_body)
