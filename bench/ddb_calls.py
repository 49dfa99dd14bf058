"""DynamoDB calls one request makes, per route, counted with a botocore hook on pynamodb's client.

Each route is called once with its sample event (events/<function>/) by the tenant's system admin, on moto.
"""

from __future__ import annotations

import importlib
import json
import os
from collections import Counter
from typing import Any

from moto import mock_aws

from devstack import aws, template
from devstack.gateway import LambdaContext
from devstack.issuer import DevIssuer
from devstack.seed import ensure_user
from handoff.store.table import client

SAMPLE_USER = "01JB8Z6W3X4Y5Z6A7B8C9D0E1F"
SAMPLE_DUPLICATE = "01JB8Z6W3X4Y5Z6A7B8C9D0E2G"


def _prepared(event: dict[str, Any], token: str, ids: dict[str, str]) -> dict[str, Any]:
    text = json.dumps(event).replace("REPLACE-WITH-make-token-OUTPUT", token)
    for placeholder, real in ids.items():
        text = text.replace(placeholder, real)
    prepared: dict[str, Any] = json.loads(text)
    return prepared


def main() -> None:
    import tempfile
    from pathlib import Path

    os.environ.update(aws.LOCAL_CREDENTIALS)
    os.environ["POWERTOOLS_LOG_LEVEL"] = "ERROR"
    issuer = DevIssuer.in_directory(Path(tempfile.mkdtemp()))
    with mock_aws():
        provisioned = aws.provision({**issuer.environment(), **aws.LOCAL_SETTINGS})
        aws.apply_environment(provisioned.environment)
        calls: Counter[str] = Counter()

        def count(event_name: str, **_: Any) -> None:
            calls[event_name.rsplit(".", 1)[-1]] += 1

        client().meta.events.register("before-call.dynamodb.*", count)
        samples = {}
        for path in sorted((template.ROOT / "events").glob("*/*.json")):
            event = json.loads(path.read_text())
            samples[(event["httpMethod"], event["resource"])] = event
        owner_email = "bench-owner@example.com"
        owner_id = ensure_user(owner_email)
        token = issuer.token(owner_id, owner_email)
        ids = {SAMPLE_USER: owner_id, SAMPLE_DUPLICATE: owner_id}
        order = sorted(template.routes(), key=lambda r: (r.path != "/tenants", r.method == "POST", r.path))
        max_read, scans = 0, 0
        for route in order:
            handler = getattr(importlib.import_module(route.module), route.handler)
            if route.path.endswith("/merge") or route.path.endswith("/{user_id}") and route.method == "PATCH":
                member = ensure_user(f"bench-{route.method.lower()}@example.com")
                ids = {SAMPLE_USER: member, SAMPLE_DUPLICATE: ensure_user("bench-dup@example.com")}
                _add(handler_for("POST", "/tenants/{tenant_id}/members"), samples, token, member, issuer)
            calls.clear()
            result = handler(_prepared(samples[(route.method, route.path)], token, ids), LambdaContext())
            total = sum(calls.values())
            scans += calls["Scan"]
            if route.method == "GET":
                max_read = max(max_read, total)
            detail = ", ".join(f"{op} {n}" for op, n in sorted(calls.items()))
            print(f"{route.method:<6} {route.path:<48} {result['statusCode']}  {total} calls  ({detail})")
        print(f"max calls per read route: {max_read}, scans: {scans}")


def handler_for(method: str, path: str) -> Any:
    for route in template.routes():
        if (route.method, route.path) == (method, path):
            return getattr(importlib.import_module(route.module), route.handler)
    raise KeyError(path)


def _add(handler: Any, samples: dict[Any, Any], token: str, user_id: str, issuer: DevIssuer) -> None:
    """Makes the benchmark's second and third people members of the tenant (not counted)."""
    from handoff.accounts import repository

    user = repository.get_user(user_id)
    assert user is not None
    for email in (user.email, "bench-dup@example.com"):
        event = _prepared(samples[("POST", "/tenants/{tenant_id}/members")], token, {})
        event["body"] = json.dumps({"email": email, "name": email.split("@")[0], "roles": ["technician"]})
        handler(event, LambdaContext())


if __name__ == "__main__":
    main()
