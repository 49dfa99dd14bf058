"""Webhook rules (pure): Standard Webhooks signatures, URL policy, rotation, retries, payload size."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook

from handoff import signing
from handoff.errors import Invalid, Unauthorized
from handoff.webhooks import domain

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_our_signature_is_the_standard_one():
    secret = signing.new_secret()
    body = '{"type":"X"}'
    timestamp = int(NOW.timestamp())
    expected = Webhook(secret).sign("msg_1", datetime.fromtimestamp(timestamp, UTC), body)
    assert signing.signature(secret, "msg_1", timestamp, body) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://partner.example/hook",
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.4/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://metadata.google.internal/",
    ],
)
def test_private_loopback_link_local_and_plain_http_are_refused_in_aws(url):
    with pytest.raises(Invalid):
        domain.check_endpoint_url(url, allow_loopback=False)


def test_a_public_https_url_is_fine():
    assert domain.check_endpoint_url("https://hooks.partner.example/x", allow_loopback=False)


def test_the_dev_setting_allows_loopback_only():
    assert domain.check_endpoint_url("http://127.0.0.1:8080/hook", allow_loopback=True, allowed_ports=())
    with pytest.raises(Invalid):
        domain.check_endpoint_url("http://10.0.0.1/hook", allow_loopback=True, allowed_ports=())


def test_addresses_are_checked_again_when_delivering():
    assert domain.address_allowed("93.184.216.34", allow_loopback=False)
    assert not domain.address_allowed("10.0.0.1", allow_loopback=False)
    assert not domain.address_allowed("127.0.0.1", allow_loopback=False)
    assert domain.address_allowed("127.0.0.1", allow_loopback=True)


def test_rotation_keeps_the_old_secret_for_the_overlap():
    first = [signing.SecretSlot(signing.new_secret(), None)]
    slots, fresh = signing.rotate(first, NOW, timedelta(hours=1))

    assert signing.live_secrets(slots, NOW) == [fresh, first[0].secret]
    assert signing.live_secrets(slots, NOW + timedelta(hours=2)) == [fresh]


def test_the_retry_schedule():
    schedule = [5, 300, 1800]
    assert domain.after_attempt(200, 1, schedule) == ("succeeded", None)
    assert domain.after_attempt(500, 1, schedule) == ("retrying", 5)
    assert domain.after_attempt(None, 3, schedule) == ("retrying", 1800)
    assert domain.after_attempt(500, 4, schedule) == ("failed", None)
    assert domain.after_attempt(410, 1, schedule) == ("gone", None)


def test_a_payload_over_20_kb_keeps_its_identity_and_drops_its_data():
    envelope = {"id": "e1", "type": "Big", "occurred_at": NOW.isoformat(), "data": {"blob": "x" * 30_000}}
    body = domain.payload(envelope)
    assert len(body.encode()) < domain.MAX_PAYLOAD_BYTES
    assert json.loads(body)["data"] == {
        "id": "e1",
        "type": "Big",
        "occurred_at": NOW.isoformat(),
        "data": {},
        "truncated": True,
    }


def test_inbound_verification():
    secret = signing.new_secret()
    timestamp = int(NOW.timestamp())
    good = signing.signature(secret, "m1", timestamp, "{}")
    signing.verify([secret], "m1", str(timestamp), good, "{}", NOW)
    with pytest.raises(Unauthorized):
        signing.verify([secret], "m1", str(timestamp), good, '{"x":1}', NOW)
    with pytest.raises(Unauthorized):
        signing.verify([secret], "m1", str(timestamp), good, "{}", NOW + timedelta(minutes=6))
    with pytest.raises(Unauthorized):
        signing.verify([signing.new_secret()], "m1", str(timestamp), good, "{}", NOW)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://127.1/hook", "plain dotted IPv4"),
        ("https://2130706433/hook", "plain dotted IPv4"),
        ("https://0x7f000001/hook", "plain dotted IPv4"),
        ("https://0177.0.0.1/hook", "plain dotted IPv4"),
        ("https://hooks.partner.example./x", "trailing dot"),
        ("https://api.localhost/x", "private"),
        ("https://[64:ff9b::7f00:1]/x", "private"),  # NAT64 of 127.0.0.1
        ("https://[2002:7f00:1::]/x", "private"),  # 6to4 of 127.0.0.1
        ("https://[::ffff:127.0.0.1]/x", "private"),  # IPv4-mapped
        ("https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/x", "private"),  # Teredo
        ("https://192.0.0.8/x", "private"),  # the IETF protocol assignments block
        ("https://100.64.0.1/x", "private"),  # carrier-grade NAT
        ("https://hooks.partner.example:8080/x", "port 443 or 8443"),
        ("https://hooks.partner.example:22/x", "port 443 or 8443"),
    ],
)
def test_numeric_forms_embeddings_trailing_dots_and_other_ports_are_refused_in_aws(url, reason):
    with pytest.raises(Invalid) as refused:
        domain.check_endpoint_url(url, allow_loopback=False)
    assert reason in refused.value.details[0]["reason"]


def test_the_two_secure_ports_and_plain_names_and_addresses_are_taken_in_aws():
    for url in (
        "https://hooks.partner.example:8443/x",
        "https://93.184.216.34/x",
        "https://cafe.be/x",  # a name of hex-looking letters is a name
    ):
        assert domain.check_endpoint_url(url, allow_loopback=False) == url


def test_locally_loopback_is_allowed_but_never_the_stacks_own_ports():
    assert domain.check_endpoint_url("http://127.0.0.1:8099/h", allow_loopback=True, allowed_ports=())
    with pytest.raises(Invalid) as refused:
        domain.check_endpoint_url(
            "http://127.0.0.1:4566/moto-api/reset",
            allow_loopback=True,
            allowed_ports=(),
            blocked_ports=(4566, 3000),
        )
    assert "own services" in refused.value.details[0]["reason"]


@pytest.mark.parametrize(
    "address", ["64:ff9b::a00:1", "2002:a00:1::", "::ffff:10.0.0.1", "192.0.0.170", "198.18.0.1"]
)
def test_delivery_refuses_addresses_that_embed_or_reserve(address):
    assert not domain.address_allowed(address, allow_loopback=False)


def test_delivery_connects_to_the_address_it_checked_not_a_second_answer(monkeypatch):
    """DNS rebinding: the first answer is a public address, any later one would be loopback. Delivery resolves
    once and connects to the checked address, keeping the name for Host (and, over TLS, SNI)."""
    import socket

    from handoff.webhooks import delivery

    answers = iter(["93.184.216.34", "127.0.0.1", "127.0.0.1"])
    connected: list[tuple[str, int]] = []

    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    def connect(address, timeout=None, *args, **kwargs):
        connected.append(address)
        raise OSError("stop here: the test only needs where it connects")

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(socket, "create_connection", connect)
    attempt = delivery.post(
        "https://rebind.example/hook", "{}", {}, timeout=1, allow_loopback=False, allowed_ports=(443,)
    )
    assert connected == [("93.184.216.34", 443)]
    assert attempt.status_code is None and attempt.error


def test_delivery_sends_host_and_path_of_the_url_to_the_pinned_address():
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from handoff.webhooks import delivery

    seen: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            seen.update(host=self.headers["Host"], path=self.path, body=self.rfile.read(2).decode())
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.handle_request, daemon=True).start()
    port = server.server_address[1]
    attempt = delivery.post(f"http://localhost:{port}/hooks?x=1", "{}", {}, timeout=2, allow_loopback=True)
    server.server_close()
    assert attempt.status_code == 204
    assert seen == {"host": f"localhost:{port}", "path": "/hooks?x=1", "body": "{}"}


@pytest.mark.parametrize("url", ["https://example.com/ä", "https://ä..com/", "https://bücher.example/x"])
def test_a_url_is_ascii(url):
    with pytest.raises(Invalid) as refused:
        domain.check_endpoint_url(url, allow_loopback=False)
    assert "ASCII" in refused.value.details[0]["reason"]


@pytest.mark.parametrize("address", ["::ffff:0:7f00:1", "5f00::1", "3fff::1", "224.0.0.1", "ff02::1"])
def test_translated_reserved_and_multicast_addresses_are_refused(address):
    assert not domain.address_allowed(address, allow_loopback=False)


def test_a_host_no_resolver_takes_is_a_failed_attempt_not_a_crash():
    from handoff.webhooks import delivery

    attempt = delivery.post("https://ä..com/x", "{}", {}, timeout=1, allow_loopback=False)
    assert attempt.status_code is None and attempt.error
