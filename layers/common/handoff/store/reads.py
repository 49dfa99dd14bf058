"""Item reads, with a per-request cache so a route's access check and its object arrive in one BatchGetItem.

The API entry opens a fresh cache for each request; outside a request (workers, scripts) reads go straight to
the table. All reads here are strongly consistent.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from handoff.store.table import Item

Key = tuple[str, str]

_cache: ContextVar[dict[Key, Item | None] | None] = ContextVar("handoff_request_reads", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    token = _cache.set({})
    try:
        yield
    finally:
        _cache.reset(token)


def prefetch(keys: Iterable[Key]) -> None:
    """Loads these items (absent ones remembered as absent) with one BatchGetItem."""
    cache = _cache.get()
    wanted = list(dict.fromkeys(k for k in keys if cache is None or k not in cache))
    if not wanted:
        return
    found = {(item.pk, item.sk): item for item in Item.batch_get(wanted, consistent_read=True)}
    if cache is not None:
        for key in wanted:
            cache[key] = found.get(key)


def get[M: Item](model: type[M], key: Key) -> M | None:
    """The item at `key` if it exists and is a `model`; from this request's cache when it was prefetched."""
    cache = _cache.get()
    if cache is not None and key in cache:
        item = cache[key]
    else:
        try:
            item = model.get(*key, consistent_read=True)
        except model.DoesNotExist:
            item = None
        if cache is not None:
            cache[key] = item
    return item if isinstance(item, model) else None
