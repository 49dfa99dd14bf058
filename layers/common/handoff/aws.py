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


@lru_cache(maxsize=1)
def s3() -> Any:
    import os

    from botocore.config import Config

    # Path-style against the embedded AWS (one host, many buckets); SigV4 for presigned URLs everywhere.
    style = "path" if os.environ.get("AWS_ENDPOINT_URL") else "virtual"
    config = Config(
        connect_timeout=2,
        read_timeout=5,
        retries={"max_attempts": 3, "mode": "standard"},
        signature_version="s3v4",
        s3={"addressing_style": style},
    )
    return _session().create_client("s3", region_name=region(), config=config)


def clear() -> None:
    for cached in (events, sqs, sfn, cognito, s3, _session):
        cached.cache_clear()
