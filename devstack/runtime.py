"""Plays the AWS services that moto stores but does not run: Lambda's pollers for table streams and queues,
and EventBridge rule targets that are Lambda functions. Every source and target comes from template.yaml.

Events really travel through moto's bus: a tap rule copies everything on it into a queue, and each template
rule's pattern is matched by moto's own matcher before its function is invoked.
"""

from __future__ import annotations

import importlib
import json
import threading
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
    positions: dict[str, str | None] = field(default_factory=dict)  # shard -> last sequence number read
    pending: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class QueueConsumer:
    handler: Handler
    queue_url: str
    queue_arn: str
    batch_size: int


@dataclass
class RuleTarget:
    handler: Handler
    pattern: EventPattern


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
                self.streams.append(
                    StreamConsumer(
                        handler_of(source),
                        provisioned.attributes[(table, "StreamArn")],
                        [EventPattern.load(f["Pattern"]) for f in filters],
                        int(props.get("BatchSize", 100)),
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
                tap.targets.append(
                    RuleTarget(handler_of(source), EventPattern.load(json.dumps(props["Pattern"])))
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
        batch = consumer.pending[: consumer.batch_size]
        try:
            result = consumer.handler({"Records": batch}, LambdaContext()) or {}
        except Exception:
            return 0  # Lambda would retry the whole batch: keep it pending
        failures = [f["itemIdentifier"] for f in result.get("batchItemFailures", [])]
        if failures:
            sequence = [r["dynamodb"]["SequenceNumber"] for r in batch]
            consumer.pending = consumer.pending[sequence.index(failures[0]) :]
            return 0
        consumer.pending = consumer.pending[len(batch) :]
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
            try:
                for target in tap.targets:
                    if target.pattern.matches_event(event):
                        target.handler(event, LambdaContext())
            except Exception:  # EventBridge retries the target later (consumers dedupe on the event id)
                self.sqs.change_message_visibility(
                    QueueUrl=tap.queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
                continue
            self.sqs.delete_message(QueueUrl=tap.queue_url, ReceiptHandle=message["ReceiptHandle"])
            delivered += 1
        return delivered

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
