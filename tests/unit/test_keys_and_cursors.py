"""Keys are tenant-led with a closing delimiter; cursors are bound to tenant and query."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from handoff import keys
from handoff.errors import BadRequest
from handoff.ids import ULID_PATTERN, is_tenant_id, new_id, ulid_at, ulid_floor
from handoff.store.pages import decode_cursor, encode_cursor


@pytest.fixture(autouse=True)
def _settings(monkeypatch):
    from handoff.config import clear

    monkeypatch.setenv("TABLE_NAME", "table")
    monkeypatch.setenv("JWKS_URL", "file:///dev/null")
    monkeypatch.setenv("TOKEN_ISSUER", "issuer")
    monkeypatch.setenv("TOKEN_AUDIENCE", "aud")
    # The signing key comes from Secrets Manager in a function; a unit test has no AWS.
    monkeypatch.setattr("handoff.store.pages.cursor_secret", lambda: "unit-test-cursor-secret")
    clear()
    yield
    clear()


@pytest.mark.parametrize(("short", "long"), [("acme", "acme-corp"), ("a", "ab")])
def test_a_tenant_prefix_never_matches_a_longer_tenant(short, long):
    for build in (keys.tenant, lambda t: keys.member(t, "u"), lambda t: keys.audit(t, "x")):
        assert not build(long)[0].startswith(keys.tenant_prefix(short))
    assert not keys.members_partition(long).startswith(keys.tenant_prefix(short))


def test_global_identities_live_under_a_pseudo_tenant_no_tenant_can_spell():
    assert not is_tenant_id(keys.GLOBAL)
    assert keys.user("u")[0].startswith("T#_#")
    assert keys.email("A@B.example") == keys.email("a@b.example")


@pytest.mark.parametrize("value", ["acme", "a", "acme-corp", "a1-b2"])
def test_valid_tenant_ids(value):
    assert is_tenant_id(value)


@pytest.mark.parametrize("value", ["", "-a", "a-", "Acme", "a_b", "a#b", "a" * 41])
def test_invalid_tenant_ids(value):
    assert not is_tenant_id(value)


def test_ids_are_ulids_in_creation_order():
    first, second = new_id(), new_id()
    assert re.fullmatch(ULID_PATTERN, first) and first <= second
    made = [new_id() for _ in range(1000)]  # many in one millisecond: still in the order they were made
    assert made == sorted(made) and len(set(made)) == 1000


def test_a_ulid_is_its_milliseconds_then_its_randomness_in_crockford_base32():
    assert ulid_at(0, 0) == "0" * 26
    assert ulid_at((1 << 48) - 1, (1 << 80) - 1) == "7" + "Z" * 25  # the largest ULID the spec allows
    assert ulid_at(1, 0) == "0000000001" + "0" * 16
    assert ulid_at(0, 31) == "0" * 25 + "Z"
    with pytest.raises(ValueError):
        ulid_at(1 << 48, 0)


def test_the_floor_of_a_moment_sorts_before_every_id_made_from_then():
    moment = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    milliseconds = int(moment.timestamp() * 1000)
    assert ulid_floor(moment) == ulid_at(milliseconds, 0)
    assert ulid_floor(moment) <= ulid_at(milliseconds, 12345) < ulid_floor(moment + timedelta(milliseconds=1))
    assert ulid_floor(datetime(1960, 1, 1, tzinfo=UTC)) == "0" * 26


def test_a_cursor_round_trips_within_its_scope():
    key = {"PK": {"S": "T#acme#MEMBERS"}, "SK": {"S": "MEMBER#1"}}
    cursor = encode_cursor(key, "members|acme")
    assert decode_cursor(cursor, "members|acme") == key
    assert encode_cursor(None, "members|acme") is None


@pytest.mark.parametrize("cursor", ["garbage", "e30", "eyJrIjogMX0"])
def test_garbage_cursors_are_400(cursor):
    with pytest.raises(BadRequest):
        decode_cursor(cursor, "members|acme")


def test_a_cursor_from_another_scope_is_400():
    cursor = encode_cursor({"PK": {"S": "x"}}, "members|acme")
    with pytest.raises(BadRequest):
        decode_cursor(cursor, "members|acme-corp")
