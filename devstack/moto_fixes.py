"""Where moto differs from AWS in a way our invariants depend on, the local stack corrects it here.

- moto's DynamoDB checks a write's conditions and applies it in separate Python steps with no lock, so two
  threads can both pass `version = 3` and both write: a lost update DynamoDB itself never allows. Every write
  and every read runs under one lock, which makes each atomic, as in AWS, and keeps a read from iterating a
  table a transaction is changing ("dictionary changed size during iteration").
- moto's `transact_write_items` deep-copies every table it touches, for a rollback, on every call: time and
  memory grow with the table, quadratically over a session (a fuzzing run reached 22 GB). Ours checks every
  condition first and writes only when all hold, so there is nothing to roll back; should a write still fail,
  only the items it touched are put back.
- moto's Step Functions runs an execution in a thread that builds its environment only once it gets going; a
  `stop_execution` arriving first (an invitation accepted the moment it was sent) fails on the missing
  environment, and one arriving after the environment but before the program starts is silently dropped
  (its program state is not yet "running"), where AWS stops it. Ours stops it at once when its program
  runs, or as soon as it does (on a loaded machine that may take seconds), never not at all. And a Wait
  state missed a stop that came before it began to wait (moto signals stops by setting and clearing an
  event at once): ours waits in slices while the program runs.
- moto answers every Query by sorting every item of the table through its typed (slow) comparisons, then
  walking them all for the partition asked for: a list's cost grows with the whole table, which the local
  stack's long sessions and the security matrix (thousands of lists over a big world) pay for. Ours hands
  moto's own loop only the partition's items (the table's from its hash-key map, an index's by the string
  key asked for), sorted the same way: the same answer, in time that follows what the partition holds.
- moto 5.2 writes each DynamoDB answer by walking botocore's output shape for every attribute of every item
  (about 10 ms a call, most of a request's time in the local stack and the security matrix). An item
  operation's result is already DynamoDB JSON (`DynamoResult` converts it), with no timestamp or blob for
  the shape to format but binary values: written with `json.dumps` (bytes as base64, and only the
  shape's own fields, as the walker keeps), it is the same document.
  `HANDOFF_CHECK_DYNAMODB_JSON=1` writes both and fails on any difference
  (`tests/integration/test_embedded_aws.py` runs every item operation that way).
- A fresh embedded AWS (one per test) re-parsed the state machines' ASL with antlr and each user pool's RSA
  key: the same result each time, so each is done once per process (with one boto3 client per service in
  `devstack.aws`, provisioning went from ~0.4 s to under 0.1 s a test).
"""

from __future__ import annotations

import base64
import copy
import functools
import json
import os
import threading
import time
from typing import Any

from moto.dynamodb import models as dynamodb
from moto.dynamodb.models import DynamoDBBackend

_SERIALIZED = (
    "put_item",
    "update_item",
    "delete_item",
    "transact_write_items",
    "batch_write_item",
    "get_item",
    "query",
    "scan",
    "batch_get_item",
    "transact_get_items",
)
_lock = threading.RLock()


def _key_of(backend: DynamoDBBackend, op_type: str, op: dict[str, Any]) -> dict[str, Any]:
    if op_type != "Put":
        return dict(op["Key"])
    table = backend.get_table(op["TableName"])
    key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = op["Item"][table.range_key_attr]
    return key


def _transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    """All conditions first, then the writes: the same outcome as moto's, without copying any table."""
    if len(transact_items) > 100:
        raise dynamodb.TooManyTransactionsException()
    seen: set[tuple[str, str]] = set()
    errors: list[tuple[str | None, str | None, Any]] = []
    plan: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for entry in transact_items:
        if len(entry) > 1:
            raise dynamodb.TransactWriteSingleOpException
        op_type, op = next(iter(entry.items()))
        if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
            raise dynamodb.MockValidationException("Unsupported transaction operation")
        key = _key_of(self, op_type, op)
        marker = (str(op["TableName"]), str(dict(sorted(key.items()))))
        if marker in seen:
            raise dynamodb.MultipleTransactionsException()
        seen.add(marker)
        current = self.get_item(op["TableName"], key)
        expression = op.get("ConditionExpression")
        holds = expression is None or dynamodb.get_filter_expression(
            expression, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
        ).expr(current)
        if holds:
            errors.append((None, None, None))
        else:
            wants_old = op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
            old = current.to_json()["Attributes"] if wants_old and current is not None else None
            errors.append(("ConditionalCheckFailed", "The conditional request failed", old))
        plan.append((op_type, op, key))
    if any(code is not None for code, _, _ in errors):
        raise dynamodb.TransactionCanceledException(errors)
    touched: list[tuple[str, dict[str, Any], Any]] = []
    try:
        for op_type, op, key in plan:
            table_name, names = op["TableName"], op.get("ExpressionAttributeNames")
            if op_type == "ConditionCheck":
                continue
            touched.append((table_name, key, copy.deepcopy(self.get_item(table_name, key))))
            if op_type == "Put":
                self.put_item(table_name, op["Item"])
            elif op_type == "Delete":
                self.delete_item(table_name, key)
            else:
                self.update_item(
                    table_name,
                    key,
                    update_expression=op["UpdateExpression"],
                    expression_attribute_names=names or {},
                    expression_attribute_values=op.get("ExpressionAttributeValues") or {},
                )
    except Exception:
        for table_name, key, before in reversed(touched):
            if before is None:
                self.delete_item(table_name, key)
            else:
                self.put_item(table_name, before.to_json()["Attributes"])
        raise


def make_dynamodb_writes_atomic() -> None:
    if not getattr(DynamoDBBackend.transact_write_items, "_handoff_atomic", False):
        DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]
    for name in _SERIALIZED:
        original = getattr(DynamoDBBackend, name)
        if getattr(original, "_handoff_atomic", False):
            continue

        @functools.wraps(original)
        def atomic(self: DynamoDBBackend, *args: Any, __original: Any = original, **kwargs: Any) -> Any:
            with _lock:
                return __original(self, *args, **kwargs)

        atomic._handoff_atomic = True  # type: ignore[attr-defined]
        setattr(DynamoDBBackend, name, atomic)


_wanted = threading.local()  # the partition the current thread's Query reads


def _all_items(original: Any) -> Any:
    @functools.wraps(original)
    def all_items(self: Any) -> Any:
        table_hash = getattr(_wanted, "hash", None)
        strings = getattr(_wanted, "keys", None)
        if table_hash is None and not strings:
            return original(self)
        if table_hash is not None:  # the table's own partition: moto keeps its items by hash key
            bucket = self.items.get(table_hash)
            found = [] if bucket is None else (list(bucket.values()) if self.range_key_attr else [bucket])
        else:  # an index's partition: the items whose index hash key is the string asked for
            found = []
            for hash_set in self.items.values():
                for item in hash_set.values() if self.range_key_attr else [hash_set]:
                    attrs = getattr(item, "attrs", {})
                    if all(
                        (value := attrs.get(name)) is not None and value.type == "S" and value.value == wanted
                        for name, wanted in strings or ()
                    ):
                        found.append(item)
        # moto's own order (it sorts everything it returns), over what the partition holds only
        return sorted(found, key=lambda x: (x.hash_key, x.range_key) if x.range_key else x.hash_key)

    return all_items


def _query(original: Any) -> Any:
    @functools.wraps(original)
    def query(self: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = args[7] if len(args) > 7 else kwargs.get("index_name")
        if not index_name:
            _wanted.hash = args[0] if args else kwargs.get("hash_key")
        else:
            conditions = kwargs.get("hash_key_conditions") or []
            strings = [(name, v.value) for name, v in conditions if getattr(v, "type", None) == "S"]
            if not strings or len(strings) != len(conditions):
                return original(self, *args, **kwargs)
            _wanted.keys = strings
        try:
            return original(self, *args, **kwargs)
        finally:
            _wanted.keys, _wanted.hash = None, None

    return query


def make_index_queries_read_their_partition() -> None:
    from moto.dynamodb.models.table import Table

    if not getattr(Table.query, "_handoff_partition", False):
        Table.all_items = _all_items(Table.all_items)  # type: ignore[method-assign]
        Table.query = _query(Table.query)  # type: ignore[method-assign]
        Table.query._handoff_partition = True  # type: ignore[attr-defined]


def _running(worker: Any) -> bool:
    """Whether the execution's program runs: moto builds its environment first and sets the program running
    only when the program starts; a stop before that finds no running program and is dropped."""
    env = getattr(worker, "env", None)
    return env is not None and getattr(env, "_program_state", None) is not None


def _stop_when_started(original: Any) -> Any:
    @functools.wraps(original)
    def stop(self: Any, stop_date: Any, error: str | None, cause: str | None) -> None:
        if _running(self):
            original(self, stop_date=stop_date, error=error, cause=cause)
            return

        def when_started() -> None:
            for _ in range(6000):  # up to 60 s: the execution thread starts its program once it runs
                if _running(self):
                    original(self, stop_date=stop_date, error=error, cause=cause)
                    return
                threading.Event().wait(0.01)

        threading.Thread(target=when_started, daemon=True, name="devstack-stop-execution").start()

    stop._handoff_started = True  # type: ignore[attr-defined]
    return stop


def _wait_while_running(self: Any, env: Any, wait_seconds: int) -> None:
    """A Wait state's wait, ended by a stop whenever it comes: moto's waits on an event that a stop sets and
    clears at once, so a stop between the state's start and its wait was missed and the execution ran its
    whole wait (an offer round's: tens of seconds) before it read as stopped."""
    ends = time.monotonic() + wait_seconds
    while env.is_running():
        left = ends - time.monotonic()
        if left <= 0:
            return
        env.program_state_event.wait(min(left, 0.2))


def make_step_functions_stop_early_executions() -> None:
    from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import WaitFunction
    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

    if not getattr(ExecutionWorker.stop, "_handoff_started", False):
        ExecutionWorker.stop = _stop_when_started(ExecutionWorker.stop)  # type: ignore[method-assign]
        WaitFunction._wait_interval = _wait_while_running  # type: ignore[method-assign]


# ---- provisioning speed: what moto redoes for every fresh embedded AWS, done once per process ------------


def _validated_once(original: Any) -> Any:
    validated: set[str] = set()

    @functools.wraps(original)
    def validate(definition: str) -> None:
        if definition not in validated:  # the same ASL text parses the same way every time
            original(definition=definition)
            validated.add(definition)

    validate._handoff_cached = True  # type: ignore[attr-defined]
    return validate


class _OneParsedKey:
    """Stands in for joserfc's `jwk` inside moto's Cognito: every user pool imports the same bundled key
    file; parsing its RSA key once serves them all (keys are immutable)."""

    def __init__(self, jwk: Any) -> None:
        self._jwk = jwk
        self.RSAKey = self

    @functools.cache  # noqa: B019 (one instance for the process)
    def _import(self, text: str) -> Any:
        import json

        return self._jwk.RSAKey.import_key(json.loads(text))

    def import_key(self, data: Any) -> Any:
        import json

        return self._import(json.dumps(data, sort_keys=True))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._jwk, name)


def make_provisioning_fast() -> None:
    """A fresh embedded AWS per test re-parsed the state machines' ASL (antlr, ~60 ms each) and each user
    pool's RSA key (~150 ms): both give the same result every time, so each is done once per process."""
    from moto.cognitoidp import models as cognito
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    validate = StepFunctionsParserBackend.__dict__["_validate_definition"].__func__
    if not getattr(validate, "_handoff_cached", False):
        StepFunctionsParserBackend._validate_definition = staticmethod(_validated_once(validate))  # type: ignore[method-assign]
    if not isinstance(cognito.jwk, _OneParsedKey):
        cognito.jwk = _OneParsedKey(cognito.jwk)  # type: ignore[assignment]


# The item operations (the ones serialized above): their results are DynamoDB JSON already, with no
# timestamp and no table description for the shape to format.
_ITEM_OPERATIONS = frozenset("".join(word.title() for word in name.split("_")) for name in _SERIALIZED)


def _base64(value: Any) -> str:
    """Binary attributes (B, BS) travel as base64 in DynamoDB JSON, as the shape's blob type writes them."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    raise TypeError(f"{type(value).__name__} is not DynamoDB JSON")


def _plain_json(original: Any) -> Any:
    @functools.wraps(original)
    def execute_result(self: Any, context: Any) -> Any:
        if context.operation_model.name not in _ITEM_OPERATIONS:
            return original(self, context)
        content_type = f"application/x-amz-json-{context.service_model.metadata['jsonVersion']}"
        members = context.operation_model.output_shape.members  # moto's extras are not in the answer
        body = json.dumps({k: v for k, v in self.result.items() if k in members}, default=_base64)
        if os.environ.get("HANDOFF_CHECK_DYNAMODB_JSON"):
            _status, _headers, slow = original(self, context)
            if json.loads(slow) != json.loads(body):
                raise AssertionError(f"{context.operation_model.name}: {slow} != {body}")
        return 200, {"Content-Type": content_type}, body

    execute_result._handoff_plain = True  # type: ignore[attr-defined]
    return execute_result


def make_dynamodb_answers_fast() -> None:
    from moto.dynamodb.responses import DynamoResult

    if not getattr(DynamoResult.execute_result, "_handoff_plain", False):
        DynamoResult.execute_result = _plain_json(DynamoResult.execute_result)  # type: ignore[method-assign]
