"""Publishes outbox items from the table's stream to the EventBridge bus.

Stream records that fail to publish are reported back (ReportBatchItemFailures), so Lambda retries them from
there: an event is never dropped, and consumers dedupe the rare repeat on the event id.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from handoff import aws
from handoff.config import publisher_settings

logger = Logger()
# One EMF count per business event (EstimateApproved, MemberAdded, ...): every committed change passes here.
metrics = Metrics()
PUT_EVENTS_MAX_ENTRIES = 10


def _envelope(record: dict[str, Any]) -> dict[str, Any] | None:
    if record.get("eventName") != "INSERT":
        return None
    image = record.get("dynamodb", {}).get("NewImage", {})
    if image.get("entity", {}).get("S") != "outbox":
        return None
    envelope: dict[str, Any] = json.loads(image["envelope"]["S"])
    return envelope


def publish_stream_batch(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Puts each outbox insert on the bus, in stream order; returns the records to retry."""
    bus = publisher_settings().event_bus_name
    pending = [(r["dynamodb"]["SequenceNumber"], e) for r in records if (e := _envelope(r)) is not None]
    for start in range(0, len(pending), PUT_EVENTS_MAX_ENTRIES):
        chunk = pending[start : start + PUT_EVENTS_MAX_ENTRIES]
        entries = [
            {
                "EventBusName": bus,
                "Source": envelope["source"],
                "DetailType": envelope["type"],
                "Detail": json.dumps(envelope),
                "Time": envelope["occurred_at"],
            }
            for _, envelope in chunk
        ]
        try:
            result = aws.events().put_events(Entries=entries)
            failed = [i for i, entry in enumerate(result["Entries"]) if entry.get("ErrorCode")]
        except Exception:
            logger.exception("put_events failed")
            failed = [0]
        if failed:
            # Lambda retries from the first failure on; everything before it is checkpointed.
            first = start + failed[0]
            logger.warning("event publishing failed; will retry", retry_from=pending[first][0])
            return {"batchItemFailures": [{"itemIdentifier": pending[first][0]}]}
        for _, envelope in chunk:
            logger.info("event published", event_id=envelope["id"], type=envelope["type"])
            metrics.add_metric(name=envelope["type"], unit=MetricUnit.Count, value=1)
    return {"batchItemFailures": []}
