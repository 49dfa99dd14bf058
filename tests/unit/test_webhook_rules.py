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
    assert domain.check_endpoint_url("http://127.0.0.1:8080/hook", allow_loopback=True)
    with pytest.raises(Invalid):
        domain.check_endpoint_url("http://10.0.0.1/hook", allow_loopback=True)


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
