"""Plays the AWS services that moto stores but does not run: Lambda's pollers for table streams and queues,
and EventBridge rule targets that are Lambda functions. Every source and target comes from template.yaml.

Events really travel through moto's bus: a tap rule copies everything on it into a queue, and each template
rule's pattern is matched by moto's own matcher before its function is invoked.

Failures go where AWS sends them, never round forever: an asynchronously invoked function that raises is
tried twice more (its EventInvokeConfig), then the event goes to its on-failure destination; a stream batch
that fails is halved (BisectBatchOnFunctionError) and retried up to MaximumRetryAttempts, then described to
the mapping's on-failure destination and skipped.
"""

from __future__ import annotations

import importlib
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
from moto.events.models import EventPattern

from devstack import template
from devstack.aws import ACCOUNT, REGION, Provisioned
from devstack.gateway import LambdaContext

Handler = Callable[[dict[str, Any], Any], Any]


def handler_of(source: template.EventSource) -> Handler:
    handler: Handler = getattr(importlib.import_module(source.module), source.handler)
    return handler


def _ref_name(value: Any) -> str:
    """The logical id behind !Ref X / !GetAtt X.Attr."""
    if "Ref" in value:
        return str(value["Ref"])
    return str(value["Fn::GetAtt"][0])


@dataclass
class StreamConsumer:
    handler: Handler
    stream_arn: str
    patterns: list[EventPattern]
    batch_size: int
    max_retries: int  # MaximumRetryAttempts (-1: until the record expires, as in AWS)
    bisect: bool
    on_failure_url: str | None
    positions: dict[str, str | None] = field(default_factory=dict)  # shard -> last sequence number read
    pending: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0  # failed attempts of the batch at the head of `pending`
    size: int = 0  # the head batch's size now (halved on each function error when bisecting)


@dataclass
class QueueConsumer:
    handler: Handler
    queue_url: str
    queue_arn: str
    batch_size: int


@dataclass
class RuleTarget:
    function: str
    handler: Handler
    pattern: EventPattern
    attempts: int  # 1 + EventInvokeConfig.MaximumRetryAttempts (Lambda's default: 2 retries)
    on_failure_url: str | None


@dataclass
class BusTap:
    queue_url: str
    targets: list[RuleTarget]


class Runtime:
    def __init__(self, provisioned: Provisioned):
        self.lock = threading.Lock()
        self.streams_client = boto3.client("dynamodbstreams", region_name=REGION)
        self.sqs = boto3.client("sqs", region_name=REGION)
        self.events = boto3.client("events", region_name=REGION)
        self.streams: list[StreamConsumer] = []
        self.queues: list[QueueConsumer] = []
        self.taps: dict[str, BusTap] = {}
        for source in template.event_sources():
            props = source.properties
            if source.kind == "DynamoDB":
                table = _ref_name(props["Stream"])
                filters = (props.get("FilterCriteria") or {}).get("Filters", [])
                on_failure = _on_failure(props.get("DestinationConfig"))
                self.streams.append(
                    StreamConsumer(
                        handler_of(source),
                        provisioned.attributes[(table, "StreamArn")],
                        [EventPattern.load(f["Pattern"]) for f in filters],
                        int(props.get("BatchSize", 100)),
                        int(props.get("MaximumRetryAttempts", -1)),
                        bool(props.get("BisectBatchOnFunctionError", False)),
                        provisioned.refs[_ref_name(on_failure)] if on_failure else None,
                    )
                )
            elif source.kind == "SQS":
                queue = _ref_name(props["Queue"])
                self.queues.append(
                    QueueConsumer(
                        handler_of(source),
                        provisioned.refs[queue],
                        provisioned.attributes[(queue, "Arn")],
                        int(props.get("BatchSize", 10)),
                    )
                )
            else:
                bus = provisioned.refs[_ref_name(props["EventBusName"])]
                tap = self.taps.get(bus) or self._tap(bus)
                invoke = source.function_properties.get("EventInvokeConfig") or {}
                on_failure = _on_failure(invoke.get("DestinationConfig"))
                tap.targets.append(
                    RuleTarget(
                        source.function,
                        handler_of(source),
                        EventPattern.load(json.dumps(props["Pattern"])),
                        1 + int(invoke.get("MaximumRetryAttempts", 2)),
                        provisioned.refs[_ref_name(on_failure)] if on_failure else None,
                    )
                )

    def _tap(self, bus: str) -> BusTap:
        url = self.sqs.create_queue(QueueName=f"devstack-tap-{bus}")["QueueUrl"]
        arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:devstack-tap-{bus}"
        self.events.put_rule(
            Name="devstack-tap", EventBusName=bus, EventPattern='{"source": [{"prefix": ""}]}'
        )
        self.events.put_targets(Rule="devstack-tap", EventBusName=bus, Targets=[{"Id": "tap", "Arn": arn}])
        self.taps[bus] = BusTap(url, [])
        return self.taps[bus]

    # ---- one round of each poller; each returns how much work it did ----

    def _poll_stream(self, consumer: StreamConsumer) -> int:
        shards = self.streams_client.describe_stream(StreamArn=consumer.stream_arn)["StreamDescription"][
            "Shards"
        ]
        for shard in shards:
            shard_id = shard["ShardId"]
            # A fresh iterator every round: moto rolls a failed transaction back by swapping in a copy of the
            # table (and its stream), so an iterator kept from before would read records that never committed.
            position = consumer.positions.get(shard_id)
            where = (
                {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": position}
                if position
                else {"ShardIteratorType": "TRIM_HORIZON"}
            )
            iterator = self.streams_client.get_shard_iterator(
                StreamArn=consumer.stream_arn, ShardId=shard_id, **where
            )["ShardIterator"]
            records = self.streams_client.get_records(ShardIterator=iterator)["Records"]
            if records:
                consumer.positions[shard_id] = records[-1]["dynamodb"]["SequenceNumber"]
            for record in json.loads(json.dumps(records, default=str)):
                if not consumer.patterns or any(p.matches_event(record) for p in consumer.patterns):
                    consumer.pending.append(record)
        if not consumer.pending:
            return 0
        batch = consumer.pending[: consumer.size or consumer.batch_size]
        try:
            result = consumer.handler({"Records": batch}, LambdaContext()) or {}
        except Exception:
            if consumer.bisect and len(batch) > 1:
                consumer.size = len(batch) // 2
            return self._stream_failed(consumer, batch)
        failures = [f["itemIdentifier"] for f in result.get("batchItemFailures", [])]
        if failures:
            sequence = [r["dynamodb"]["SequenceNumber"] for r in batch]
            first = sequence.index(failures[0])
            consumer.pending = consumer.pending[first:]  # checkpointed up to the first failure
            return first + self._stream_failed(consumer, batch[first:])
        consumer.pending = consumer.pending[len(batch) :]
        consumer.attempts, consumer.size = 0, 0
        return len(batch)

    def _stream_failed(self, consumer: StreamConsumer, batch: list[dict[str, Any]]) -> int:
        """One more failed attempt; past MaximumRetryAttempts the batch is described to the on-failure
        destination (as Lambda does: where it was, not the records) and skipped."""
        consumer.attempts += 1
        if consumer.max_retries < 0 or consumer.attempts <= consumer.max_retries:
            return 0
        if consumer.on_failure_url:
            info = {
                "shardId": "local",
                "startSequenceNumber": batch[0]["dynamodb"]["SequenceNumber"],
                "endSequenceNumber": batch[-1]["dynamodb"]["SequenceNumber"],
                "batchSize": len(batch),
                "streamArn": consumer.stream_arn,
            }
            record = _destination_record("RetryAttemptsExhausted", consumer.attempts, None, None)
            record["DDBStreamBatchInfo"] = info
            self.sqs.send_message(QueueUrl=consumer.on_failure_url, MessageBody=json.dumps(record))
        consumer.pending = consumer.pending[len(batch) :]
        consumer.attempts, consumer.size = 0, 0
        return len(batch)

    def _poll_queue(self, consumer: QueueConsumer) -> int:
        messages = self.sqs.receive_message(
            QueueUrl=consumer.queue_url,
            MaxNumberOfMessages=min(consumer.batch_size, 10),
            AttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0
        records = [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": consumer.queue_arn,
                "awsRegion": REGION,
            }
            for m in messages
        ]
        try:
            result = consumer.handler({"Records": records}, LambdaContext()) or {}
            failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        except Exception:
            failed = {r["messageId"] for r in records}
        for message in messages:
            if (
                message["MessageId"] in failed
            ):  # visible again at once; the queue's redrive policy still counts
                self.sqs.change_message_visibility(
                    QueueUrl=consumer.queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
            else:
                self.sqs.delete_message(QueueUrl=consumer.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return len(messages) - len(failed)

    def _poll_tap(self, tap: BusTap) -> int:
        messages = self.sqs.receive_message(QueueUrl=tap.queue_url, MaxNumberOfMessages=10).get(
            "Messages", []
        )
        delivered = 0
        for message in messages:
            event = json.loads(message["Body"])
            for target in tap.targets:
                if target.pattern.matches_event(event):
                    self._invoke_async(target, event)
            self.sqs.delete_message(QueueUrl=tap.queue_url, ReceiptHandle=message["ReceiptHandle"])
            delivered += 1
        return delivered

    def _invoke_async(self, target: RuleTarget, event: dict[str, Any]) -> None:
        """EventBridge invokes the function asynchronously: Lambda tries it `attempts` times (AWS spaces the
        retries by minutes; here they follow at once), then sends the event to the on-failure destination."""
        error: Exception | None = None
        for _ in range(target.attempts):
            try:
                target.handler(event, LambdaContext())
                return
            except Exception as failure:
                error = failure
        print(f"devstack runtime: {target.function} failed {target.attempts} times: {error!r}", flush=True)
        if target.on_failure_url:
            record = _destination_record("RetriesExhausted", target.attempts, event, error)
            self.sqs.send_message(QueueUrl=target.on_failure_url, MessageBody=json.dumps(record))

    def pump(self, max_rounds: int = 100) -> int:
        """Runs every poller until a whole round finds nothing to do; returns the work done."""
        done = 0
        with self.lock:
            for _ in range(max_rounds):
                progress = sum(self._poll_stream(c) for c in self.streams)
                progress += sum(self._poll_tap(t) for t in self.taps.values())
                progress += sum(self._poll_queue(q) for q in self.queues)
                done += progress
                if not progress:
                    break
        return done

    def run_forever(self, stop: threading.Event, interval: float = 0.2) -> None:
        while not stop.wait(interval):
            try:
                self.pump()
            except Exception as error:  # keep the local stack alive; the next round retries
                print(f"devstack runtime: {error!r}", flush=True)


def _on_failure(destination_config: dict[str, Any] | None) -> Any:
    return ((destination_config or {}).get("OnFailure") or {}).get("Destination")


def _destination_record(
    condition: str, attempts: int, payload: dict[str, Any] | None, error: Exception | None
) -> dict[str, Any]:
    """What Lambda sends to an on-failure destination (the invocation record, version 1.0)."""
    record: dict[str, Any] = {
        "version": "1.0",
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
        "requestContext": {
            "requestId": str(uuid.uuid4()),
            "functionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:handoff-local",
            "condition": condition,
            "approximateInvokeCount": attempts,
        },
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
    }
    if payload is not None:
        record["requestPayload"] = payload
    if error is not None:
        record["responsePayload"] = {"errorType": type(error).__name__, "errorMessage": str(error)}
    return record
