"""AWS clients beyond DynamoDB, built once per process on first use (never at import).

botocore directly, not boto3: only clients are needed, and importing boto3 costs cold start for nothing.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from handoff.store.table import region


@lru_cache(maxsize=1)
def _session() -> Any:
    import botocore.session

    return botocore.session.get_session()


def _client(service: str) -> Any:
    from botocore.config import Config

    # Bounded so that retries and timeouts together stay well below the function's timeout.
    config = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"})
    return _session().create_client(service, region_name=region(), config=config)


@lru_cache(maxsize=1)
def events() -> Any:
    return _client("events")


@lru_cache(maxsize=1)
def sqs() -> Any:
    return _client("sqs")


@lru_cache(maxsize=1)
def sfn() -> Any:
    return _client("stepfunctions")


@lru_cache(maxsize=1)
def cognito() -> Any:
    return _client("cognito-idp")


def clear() -> None:
    for cached in (events, sqs, sfn, cognito, _session):
        cached.cache_clear()
