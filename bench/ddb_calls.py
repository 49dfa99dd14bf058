"""DynamoDB calls one request makes, per route, counted with a botocore hook on pynamodb's client.

Each route is called once with its sample event (events/<function>/), as the tenant's system admin, on moto.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from moto import mock_aws

from devstack import aws, template
from devstack.issuer import DevIssuer
from devstack.samples import SAMPLE_DUPLICATE, SAMPLE_USER, all_samples, invoke, prepared
from devstack.seed import ensure_user
from handoff.accounts import service
from handoff.accounts.schemas import MemberCreate
from handoff.auth.access import Access
from handoff.auth.policy import Action, Role
from handoff.auth.tokens import Principal
from handoff.store.table import client


def _run_order(route: template.Route) -> tuple[bool, bool, str]:
    # Create the tenant first and retire the duplicate last; reads and edits in between.
    return (route.path != "/tenants", route.path.endswith("/merge"), f"{route.path} {route.method}")


def main() -> None:
    os.environ.update(aws.LOCAL_CREDENTIALS)
    issuer = DevIssuer.in_directory(Path(tempfile.mkdtemp()))
    with mock_aws():
        aws.apply_environment(aws.provision({**issuer.environment(), **aws.LOCAL_SETTINGS}).environment)
        os.environ["POWERTOOLS_LOG_LEVEL"] = "ERROR"
        calls: Counter[str] = Counter()

        def count(event_name: str, **_: Any) -> None:
            calls[event_name.rsplit(".", 1)[-1]] += 1

        client().meta.events.register("before-call.dynamodb.*", count)
        owner = Principal(ensure_user("bench-owner@example.com"), "bench-owner@example.com")
        token = issuer.token(owner.user_id, owner.email)
        samples = all_samples()
        ids: dict[str, str] = {}
        max_read = scans = 0
        for route in sorted(template.routes(), key=_run_order):
            tenant_id = "acme"
            if not ids and route.path != "/tenants":
                admin = Access(owner, Action.MEMBER_CREATE, tenant_id, frozenset({Role.SYSTEM_ADMIN}))
                for placeholder, email in ((SAMPLE_USER, "tech@x.io"), (SAMPLE_DUPLICATE, "dup@x.io")):
                    body = MemberCreate(email=email, name=email, roles=[Role.TECHNICIAN])
                    ids[placeholder] = service.add_member(admin, body).user_id
            event = prepared(samples[(route.method, route.path)], token, {"tenant_id": tenant_id}, ids)
            if event.get("pathParameters") and "user_id" in event["pathParameters"]:
                event = prepared(event, token, {"user_id": ids[SAMPLE_USER]}, ids)
            calls.clear()
            result = invoke(route, event)
            total = sum(calls.values())
            scans += calls["Scan"]
            if route.method == "GET":
                max_read = max(max_read, total)
            detail = ", ".join(f"{op} {n}" for op, n in sorted(calls.items()))
            print(f"{route.method:<6} {route.path:<48} {result['statusCode']}  {total} calls  ({detail})")
        print(f"max calls per read route: {max_read}, scans: {scans}")


if __name__ == "__main__":
    main()
