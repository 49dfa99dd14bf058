"""Shared fixtures: moto provisioned from template.yaml, the dev issuer, and an HTTP client that goes through
the local API Gateway (real REST proxy events) into the functions in-process."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from werkzeug.test import Client, TestResponse

from devstack import aws
from devstack.gateway import Gateway
from devstack.issuer import DevIssuer
from devstack.openapi import document
from devstack.runtime import Runtime

os.environ.update(aws.LOCAL_CREDENTIALS)
os.environ.pop("AWS_ENDPOINT_URL", None)


@pytest.fixture(scope="session")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> DevIssuer:
    return DevIssuer.in_directory(Path(tmp_path_factory.mktemp("issuer")))


# Webhook retries back to back in tests (production waits 5 s, 5 min, 30 min, ...).
TEST_SETTINGS = {
    "WEBHOOK_RETRY_SCHEDULE": "0,0,0,0,0,0,0",
    "BOOKING_SUGGESTION_TTL_SECONDS": "1",
    "ESTIMATE_DECISION_SECONDS": "4",
    "ESTIMATE_REMINDER_SECONDS": "1",
    "ESTIMATE_DISPUTE_SECONDS": "1",
    "INVITATION_DAY_SECONDS": "1",
    "TICKET_APPROVAL_REMINDER_SECONDS": "1",
    "TICKET_APPROVAL_DEADLINE_SECONDS": "2",
    "OFFER_HOUR_SECONDS": "1",
    "ESCALATION_MINUTE_SECONDS": "1",
}


@pytest.fixture
def aws_env(issuer: DevIssuer) -> Iterator[aws.Provisioned]:
    """A fresh embedded AWS for each test: every resource of template.yaml, empty."""
    with mock_aws(config=aws.MOTO_CONFIG):
        provisioned = aws.provision({**issuer.environment(), **aws.LOCAL_SETTINGS, **TEST_SETTINGS})
        aws.apply_environment(provisioned.environment)
        os.environ["POWERTOOLS_LOG_LEVEL"] = "WARNING"
        yield provisioned
        _stop_running_executions()


def _stop_running_executions() -> None:
    """moto runs executions in threads that outlive the test: a timer left running would put its deadline
    event on the next test's bus."""
    sfn = boto3.client("stepfunctions")
    for machine in sfn.list_state_machines()["stateMachines"]:
        for execution in sfn.list_executions(
            stateMachineArn=machine["stateMachineArn"], statusFilter="RUNNING"
        )["executions"]:
            sfn.stop_execution(executionArn=execution["executionArn"], cause="the test ended")


@pytest.fixture
def runtime(aws_env: aws.Provisioned) -> Runtime:
    """Streams, bus rules and queues of the template, pumped on demand: `runtime.pump()`."""
    return Runtime(aws_env)


@pytest.fixture(scope="session")
def gateway(issuer: DevIssuer) -> Gateway:
    return Gateway(document, str(issuer.jwks_path))


@dataclass
class User:
    user_id: str
    email: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class Api:
    """Calls the API as a given user: `api.as_(alice).get("/me")`."""

    def __init__(self, gateway: Gateway, issuer: DevIssuer):
        self.client = Client(gateway)
        self.issuer = issuer
        self.caller: User | None = None

    def user(self, email: str, name: str | None = None) -> User:
        from devstack.seed import ensure_user

        user_id = ensure_user(email, name)
        return User(user_id, email, self.issuer.token(user_id, email))

    def as_(self, user: User | None) -> Api:
        clone = Api.__new__(Api)
        clone.client, clone.issuer, clone.caller = self.client, self.issuer, user
        return clone

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> TestResponse:
        all_headers = dict(self.caller.auth if self.caller else {})
        all_headers.update(headers or {})
        return self.client.open(path, method=method, json=json, headers=all_headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        return self.request("POST", path, json=json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        return self.request("PATCH", path, json=json, **kwargs)

    def tenant(self, owner: User, tenant_id: str, name: str | None = None) -> dict[str, Any]:
        response = self.as_(owner).post(
            "/tenants", {"tenant_id": tenant_id, "name": name or tenant_id.title()}
        )
        assert response.status_code == 201, response.json
        return response.json  # type: ignore[no-any-return]

    def member(self, admin: User, tenant_id: str, email: str, roles: list[str], **fields: Any) -> User:
        body = {
            "email": email,
            "name": fields.pop("name", email.split("@")[0].title()),
            "roles": roles,
            **fields,
        }
        response = self.as_(admin).post(f"/tenants/{tenant_id}/members", body)
        assert response.status_code == 201, response.json
        user_id = response.json["user_id"]
        user = User(user_id, email, self.issuer.token(user_id, email))
        if response.json.get("invited_until"):  # an existing login: its user accepts (the helper's consent)
            self.accept_invitation(user, tenant_id)
        return user

    def accept_invitation(self, user: User, tenant_id: str) -> None:
        invitations = self.as_(user).get("/me").json["invitations"]
        [invitation] = [i for i in invitations if i["tenant_id"] == tenant_id]
        accepted = self.as_(user).post(f"/me/invitations/{invitation['invitation_id']}/accept", {})
        assert accepted.status_code == 200, accepted.json

    def link(self, owner: User, owner_id: str, servicer_id: str, **flags: Any) -> dict[str, Any]:
        """A servicer link, invited and accepted by the servicer's system admin (owner@<servicer>.example)."""
        invited = self.as_(owner).post(
            f"/tenants/{owner_id}/servicer-links", {"servicer_id": servicer_id, **flags}
        )
        assert invited.status_code == 201, invited.json
        servicer = self.user(f"owner@{servicer_id}.example")
        answered = self.as_(servicer).post(
            f"/tenants/{servicer_id}/servicer-invitations/{owner_id}/accept", {}
        )
        assert answered.status_code == 200, answered.json
        return self.as_(owner).get(f"/tenants/{owner_id}/servicer-links/{servicer_id}").json  # type: ignore[no-any-return]


@pytest.fixture
def api(aws_env: aws.Provisioned, gateway: Gateway, issuer: DevIssuer) -> Api:
    return Api(gateway, issuer)


@pytest.fixture
def calls(api):
    """DynamoDB calls by operation, counted on pynamodb's client (what `make bench-ddb` prints)."""
    from handoff.store.table import client

    counted: Counter[str] = Counter()

    def count(event_name, **_):
        counted[event_name.rsplit(".", 1)[-1]] += 1

    client().meta.events.register("before-call.dynamodb.*", count, unique_id="test-call-count")
    yield counted
    client().meta.events.unregister("before-call.dynamodb.*", unique_id="test-call-count")


@pytest.fixture
def bus_observer(aws_env, runtime):
    """A queue subscribed to everything on the bus, to see what was really published."""
    sqs = boto3.client("sqs")
    events = boto3.client("events")
    url = sqs.create_queue(QueueName="observer")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    bus = aws_env.refs["EventBus"]
    events.put_rule(Name="observer", EventBusName=bus, EventPattern='{"source": [{"prefix": "handoff."}]}')
    events.put_targets(Rule="observer", EventBusName=bus, Targets=[{"Id": "observer", "Arn": arn}])

    def published():
        runtime.pump()
        seen = []
        while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            for message in messages:
                seen.append(json.loads(message["Body"]))
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return seen

    return published


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The security harness's figures (`make security` ends with them)."""
    from security.harness import STATS

    lines = []
    if STATS["isolation_cells"]:
        cells, denied, leaks = STATS["isolation_cells"], STATS["isolation_denied"], STATS["isolation_leaks"]
        lines.append(f"isolation: {cells} cells, {denied} denied, {leaks} leaks")
    if STATS["fuzz_cases"]:
        lines.append(f"fuzz: {STATS['fuzz_cases']} cases, {STATS['fuzz_server_errors']} server errors")
    for line in lines:
        terminalreporter.write_line(line)
    summary = os.environ.get("SECURITY_SUMMARY_FILE")
    if summary and lines:
        Path(summary).write_text("\n".join(lines) + "\n")
