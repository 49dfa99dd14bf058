"""One page per request: a Query page and the opaque cursor that resumes it.

A cursor is bound to the tenant and to the query that made it (an HMAC over both and the key), so a forged
cursor, or one made for another tenant or another query, is rejected with 400 rather than obeyed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from pynamodb.exceptions import QueryError
from pynamodb.expressions.condition import Condition
from pynamodb.models import Model
from pynamodb.pagination import ResultIterator

from handoff import keys
from handoff.config import cursor_secret
from handoff.errors import BadRequest
from handoff.store.table import Item

MAX_LIMIT = 100
DEFAULT_LIMIT = 25


@dataclass(frozen=True)
class Page[M: Model]:
    items: list[M]
    next_cursor: str | None


def _signature(scope: str, payload: bytes) -> str:
    key = cursor_secret().encode()
    return hmac.new(key, scope.encode() + b"\x00" + payload, hashlib.sha256).hexdigest()[:32]


def encode_cursor(last_key: dict[str, Any] | None, scope: str) -> str | None:
    if not last_key:
        return None
    payload = json.dumps(last_key, sort_keys=True, separators=(",", ":")).encode()
    body = {"k": base64.urlsafe_b64encode(payload).decode(), "s": _signature(scope, payload)}
    return base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, scope: str) -> dict[str, Any] | None:
    if not cursor:
        return None
    invalid = BadRequest("the cursor is not valid for this list", code="invalid_cursor")
    try:
        body = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        payload = base64.urlsafe_b64decode(body["k"])
        signature = body["s"]
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise invalid from error
    if not isinstance(signature, str) or not hmac.compare_digest(signature, _signature(scope, payload)):
        raise invalid
    try:
        key = json.loads(payload)
    except ValueError as error:
        raise invalid from error
    if not _well_formed(key, scope):
        raise invalid
    return key


def _well_formed(key: Any, scope: str) -> bool:
    """A cursor's content is input too, even when its signature holds: a start key of string attributes
    whose partition keys belong to the tenant the cursor's query reads, or an offset into a known id set."""
    if not isinstance(key, dict) or not key:
        return False
    if set(key) == {"offset"}:
        return isinstance(key["offset"], int) and not isinstance(key["offset"], bool) and key["offset"] >= 0
    tenant = scope.split("|")[1] if scope.count("|") >= 1 else ""
    partitions = []
    for name, value in key.items():
        if not (isinstance(name, str) and isinstance(value, dict) and set(value) == {"S"}):
            return False
        if not isinstance(value["S"], str):
            return False
        if name.endswith("PK"):
            partitions.append(value["S"])
    # The queried partition (table or index) is the tenant's; another item key may be its owner's (a link).
    ours = keys.tenant_prefix(tenant)
    return (
        bool(partitions)
        and all(p.startswith("T#") for p in partitions)
        and any(p.startswith(ours) for p in partitions)
    )


def one_page[M: Model](results: ResultIterator[M], model: type[M]) -> tuple[list[M], dict[str, Any] | None]:
    """Exactly one DynamoDB page (one call), even when a filter leaves it short, and the key it stopped at."""
    try:
        raw = next(results.page_iter)
    except QueryError as error:  # a start key DynamoDB will not resume from: the cursor's fault
        if "ValidationException" in str(getattr(error, "cause_response_code", "")) + str(error):
            raise BadRequest("the cursor is not valid for this list", code="invalid_cursor") from error
        raise
    return [model.from_raw_data(item) for item in raw.get("Items", [])], results.page_iter.last_evaluated_key


def first_page[M: Model](results: ResultIterator[M], model: type[M], scope: str) -> Page[M]:
    """One DynamoDB page and the signed cursor that resumes it."""
    items, last = one_page(results, model)
    return Page(items=items, next_cursor=encode_cursor(last, scope))


def page_of_ids(ids: list[str], limit: int, cursor: str | None, scope: str) -> tuple[list[str], str | None]:
    """One page of a known, sorted id set (what a caller is granted), and the cursor to the next."""
    start = decode_cursor(cursor, scope) or {}
    if start and set(start) != {"offset"}:
        raise BadRequest("the cursor is not valid for this list", code="invalid_cursor")
    offset = int(start.get("offset", 0))
    more = offset + limit < len(ids)
    return ids[offset : offset + limit], encode_cursor({"offset": offset + limit}, scope) if more else None


def place_by_name(item: Any, partition: str, item_id: str) -> None:
    """Listed by name (an item with `name` and `archived`): every record in GSI2's twin of `partition`, the
    live ones also in GSI1's, so the default list and the one with archived records are each one Query over
    exactly what they show."""
    sort = keys.by_name(item.name, item_id)
    item.gsi2pk, item.gsi2sk = keys.with_archived(partition), sort
    item.gsi1pk, item.gsi1sk = (None, None) if item.archived else (partition, sort)


def by_name[M: Model](
    model: type[M],
    partition: str,
    *,
    name_prefix: str | None,
    include_archived: bool,
    limit: int,
    cursor: str | None,
    scope: str,
) -> Page[M]:
    """One page of a by-name list (case-insensitive names): the live records (GSI1), or all of them (GSI2)."""
    prefix = keys.name_prefix(name_prefix or "")
    if include_archived:
        index, sort, partition = model.gsi2, Item.gsi2sk, keys.with_archived(partition)  # type: ignore[attr-defined]
    else:
        index, sort = model.gsi1, Item.gsi1sk  # type: ignore[attr-defined]
    results = index.query(
        partition, sort.startswith(prefix), page_size=limit, last_evaluated_key=decode_cursor(cursor, scope)
    )
    page = first_page(results, Item, scope)
    return Page(items=[i for i in page.items if isinstance(i, model)], next_cursor=page.next_cursor)


def newest_first[M: Model](
    model: type[M],
    index: Any,
    partition: str,
    *,
    limit: int,
    cursor: str | None,
    scope: str,
    only: Condition | None = None,
    within: Condition | None = None,
    newest: bool = True,
) -> Page[M]:
    """One page of a partition (of an index, or of the table when `index` is the model) sorted by ULID:
    newest first (boards and per-owner lists), or oldest first with `newest=False`; `within` narrows the
    sort key (a prefix), `only` filters."""
    results = index.query(
        partition,
        within,
        scan_index_forward=not newest,
        filter_condition=only,
        page_size=limit,
        last_evaluated_key=decode_cursor(cursor, scope),
    )
    page = first_page(results, Item, scope)
    return Page(items=[i for i in page.items if isinstance(i, model)], next_cursor=page.next_cursor)
