"""Item reads, with a per-request cache so a route's access check and its object arrive in one BatchGetItem.

The API entry opens a fresh cache for each request; outside a request (workers, scripts) reads go straight to
the table. All reads here are strongly consistent.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from handoff.errors import Conflict, ServiceUnavailable
from handoff.store.table import Item

Key = tuple[str, str]
# The name a route's prefetch finds the caller's user id under, beside the path parameters.
CALLER = "~caller"

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


def get_many[M: Item](model: type[M], keys: Iterable[Key]) -> list[M]:
    """The items at these keys that exist and are `model`s, in the order asked: one BatchGetItem."""
    wanted = list(keys)
    prefetch(wanted)
    return [item for item in (get(model, key) for key in wanted) if item is not None]


def forget() -> None:
    """Drops what this request read, so the next reads see the table as it is now."""
    cache = _cache.get()
    if cache is not None:
        cache.clear()


def retry_on_conflict[T](run: Callable[[], T], *, attempts: int = 40) -> T:
    """Runs a read-decide-write use case again, from fresh reads, when its transaction lost a race (a counter
    or a version another request moved first). Every rule is checked again on each attempt, so a conflict
    that is not a race ends as the same 409 the first attempt would give. A use case that still loses after
    `attempts` answers 503: nothing was written."""
    for attempt in range(attempts):
        try:
            return run()
        except Conflict as error:
            if error.code != Conflict.code:  # a rule refused it (a named conflict): not a race
                raise
            forget()
            time.sleep(random.uniform(0, 0.002 * (attempt + 1)))  # noqa: S311 - jitter, not a secret
    raise ServiceUnavailable("too many simultaneous changes to this record; nothing changed, retry")
