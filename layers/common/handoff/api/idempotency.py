"""Idempotency-Key: a replayed mutating request returns the first response and has no second effect.

The record is scoped by tenant and caller, remembers a fingerprint of the request (method, path, body) and,
once the first attempt succeeded, its response. A key reused with another request is a 422; a key whose first
attempt is still running is a 409. Failed attempts release the key, so a corrected retry can run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from handoff import keys
from handoff.errors import Conflict, Invalid
from handoff.ids import utc_now
from handoff.store import reads
from handoff.store.table import Item, transaction

RETENTION = timedelta(hours=24)
IN_PROGRESS, DONE, RELEASED = "in_progress", "done", "released"
IN_PROGRESS_MESSAGE = "a request with this Idempotency-Key is still in progress"


class IdempotencyItem(Item, discriminator="idempotency"):
    fingerprint = UnicodeAttribute()
    state = UnicodeAttribute()
    response_status = NumberAttribute(null=True)
    response_body = UnicodeAttribute(null=True)
    expires_at = NumberAttribute()


@dataclass(frozen=True)
class Replay:
    status: int
    body: str


def fingerprint(method: str, path: str, body: str | None) -> str:
    return hashlib.sha256(f"{method} {path}\n{body or ''}".encode()).hexdigest()


def begin(tenant_id: str, user_id: str, key: str, request_fingerprint: str) -> Replay | None:
    """The stored response to replay, or None after claiming the key for this (first) attempt."""
    pk, sk = keys.idempotency(tenant_id, user_id, key)
    existing = reads.get(IdempotencyItem, (pk, sk))
    if existing is not None and existing.state != RELEASED:
        if existing.fingerprint != request_fingerprint:
            raise Invalid(
                "idempotency-key",
                "this key was used with a different request; use a new key",
                location="header",
            )
        if existing.state == IN_PROGRESS:
            raise Conflict(
                "a request with this Idempotency-Key is still in progress", code="idempotency_in_progress"
            )
        return Replay(int(existing.response_status or 200), existing.response_body or "")
    claim = IdempotencyItem(
        pk,
        sk,
        fingerprint=request_fingerprint,
        state=IN_PROGRESS,
        expires_at=int((utc_now() + RETENTION).timestamp()),
    )
    condition = Item.pk.does_not_exist() | (IdempotencyItem.state == RELEASED)
    with transaction(IN_PROGRESS_MESSAGE) as tx:
        tx.save(claim, condition=condition)
    return None


def finish(tenant_id: str, user_id: str, key: str, request_fingerprint: str, status: int, body: str) -> None:
    pk, sk = keys.idempotency(tenant_id, user_id, key)
    done = IdempotencyItem(
        pk,
        sk,
        fingerprint=request_fingerprint,
        state=DONE,
        response_status=status,
        response_body=body,
        expires_at=int((utc_now() + RETENTION).timestamp()),
    )
    with transaction() as tx:
        tx.save(done, condition=IdempotencyItem.state == IN_PROGRESS)


def release(tenant_id: str, user_id: str, key: str, request_fingerprint: str) -> None:
    pk, sk = keys.idempotency(tenant_id, user_id, key)
    released = IdempotencyItem(
        pk, sk, fingerprint=request_fingerprint, state=RELEASED, expires_at=int(utc_now().timestamp()) + 60
    )
    with transaction() as tx:
        tx.save(released, condition=IdempotencyItem.state == IN_PROGRESS)
