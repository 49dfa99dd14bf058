"""What the tickets context takes from others: approved estimate lines become work required on the service
board. The estimates context calls these public functions inside its approval's (or submission's)
transaction; the service board's items and keys stay this context's own."""

from __future__ import annotations

from typing import Any

from pynamodb.transactions import TransactWrite

from handoff.store.table import Item
from handoff.tickets import repository as repo


def approved_work(
    tenant_id: str,
    estimate_id: str,
    version: int,
    unit_id: str,
    customer_id: str,
    lines: list[dict[str, Any]],
) -> list[Item]:
    """One work-required item per approved labour line (with its parts), not yet written."""
    return [repo.new_work(tenant_id, estimate_id, version, unit_id, customer_id, line) for line in lines]


def work_ids(work: list[Item]) -> list[str]:
    return [w.work_id for w in work if isinstance(w, repo.WorkRequiredItem)]


def superseded_work(tenant_id: str, ids: list[str]) -> list[Item]:
    """The work of an earlier approval that no technician has started (one BatchGetItem): a new version
    replaces it. Work already on a work order stays there."""
    still_open = [w for w in repo.get_works(tenant_id, ids) if w.status == "open"]
    for work in still_open:
        work.status = "superseded"
        work.place()
    return list(still_open)


def stage(tx: TransactWrite, new: list[Item], superseded: list[Item]) -> None:
    """Into the caller's transaction: new work written once; superseded work only if still untouched (a
    clock-on that got there first makes the caller's transaction a 409)."""
    for work in new:
        tx.save(work, condition=Item.pk.does_not_exist())
    for work in superseded:
        tx.save(work, condition=repo.WorkRequiredItem.status == "open")
