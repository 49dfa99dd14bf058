"""Where moto differs from AWS in a way our invariants depend on, the local stack corrects it here.

moto's DynamoDB checks a write's conditions and applies it in separate Python steps with no lock, so two
threads can both pass `version = 3` and both write: a lost update DynamoDB itself never allows. Every
conditional write and transaction is therefore run under one lock, which makes each atomic, as in AWS.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from moto.dynamodb.models import DynamoDBBackend

_WRITES = ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item")
_lock = threading.RLock()


def make_dynamodb_writes_atomic() -> None:
    for name in _WRITES:
        original = getattr(DynamoDBBackend, name)
        if getattr(original, "_handoff_atomic", False):
            continue

        @functools.wraps(original)
        def atomic(self: DynamoDBBackend, *args: Any, __original: Any = original, **kwargs: Any) -> Any:
            with _lock:
                return __original(self, *args, **kwargs)

        atomic._handoff_atomic = True  # type: ignore[attr-defined]
        setattr(DynamoDBBackend, name, atomic)
