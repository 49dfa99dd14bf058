"""The README's first command: the local stack starts, serves the API over HTTP on 127.0.0.1, and stops."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from devstack import template

pytestmark = pytest.mark.local_stack


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    port, moto_port = free_port(), free_port()
    log_path = Path(tmp_path_factory.mktemp("stack")) / "stack.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["DEVSTACK_STATE_DIR"] = str(log_path.parent / "state")
    env["DEVSTACK_READ_TIMEOUT_SECONDS"] = "2"
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "devstack",
            "serve",
            "--port",
            str(port),
            "--moto-port",
            str(moto_port),
            "--seed",
        ],
        cwd=template.ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    try:  # whatever happens, the server and its children go with the fixture: no orphan left behind
        while time.monotonic() - started < READY_WITHIN:
            try:
                if requests.get(f"{base}/openapi.json", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # refused, reset or slow on a loaded machine: try again
                time.sleep(0.2)
            if process.poll() is not None:
                pytest.fail(log_path.read_text())
        else:
            pytest.fail(f"the local stack did not start within {READY_WITHIN} s:\n" + log_path.read_text())
        yield base, log_path, env, time.monotonic() - started
    finally:
        _stop(process)


READY_WITHIN = 90  # seconds: generous for a loaded 2-core machine; a healthy start takes a few


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def test_a_busy_port_is_said_and_the_stack_exits(tmp_path):
    """`make run` on a port something else holds: it says so and exits, touching no running stack's state."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        busy = holder.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env["DEVSTACK_STATE_DIR"] = str(tmp_path / "state")
        command = [
            sys.executable,
            "-m",
            "devstack",
            "serve",
            "--port",
            str(busy),
            "--moto-port",
            str(free_port()),
        ]
        done = subprocess.run(command, cwd=template.ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert f"port {busy} is in use" in done.stderr
    assert not (tmp_path / "state" / "state.json").exists()


def dev_token(env, email: str) -> str:
    """What `make token EMAIL=…` prints, for the running stack."""
    command = [sys.executable, "-m", "devstack", "token", email]
    done = subprocess.run(command, cwd=template.ROOT, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_http_round_trip(stack):
    base, log_path, env, startup_seconds = stack
    output = log_path.read_text()
    assert "Embedded AWS endpoint: http://127.0.0.1:" in output
    owner_token = re.search(r"owner@acme\.example \(system_admin\): (\S+)", output).group(1)
    token = dev_token(env, "newcomer@example.com")
    newcomer = {"Authorization": f"Bearer {token}"}
    owner = {"Authorization": f"Bearer {owner_token}"}

    created = requests.post(f"{base}/tenants", json={"tenant_id": "newco", "name": "NewCo"}, headers=newcomer)
    added = requests.post(
        f"{base}/tenants/newco/members",
        json={"email": "tess@newco.example", "name": "Tess Tech", "roles": ["technician"]},
        headers=newcomer,
    )
    found = requests.get(f"{base}/tenants/newco/members", params={"name_prefix": "tess"}, headers=newcomer)
    me = requests.get(f"{base}/me", headers=newcomer)
    seeded = requests.get(f"{base}/tenants/acme/members", params={"role": "dispatcher"}, headers=owner)
    isolated = requests.get(f"{base}/tenants/acme", headers=newcomer)

    assert created.status_code == 201, created.text
    assert added.status_code == 201, added.text
    assert [m["name"] for m in found.json()["items"]] == ["Tess Tech"]
    assert [p["tenant_id"] for p in me.json()["places"]] == ["newco"]
    assert [m["email"] for m in seeded.json()["items"]] == ["dispatch@acme.example"]
    assert isolated.status_code == 404
    docs = requests.get(f"{base}/docs", timeout=5)
    assert docs.status_code == 200 and "unpkg" not in docs.text  # Swagger UI from the package, offline
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js"):
        assert requests.get(f"{base}/docs/{asset}", timeout=5).status_code == 200
    print(f"local stack ready in {startup_seconds:.1f} s")


def test_a_partner_system_posts_a_signed_update_over_http(stack):
    """Outsourced work reported back by a partner's system, over the real HTTP server: the signature made
    with the standardwebhooks library verifies, the update lands, and the same message again is refused."""
    import json
    from datetime import UTC, datetime

    from standardwebhooks.webhooks import Webhook

    base, log_path, env, _ = stack
    owner_token = re.search(r"owner@acme\.example \(system_admin\): (\S+)", log_path.read_text()).group(1)
    owner = {"Authorization": f"Bearer {owner_token}"}
    partner_token = dev_token(env, "boss@pumpco.example")
    requests.post(
        f"{base}/tenants",
        json={"tenant_id": "pumpco", "name": "PumpCo"},
        headers={"Authorization": f"Bearer {partner_token}"},
    )
    assert requests.post(
        f"{base}/tenants/acme/servicer-links", json={"servicer_id": "pumpco"}, headers=owner
    ).ok
    assert requests.post(  # consent: pumpco's system admin accepts acme's invitation
        f"{base}/tenants/pumpco/servicer-invitations/acme/accept",
        json={},
        headers={"Authorization": f"Bearer {partner_token}"},
    ).ok
    ticket = requests.post(f"{base}/tenants/acme/tickets", json={"title": "Pump"}, headers=owner).json()
    terms = {"hourly_rate_cents": 6000, "currency": "EUR"}
    requests.post(
        f"{base}/tenants/acme/tickets/{ticket['ticket_id']}/outsource",
        json={"servicer_id": "pumpco", "terms": terms},
        headers=owner,
    )
    secret = requests.post(
        f"{base}/tenants/acme/servicer-links/pumpco/inbound-secret", json={}, headers=owner
    ).json()["secret"]
    body = json.dumps({"partner_id": "pumpco", "ticket_id": ticket["ticket_id"], "status": "accepted"})
    now = datetime.now(UTC)
    headers = {
        "Content-Type": "application/json",
        "webhook-id": "msg_local_1",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign("msg_local_1", now, body),
    }

    applied = requests.post(f"{base}/tenants/acme/inbound/partner-updates", data=body, headers=headers)
    replayed = requests.post(f"{base}/tenants/acme/inbound/partner-updates", data=body, headers=headers)

    assert applied.status_code == 200, applied.text
    assert applied.json()["applied"] == ["accept"]
    assert replayed.status_code == 409
    read = requests.get(f"{base}/tenants/acme/tickets/{ticket['ticket_id']}", headers=owner).json()
    assert read["status"] == "accepted"


def test_a_body_shorter_than_its_content_length_does_not_hold_a_thread(stack):
    base, _, _, _ = stack
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as stalled:
        stalled.sendall(
            b"POST /tenants HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"a": 1'
        )
        # Meanwhile the stack serves others; the stalled connection is closed after the read timeout.
        assert requests.get(f"{base}/openapi.json", timeout=5).status_code == 200
        started = time.monotonic()
        while stalled.recv(4096):
            pass
        assert time.monotonic() - started < 8
