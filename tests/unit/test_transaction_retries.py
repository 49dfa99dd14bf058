"""A transaction cancelled only by contention with another one is sent again; a failed condition never is."""

import pytest
from pynamodb.exceptions import CancellationReason, TransactWriteError
from pynamodb.transactions import TransactWrite

from handoff.errors import Conflict, ServiceUnavailable
from handoff.store import table


class _Cancelled(TransactWriteError):
    def __init__(self, *codes: str) -> None:
        super().__init__("cancelled")
        self._codes = codes

    @property
    def cancellation_reasons(self):
        return [CancellationReason(code=c) if c else None for c in self._codes]


def _commits(monkeypatch, outcomes):
    attempts = []

    def commit(self):
        attempts.append(self._client_request_token)
        outcome = outcomes.pop(0)
        if outcome is not None:
            raise outcome

    monkeypatch.setattr(TransactWrite, "_commit", commit)
    monkeypatch.setattr(table, "connection", lambda: None)
    monkeypatch.setattr(table.time, "sleep", lambda _: None)
    return attempts


def test_contention_is_retried_with_a_new_token(monkeypatch):
    attempts = _commits(monkeypatch, [_Cancelled("TransactionConflict", None), None])
    with table.transaction():
        pass
    assert len(attempts) == 2 and attempts[0] != attempts[1]


def test_a_failed_condition_is_a_conflict_at_once(monkeypatch):
    attempts = _commits(monkeypatch, [_Cancelled("TransactionConflict", "ConditionalCheckFailed")])
    with pytest.raises(Conflict), table.transaction():
        pass
    assert len(attempts) == 1


def test_contention_that_lasts_ends_as_unavailable_and_nothing_changed(monkeypatch):
    attempts = _commits(monkeypatch, [_Cancelled("TransactionConflict")] * (table.CONFLICT_RETRIES + 1))
    with pytest.raises(ServiceUnavailable), table.transaction():
        pass
    assert len(attempts) == table.CONFLICT_RETRIES + 1
