"""Binds pynamodb models to the single table named in the environment (resolved at use, not at import)."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError
from pynamodb.attributes import DiscriminatorAttribute, UnicodeAttribute
from pynamodb.connection import Connection, TableConnection
from pynamodb.exceptions import TransactWriteError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from handoff.config import store_settings
from handoff.errors import Conflict, PayloadTooLarge, ServiceUnavailable
from handoff.ids import new_id


def region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"


class _TableName:
    def __get__(self, instance: object, owner: type) -> str:
        return store_settings().table_name


class _Region:
    def __get__(self, instance: object, owner: type) -> str:
        return region()


class TableMeta:
    """Retries and timeouts bounded so that a request's worst case, (1 + 2) x (1 s + 3 s) = 12 s, plus the
    key-set fetch (3 s), stays below the function's 20 s timeout: a slow table answers 503, not a timeout."""

    table_name: str = _TableName()  # type: ignore[assignment]
    region: str = _Region()  # type: ignore[assignment]
    max_retry_attempts = 2
    connect_timeout_seconds = 1
    read_timeout_seconds = 3


class Gsi1(GlobalSecondaryIndex["Item"]):
    """Overloaded index one: alternate orders inside a tenant partition (names, statuses, dates)."""

    class Meta:
        index_name = "GSI1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True, attr_name="GSI1PK")
    gsi1sk = UnicodeAttribute(range_key=True, attr_name="GSI1SK")


class Gsi2(GlobalSecondaryIndex["Item"]):
    """Overloaded index two: an item seen from another owner (a membership from its user's side)."""

    class Meta:
        index_name = "GSI2"
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True, attr_name="GSI2PK")
    gsi2sk = UnicodeAttribute(range_key=True, attr_name="GSI2SK")


class Gsi3(GlobalSecondaryIndex["Item"]):
    """Index three: a ticket seen from the member it is assigned to."""

    class Meta:
        index_name = "GSI3"
        projection = AllProjection()

    gsi3pk = UnicodeAttribute(hash_key=True, attr_name="GSI3PK")
    gsi3sk = UnicodeAttribute(range_key=True, attr_name="GSI3SK")


class Item(Model):
    """Base of every item: the generic key pair, the index keys, and the entity type (pynamodb discriminator),
    so that one Query over a mixed partition returns each item as its own class."""

    class Meta(TableMeta):
        pass

    pk = UnicodeAttribute(hash_key=True, attr_name="PK")
    sk = UnicodeAttribute(range_key=True, attr_name="SK")
    entity = DiscriminatorAttribute(attr_name="entity")
    gsi1pk = UnicodeAttribute(null=True, attr_name="GSI1PK")
    gsi1sk = UnicodeAttribute(null=True, attr_name="GSI1SK")
    gsi2pk = UnicodeAttribute(null=True, attr_name="GSI2PK")
    gsi2sk = UnicodeAttribute(null=True, attr_name="GSI2SK")
    gsi3pk = UnicodeAttribute(null=True, attr_name="GSI3PK")
    gsi3sk = UnicodeAttribute(null=True, attr_name="GSI3SK")
    gsi1 = Gsi1()
    gsi2 = Gsi2()
    gsi3 = Gsi3()

    @classmethod
    def _get_connection(cls) -> TableConnection:
        """Every entity shares one connection (one botocore client per thread): building a client costs tens
        of milliseconds of cold start, and one client is one place to count calls."""
        if cls is not Item:
            return Item._get_connection()
        return super()._get_connection()


def connection() -> Connection:
    return Item._get_connection().connection


def client() -> Any:
    """The botocore client pynamodb uses (benchmarks hook call counting onto it)."""
    return connection().client


def timed_out(error: BaseException) -> bool:
    """Whether a DynamoDB call failed because it got no answer in time (anywhere in the cause chain)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, (ConnectTimeoutError, ReadTimeoutError, EndpointConnectionError)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


# A transaction that meets another one on a shared item (a report bucket, a counter) is cancelled with
# TransactionConflict and nothing written: DynamoDB's advice is to try it again; a failed condition never is.
CONFLICT_RETRIES = 3


def only_contended(error: TransactWriteError) -> bool:
    """Whether the transaction was cancelled only because another one held an item at that moment."""
    reasons = {r.code for r in (error.cancellation_reasons or []) if r is not None and r.code}
    return bool(reasons) and reasons <= {"TransactionConflict", "None"} and "TransactionConflict" in reasons


@contextmanager
def transaction(
    conflict_message: str = "the object was changed by someone else; reload and retry",
) -> Iterator[TransactWrite]:
    """One TransactWriteItems: everything in it commits, or nothing does and a failed condition is a 409.

    Every transaction carries a ClientRequestToken: when botocore retries one that did commit (its answer was
    lost to a timeout), DynamoDB recognizes the token and answers success instead of failing the conditions
    the first attempt already satisfied (which would read as a false 409). One cancelled only by contention
    with another transaction is sent again (a new token: it is a new attempt), a few times, with jitter."""
    tx = TransactWrite(connection=connection(), client_request_token=new_id())
    yield tx
    for attempt in range(CONFLICT_RETRIES + 1):
        try:
            tx._commit()
            return
        except TransactWriteError as error:
            if only_contended(error) and attempt < CONFLICT_RETRIES:
                tx._client_request_token = new_id()
                time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))  # noqa: S311 (jitter, not a secret)
                continue
            _refuse(error, conflict_message)


def _refuse(error: TransactWriteError, conflict_message: str) -> NoReturn:
    if timed_out(error):
        raise ServiceUnavailable("the table did not answer in time; nothing changed, retry") from error
    if only_contended(error):
        raise ServiceUnavailable(
            "the table was busy with other changes to the same records; retry"
        ) from error
    reasons = [r.code for r in (error.cancellation_reasons or []) if r is not None]
    response = getattr(getattr(error, "cause", None), "response", None) or {}
    code = response.get("Error", {}).get("Code")
    if "ConditionalCheckFailed" in reasons or code == "TransactionCanceledException":
        raise Conflict(conflict_message) from error
    message = str(response.get("Error", {}).get("Message", ""))
    if code == "ValidationException" and "size has exceeded" in message:
        raise PayloadTooLarge(
            "this record is full (DynamoDB's 400 KB item limit); nothing changed"
        ) from error
    raise error
