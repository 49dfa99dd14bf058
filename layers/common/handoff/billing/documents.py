"""Invoices as CSV, either kind: a row per line, then the totals (amounts in minor units)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

HEADER = ["invoice", "number", "kind", "description", "quantity", "unit_cents", "amount_cents"]


def as_csv(
    invoice_id: str,
    number: str | None,
    lines: Iterable[tuple[str, str, str, int, int]],
    totals: Sequence[tuple[str, int]],
) -> str:
    """`lines`: (kind, description, quantity, unit, amount); `totals`: (label, amount) rows after them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for line in lines:
        writer.writerow([invoice_id, number or "", *line])
    for label, cents in totals:
        writer.writerow([invoice_id, number or "", label, "", "", "", cents])
    return out.getvalue()
