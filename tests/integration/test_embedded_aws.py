"""The local stack's corrections of moto (devstack/moto_fixes.py) keep AWS's answers.

DynamoDB's item operations are answered with `json.dumps` of moto's own result instead of moto's shape
walker; with HANDOFF_CHECK_DYNAMODB_JSON set, every answer is also written the slow way and any difference
fails the call. Here every item operation runs that way, over every attribute type and a paged Query."""

import threading
import time
from types import SimpleNamespace

import boto3
import pytest

from devstack import moto_fixes

RICH = {
    "S": {"S": "text é ✓"},
    "N": {"N": "-12.5"},
    "BOOL": {"BOOL": True},
    "NULL": {"NULL": True},
    "B": {"B": b"\x00\xffbytes"},
    "SS": {"SS": ["a", "b"]},
    "NS": {"NS": ["1", "2.5"]},
    "BS": {"BS": [b"x", b"y"]},
    "L": {"L": [{"S": "x"}, {"N": "1"}, {"M": {"deep": {"L": []}}}]},
    "M": {"M": {"inner": {"S": "y"}, "empty": {"M": {}}}},
}


@pytest.fixture
def checked(aws_env, monkeypatch):
    monkeypatch.setenv("HANDOFF_CHECK_DYNAMODB_JSON", "1")
    return boto3.client("dynamodb"), aws_env.refs["Table"]


def test_every_item_operation_answers_what_moto_would(checked):
    dynamodb, table = checked
    keys = [{"PK": {"S": "T#check"}, "SK": {"S": f"ITEM#{n}"}} for n in range(3)]
    for key in keys:
        dynamodb.put_item(TableName=table, Item={**key, **RICH})
    returned = dynamodb.put_item(TableName=table, Item={**keys[0], **RICH}, ReturnValues="ALL_OLD")
    assert returned["Attributes"]["B"] == {"B": b"\x00\xffbytes"}
    assert dynamodb.get_item(TableName=table, Key=keys[0])["Item"]["BS"] == {"BS": [b"x", b"y"]}
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"PK": {"S": "none"}, "SK": {"S": "none"}})
    updated = dynamodb.update_item(
        TableName=table,
        Key=keys[1],
        UpdateExpression="SET #n = #n + :one",
        ExpressionAttributeNames={"#n": "N"},
        ExpressionAttributeValues={":one": {"N": "1"}},
        ReturnValues="ALL_NEW",
        ReturnConsumedCapacity="TOTAL",
    )
    assert updated["Attributes"]["N"] == {"N": "-11.5"}
    page = dynamodb.query(
        TableName=table,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": "T#check"}},
        Limit=2,
    )
    assert page["Count"] == 2 and page["LastEvaluatedKey"] == keys[1]
    rest = dynamodb.query(
        TableName=table,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": "T#check"}},
        ExclusiveStartKey=page["LastEvaluatedKey"],
        Select="COUNT",
    )
    assert rest["Count"] == 1 and "Items" not in rest
    assert dynamodb.scan(TableName=table, Limit=1)["Count"] == 1
    got = dynamodb.batch_get_item(RequestItems={table: {"Keys": keys}})
    assert len(got["Responses"][table]) == 3 and got["UnprocessedKeys"] == {}
    together = dynamodb.transact_get_items(
        TransactItems=[{"Get": {"TableName": table, "Key": k}} for k in keys]
    )
    assert [r["Item"]["SK"] for r in together["Responses"]] == [k["SK"] for k in keys]
    dynamodb.transact_write_items(
        TransactItems=[
            {"Delete": {"TableName": table, "Key": keys[2]}},
            {"Put": {"TableName": table, "Item": {"PK": {"S": "T#check"}, "SK": {"S": "NEW"}, **RICH}}},
        ]
    )
    written = dynamodb.batch_write_item(RequestItems={table: [{"DeleteRequest": {"Key": keys[0]}}]})
    assert written["UnprocessedItems"] == {}
    deleted = dynamodb.delete_item(TableName=table, Key=keys[1], ReturnValues="ALL_OLD")
    assert deleted["Attributes"]["L"]["L"][2] == {"M": {"deep": {"L": []}}}


def test_a_stop_before_the_execution_program_runs_is_applied_once_it_runs():
    """moto drops a stop that comes between an execution's environment and its program's start (its state
    is not yet running): ours waits for the program, as AWS would have stopped it."""
    applied: list[dict[str, object]] = []
    stop = moto_fixes._stop_when_started(lambda worker, **stopped: applied.append(stopped))
    worker = SimpleNamespace(env=SimpleNamespace(_program_state=None))

    stop(worker, stop_date="now", error=None, cause="answered")
    time.sleep(0.1)
    assert applied == []  # not dropped, not applied to a program that does not run yet
    worker.env._program_state = "running"
    deadline = time.monotonic() + 5
    while not applied and time.monotonic() < deadline:
        time.sleep(0.01)
    assert applied == [{"stop_date": "now", "error": None, "cause": "answered"}]


def test_a_wait_state_ends_on_a_stop_it_did_not_see_signalled():
    """moto signals a stop by setting and at once clearing an event: a Wait state that begins to wait after
    that pulse would sleep its whole wait. Ours sees the program no longer runs."""
    running = threading.Event()
    running.set()
    env = SimpleNamespace(is_running=running.is_set, program_state_event=threading.Event())
    waiting = threading.Thread(target=moto_fixes._wait_while_running, args=(None, env, 30))
    started = time.monotonic()
    waiting.start()
    time.sleep(0.1)
    running.clear()  # stopped, and no signal reaches the wait
    waiting.join(timeout=5)
    assert not waiting.is_alive() and time.monotonic() - started < 2


def test_a_wait_state_waits_its_time_while_the_program_runs():
    env = SimpleNamespace(is_running=lambda: True, program_state_event=threading.Event())
    started = time.monotonic()
    moto_fixes._wait_while_running(None, env, 1)
    assert 0.9 < time.monotonic() - started < 2
