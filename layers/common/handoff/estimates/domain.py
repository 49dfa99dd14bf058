"""Pure rules of an estimate: the one table of legal actions (who may take each), server-side totals, line
checks, and the line-level diff between two versions. No AWS, no HTTP."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from handoff.auth.policy import Action as Permission
from handoff.errors import Conflict, Forbidden, Invalid

MAX_LABOUR_LINES = 30
MAX_PARTS_PER_LINE = 30


class EstimateStatus(StrEnum):
    DRAFT = "draft"
    AWAITING_CUSTOMER = "awaiting_customer"
    DISPUTED = "disputed"
    APPROVED = "approved"
    DECLINED = "declined"
    EXPIRED = "expired"


class Side(StrEnum):
    SHOP = "shop"
    CUSTOMER = "customer"
    SYSTEM = "system"


class Action(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    DECLINE = "decline"
    DISPUTE = "dispute"
    ACKNOWLEDGE_DISPUTE = "acknowledge-dispute"
    RESUBMIT = "resubmit"
    REVISE = "revise"  # reopen an approved, declined or expired estimate as a draft of its next version
    EXPIRE = "expire"
    NOTE = "note"  # either side writes into the one history; the status stays


# The one table of legal actions: (status, action) -> new status.
TRANSITIONS: dict[tuple[EstimateStatus, Action], EstimateStatus] = {
    (EstimateStatus.DRAFT, Action.SUBMIT): EstimateStatus.AWAITING_CUSTOMER,
    (EstimateStatus.AWAITING_CUSTOMER, Action.APPROVE): EstimateStatus.APPROVED,
    (EstimateStatus.AWAITING_CUSTOMER, Action.DECLINE): EstimateStatus.DECLINED,
    (EstimateStatus.AWAITING_CUSTOMER, Action.DISPUTE): EstimateStatus.DISPUTED,
    (EstimateStatus.DISPUTED, Action.DECLINE): EstimateStatus.DECLINED,
    (EstimateStatus.DISPUTED, Action.ACKNOWLEDGE_DISPUTE): EstimateStatus.DISPUTED,
    (EstimateStatus.DISPUTED, Action.RESUBMIT): EstimateStatus.AWAITING_CUSTOMER,
    (EstimateStatus.AWAITING_CUSTOMER, Action.EXPIRE): EstimateStatus.EXPIRED,
    (EstimateStatus.APPROVED, Action.REVISE): EstimateStatus.DRAFT,
    (EstimateStatus.DECLINED, Action.REVISE): EstimateStatus.DRAFT,
    (EstimateStatus.EXPIRED, Action.REVISE): EstimateStatus.DRAFT,
    **{(status, Action.NOTE): status for status in EstimateStatus},
}
# Who may take each action: the customer decides, the shop writes and answers, time expires, both talk.
_SHOP, _CUSTOMER = frozenset({Side.SHOP}), frozenset({Side.CUSTOMER})
SIDES: dict[Action, frozenset[Side]] = {
    Action.SUBMIT: _SHOP,
    Action.APPROVE: _CUSTOMER,
    Action.DECLINE: _CUSTOMER,
    Action.DISPUTE: _CUSTOMER,
    Action.ACKNOWLEDGE_DISPUTE: _SHOP,
    Action.RESUBMIT: _SHOP,
    Action.REVISE: _SHOP,
    Action.EXPIRE: frozenset({Side.SYSTEM}),
    Action.NOTE: _SHOP | _CUSTOMER,
}
EDITABLE = frozenset({EstimateStatus.DRAFT, EstimateStatus.DISPUTED})  # the shop adjusts lines while disputed
FREEZES = frozenset({Action.SUBMIT, Action.RESUBMIT})  # each submission freezes a version


# What the policy is asked for each step of the one `{action}` route: customers decide, both sides write
# notes, the shop does the rest.
PERMISSIONS: dict[Action, Permission] = {
    Action.APPROVE: Permission.ESTIMATE_DECIDE,
    Action.DECLINE: Permission.ESTIMATE_DECIDE,
    Action.DISPUTE: Permission.ESTIMATE_DECIDE,
    Action.NOTE: Permission.ESTIMATE_NOTE,
}


def permission_for(step: str) -> Permission:
    """The policy action a request for `step` performs (an unknown step is refused later, as input)."""
    try:
        return PERMISSIONS.get(Action(step), Permission.ESTIMATE_ACT)
    except ValueError:
        return Permission.ESTIMATE_ACT


def take(
    status: EstimateStatus, action: Action, side: Side, *, dispute_acknowledged: bool = False
) -> EstimateStatus:
    """The status after `side` takes `action`. Who may act is checked before the state (403 before 409),
    so a state check never tells a caller more than a permission check would."""
    if side not in SIDES[action]:
        who = " or ".join(sorted(s.value for s in SIDES[action]))
        raise Forbidden(f"only the {who} can {action.value} an estimate", code="wrong_side")
    after = TRANSITIONS.get((status, action))
    if after is None:
        raise Conflict(
            f"an estimate that is {status.value} cannot take '{action.value}'", code="illegal_transition"
        )
    if action is Action.RESUBMIT and not dispute_acknowledged:
        raise Conflict("acknowledge the dispute before resubmitting", code="dispute_not_acknowledged")
    if action is Action.ACKNOWLEDGE_DISPUTE and dispute_acknowledged:
        raise Conflict(
            "this dispute is acknowledged already; adjust and resubmit", code="already_acknowledged"
        )
    return after


def check_editable(status: EstimateStatus) -> None:
    if status not in EDITABLE:
        raise Conflict(
            f"an estimate that is {status.value} is read-only; revise it to change it", code="read_only"
        )


# ---- lines and totals -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    part_id: str
    part_number: str
    description: str
    quantity: Decimal
    unit_price: int  # minor units


@dataclass(frozen=True)
class LabourLine:
    line_id: str
    description: str
    hours: Decimal
    hourly_rate: int  # minor units per hour
    labour_code: str | None = None
    parts: tuple[Part, ...] = field(default=())


def _money(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def labour_total(line: LabourLine) -> int:
    return _money(line.hours * line.hourly_rate)


def part_total(part: Part) -> int:
    return _money(part.quantity * part.unit_price)


@dataclass(frozen=True)
class Totals:
    labour: int
    parts: int
    subtotal: int
    tax_rate_bp: int
    tax: int
    grand_total: int


def totals(lines: Iterable[LabourLine], tax_rate_bp: int) -> Totals:
    """Computed by the server only (never taken from input): line totals half up, tax on the subtotal."""
    lines = list(lines)
    labour = sum(labour_total(line) for line in lines)
    parts = sum(part_total(part) for line in lines for part in line.parts)
    subtotal = labour + parts
    tax = _money(Decimal(subtotal) * tax_rate_bp / 10_000)
    return Totals(labour, parts, subtotal, tax_rate_bp, tax, subtotal + tax)


def check_lines(lines: Sequence[LabourLine]) -> None:
    """At least one labour line; every part sits under a labour line (the schema nests them); ids unique."""
    if not lines:
        raise Invalid("labour_lines", "an estimate needs at least one labour line; parts belong to one")
    seen: set[str] = set()
    for index, line in enumerate(lines):
        for identifier in (line.line_id, *(p.part_id for p in line.parts)):
            if identifier in seen:
                raise Invalid(f"labour_lines.{index}", f"the id {identifier} is used twice")
            seen.add(identifier)


def chosen_lines(lines: Sequence[LabourLine], approved_ids: Sequence[str] | None) -> list[LabourLine]:
    """The labour lines an approval covers: all of them, or those named (the rest are declined with it)."""
    if approved_ids is None:
        return list(lines)
    known = {line.line_id for line in lines}
    unknown = [i for i in approved_ids if i not in known]
    if unknown:
        raise Invalid("line_ids", f"no such labour line in this version: {', '.join(unknown)}")
    if not approved_ids:
        raise Invalid("line_ids", "approve at least one labour line, or decline the estimate")
    wanted = set(approved_ids)
    return [line for line in lines if line.line_id in wanted]


def check_dispute(
    lines: Sequence[LabourLine], line_ids: Iterable[str], part_ids: Iterable[str], whole: Iterable[str]
) -> None:
    """A dispute names something: labour lines, parts, or a whole side ('labour', 'parts')."""
    line_known = {line.line_id for line in lines}
    part_known = {part.part_id for line in lines for part in line.parts}
    line_ids, part_ids, whole = list(line_ids), list(part_ids), list(whole)
    if not (line_ids or part_ids or whole):
        raise Invalid("items", "name the disputed labour lines or parts, or a whole side")
    for name, given, known in (("line_id", line_ids, line_known), ("part_id", part_ids, part_known)):
        unknown = [i for i in given if i not in known]
        if unknown:
            raise Invalid(f"items.{name}", f"not in the version disputed: {', '.join(unknown)}")


# ---- versions and their diff ------------------------------------------------------------------------------

LINE_FIELDS = ("description", "hours", "hourly_rate", "labour_code", "total")
PART_FIELDS = ("part_number", "description", "quantity", "unit_price", "total")


def _flat(lines: Iterable[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Labour lines and parts of a frozen version, by (kind, id)."""
    flat: dict[tuple[str, str], dict[str, Any]] = {}
    for line in lines:
        flat[("labour_line", line["line_id"])] = {k: line.get(k) for k in LINE_FIELDS}
        for part in line.get("parts", []):
            flat[("part", part["part_id"])] = {
                **{k: part.get(k) for k in PART_FIELDS},
                "line_id": line["line_id"],
            }
    return flat


def diff(
    older: list[dict[str, Any]],
    newer: list[dict[str, Any]],
    older_totals: dict[str, int],
    newer_totals: dict[str, int],
) -> dict[str, Any]:
    """Line-level: what was added, removed, and which fields changed (old and new), plus total deltas."""
    before, after = _flat(older), _flat(newer)
    added = [{"kind": k, "id": i, **after[(k, i)]} for k, i in after if (k, i) not in before]
    removed = [{"kind": k, "id": i, **before[(k, i)]} for k, i in before if (k, i) not in after]
    changed = []
    for key in after:
        if key in before and before[key] != after[key]:
            fields = {
                name: {"old": before[key].get(name), "new": value}
                for name, value in after[key].items()
                if before[key].get(name) != value
            }
            changed.append({"kind": key[0], "id": key[1], "fields": fields})
    deltas = {
        name: newer_totals[name] - older_totals.get(name, 0) for name in newer_totals if name != "tax_rate_bp"
    }
    return {"added": added, "removed": removed, "changed": changed, "total_deltas": deltas}
