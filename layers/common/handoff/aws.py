"""boto3 clients, built once per process on first use (never at import), for the services beyond DynamoDB."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import boto3

from handoff.store.table import region


@lru_cache(maxsize=1)
def events() -> Any:
    return boto3.client("events", region_name=region())


@lru_cache(maxsize=1)
def sqs() -> Any:
    return boto3.client("sqs", region_name=region())


@lru_cache(maxsize=1)
def sfn() -> Any:
    return boto3.client("stepfunctions", region_name=region())


def clear() -> None:
    events.cache_clear()
    sqs.cache_clear()
    sfn.cache_clear()
