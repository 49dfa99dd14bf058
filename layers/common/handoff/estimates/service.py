"""Use cases of estimates: the shop writes and submits, the customer approves (all or chosen labour lines),
declines or disputes, the shop acknowledges, adjusts and resubmits. Each submission freezes a version;
approval produces the work required, exactly once; deadlines run in Step Functions from the events."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from handoff.accounts import public as accounts
from handoff.auth.access import Access
from handoff.errors import Invalid, NotFound, check_version
from handoff.estimates import domain
from handoff.estimates import repository as repo
from handoff.estimates.domain import Action, EstimateStatus, Side
from handoff.estimates.schemas import (
    DiffOut,
    EstimateCreate,
    EstimateOut,
    EstimatePage,
    EstimatePatch,
    EstimateStep,
    EstimateSummary,
    EstimateSummaryPage,
    HistoryOut,
    LabourLineIn,
    VersionOut,
    VersionPage,
)
from handoff.events.envelope import Actor, Envelope, new_event, user_actor
from handoff.ids import new_id, utc_now
from handoff.portal import public as portal
from handoff.store.table import Item
from handoff.tickets import intake

SOURCE = "handoff.estimates"
ESTIMATE_NOT_FOUND = "estimate not found"
EVENT_OF_ACTION = {
    Action.SUBMIT: "EstimateSubmitted",
    Action.RESUBMIT: "EstimateResubmitted",
    Action.APPROVE: "EstimateApproved",
    Action.DECLINE: "EstimateDeclined",
    Action.DISPUTE: "EstimateDisputed",
    Action.ACKNOWLEDGE_DISPUTE: "EstimateDisputeAcknowledged",
    Action.REVISE: "EstimateRevised",
    Action.EXPIRE: "EstimateExpired",
    Action.NOTE: "EstimateNoteAdded",
}


# ---- lines: stored as JSON with decimals as strings, totals computed on the way out ----------------------


def _rate(tenant_id: str, currency: str, index: int, line: LabourLineIn) -> int:
    """The line's own rate, or the shop's rate card's for its work type, in force today and in the
    estimate's currency (what the customer approves is the rate the estimate shows)."""
    if line.hourly_rate is not None:
        return line.hourly_rate
    # Imported here: only a line without its rate asks billing, and the estimates API starts without it.
    from handoff.billing import public as billing

    rate = billing.shop_rate(tenant_id, currency, line.work_type, utc_now().date().isoformat())
    if rate is None:
        raise Invalid(
            f"labour_lines.{index}.hourly_rate",
            "name the rate, or give the shop a rate card in this currency that names this work type",
        )
    return rate


def _stored_lines(tenant_id: str, currency: str, lines: list[LabourLineIn]) -> list[dict[str, Any]]:
    stored = []
    for index, line in enumerate(lines):
        parts = [
            {
                "part_id": part.part_id or new_id(),
                "part_number": part.part_number,
                "description": part.description,
                "quantity": f"{part.quantity:f}",
                "unit_price": part.unit_price,
            }
            for part in line.parts
        ]
        stored.append(
            {
                "line_id": line.line_id or new_id(),
                "description": line.description,
                "hours": f"{line.hours:f}",
                "hourly_rate": _rate(tenant_id, currency, index, line),
                "work_type": line.work_type,
                "labour_code": line.labour_code,
                "parts": parts,
            }
        )
    return stored


def _domain_lines(stored: list[dict[str, Any]]) -> list[domain.LabourLine]:
    return [
        domain.LabourLine(
            line_id=line["line_id"],
            description=line["description"],
            hours=Decimal(line["hours"]),
            hourly_rate=int(line["hourly_rate"]),
            labour_code=line.get("labour_code"),
            parts=tuple(
                domain.Part(
                    part_id=p["part_id"],
                    part_number=p["part_number"],
                    description=p["description"],
                    quantity=Decimal(p["quantity"]),
                    unit_price=int(p["unit_price"]),
                )
                for p in line.get("parts", [])
            ),
        )
        for line in stored
    ]


def _priced(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lines with each line's and part's total (what versions freeze and the API shows)."""
    priced = []
    for line, model in zip(stored, _domain_lines(stored), strict=True):
        parts = [
            {**p, "total": domain.part_total(m)}
            for p, m in zip(line.get("parts", []), model.parts, strict=True)
        ]
        priced.append({**line, "parts": parts, "total": domain.labour_total(model)})
    return priced


def _totals(stored: list[dict[str, Any]], tax_rate_bp: int) -> dict[str, int]:
    return vars(domain.totals(_domain_lines(stored), tax_rate_bp)).copy()


def _tax_rate(tenant_id: str) -> int:
    return accounts.tax_rate_bp(tenant_id)


# ---- reads -----------------------------------------------------------------------------------------------


def _side(access: Access) -> Side:
    return Side.CUSTOMER if access.is_portal_user else Side.SHOP


def _visible(access: Access, estimate_id: str) -> repo.EstimateItem:
    """The shop sees its estimates; a portal user those of its companies once sent to it (never a draft
    that was never submitted). Anything else answers exactly like a missing estimate."""
    item = repo.get_estimate(access.tenant, estimate_id)
    if item is None or not access.may_see_customer(item.customer_id):
        raise NotFound(ESTIMATE_NOT_FOUND)
    if access.is_portal_user and not item.submitted_version:
        raise NotFound(ESTIMATE_NOT_FOUND)
    return item


def _out(access: Access, item: repo.EstimateItem) -> EstimateOut:
    """A portal user sees what was sent (the newest frozen version's lines), never the shop's working copy."""
    lines: list[dict[str, Any]] = item.labour_lines
    tax, currency = _tax_rate(item.tenant_id), item.currency
    frozen_view = access.is_portal_user or EstimateStatus(item.status) not in domain.EDITABLE
    if frozen_view and item.submitted_version:  # what was sent: its lines, its tax, its currency
        version = repo.get_version(item.tenant_id, item.estimate_id, int(item.submitted_version))
        if version is not None:
            lines, tax, currency = version.labour_lines, int(version.totals["tax_rate_bp"]), version.currency
    return EstimateOut.model_validate(
        {
            "estimate_id": item.estimate_id,
            "customer_id": item.customer_id,
            "unit_id": item.unit_id,
            "booking_id": item.booking_id,
            "status": item.status,
            "currency": currency or "",
            "labour_lines": _priced(lines),
            "totals": _totals(lines, tax),
            "submitted_version": int(item.submitted_version),
            "approved_version": int(item.approved_version) if item.approved_version else None,
            "approved_line_ids": item.approved_line_ids,
            "dispute": item.dispute,
            "version": item.version,
            "created_at": item.created_at,
            "updated_at": item.updated_at,
        }
    )


def get(access: Access, estimate_id: str) -> EstimateOut:
    return _out(access, _visible(access, estimate_id))


def list_(
    access: Access,
    status: EstimateStatus,
    customer_id: str | None,
    limit: int,
    cursor: str | None,
) -> EstimatePage:
    """The shop's board by status; a portal user (or the shop naming a customer): a customer's estimates."""
    if access.is_portal_user and customer_id is None:
        if len(access.customer_ids) != 1:
            raise Invalid("customer_id", "name which of your companies to list", location="query")
        customer_id = next(iter(access.customer_ids))
    if customer_id is not None:
        if not access.may_see_customer(customer_id):
            raise NotFound("customer not found")
        page = repo.of_customer(access.tenant, customer_id, limit, cursor)
    else:
        page = repo.board(access.tenant, status.value, limit, cursor)
    return EstimatePage(items=[_out(access, e) for e in page.items], next_cursor=page.next_cursor)


def of_unit(access: Access, unit_id: str, limit: int, cursor: str | None) -> EstimateSummaryPage:
    """A unit's estimates, newest first: one Query of the unit's partition (portal users: what was sent)."""
    unit = portal.unit(access.tenant, unit_id)
    if unit is None or not access.may_see_customer(unit.customer_id):
        raise NotFound("unit not found")
    page = repo.of_unit(access.tenant, unit_id, limit, cursor)
    shown = [e for e in page.items if not access.is_portal_user or e.submitted_version]
    items = [
        EstimateSummary(
            estimate_id=e.estimate_id,
            status=e.status,
            submitted_version=int(e.submitted_version),
            updated_at=e.updated_at,
        )
        for e in shown
    ]
    return EstimateSummaryPage(items=items, next_cursor=page.next_cursor)


def _version_out(item: repo.VersionItem) -> VersionOut:
    return VersionOut.model_validate(
        {
            "estimate_id": item.estimate_id,
            "version": int(item.number),
            "currency": item.currency,
            "labour_lines": item.labour_lines,
            "totals": item.totals,
            "submitted_at": item.submitted_at,
            "submitted_by": item.submitted_by,
        }
    )


def versions(access: Access, estimate_id: str, limit: int, cursor: str | None) -> VersionPage:
    _visible(access, estimate_id)
    page = repo.versions(access.tenant, estimate_id, limit, cursor)
    return VersionPage(items=[_version_out(v) for v in page.items], next_cursor=page.next_cursor)


def _version(access: Access, estimate_id: str, number: int) -> repo.VersionItem:
    version = repo.get_version(access.tenant, estimate_id, number)
    if version is None:
        raise NotFound("no such version of this estimate")
    return version


def version(access: Access, estimate_id: str, number: int) -> VersionOut:
    _visible(access, estimate_id)
    return _version_out(_version(access, estimate_id, number))


def diff(access: Access, estimate_id: str, number: int, against: int) -> DiffOut:
    _visible(access, estimate_id)
    newer, older = repo.get_versions(access.tenant, estimate_id, [number, against])
    if newer is None or older is None:
        raise NotFound("no such version of this estimate")
    changes = domain.diff(older.labour_lines, newer.labour_lines, older.totals, newer.totals)
    return DiffOut(estimate_id=estimate_id, version=number, against=against, **changes)


def history(access: Access, estimate_id: str) -> HistoryOut:
    return HistoryOut(estimate_id=estimate_id, entries=list(_visible(access, estimate_id).history))


# ---- writes ----------------------------------------------------------------------------------------------


def _event(item: repo.EstimateItem, type: str, actor: Actor, **data: Any) -> Envelope:
    return new_event(
        source=SOURCE,
        type=type,
        tenant_id=item.tenant_id,
        entity_type="estimate",
        entity_id=item.estimate_id,
        version=(item.version or 0) + 1,
        actor=actor,
        data={
            "customer_id": item.customer_id,
            "unit_id": item.unit_id,
            "status": item.status,
            "submitted_version": int(item.submitted_version),
            **data,
        },
    )


def create(access: Access, body: EstimateCreate) -> EstimateOut:
    unit = portal.unit(access.tenant, body.unit_id)
    if unit is None:
        raise Invalid("unit_id", "no such unit")
    if unit.archived:
        raise Invalid("unit_id", "this unit is archived")
    stored = _stored_lines(access.tenant, body.currency, body.labour_lines)
    domain.check_lines(_domain_lines(stored))
    item = repo.new_estimate(
        access.tenant, unit.customer_id, unit.unit_id, currency=body.currency, created_by=access.user_id
    )
    item.labour_lines = stored
    item.record("create", Side.SHOP.value, access.user_id)
    repo.save(
        item, [_event(item, "EstimateCreated", user_actor(access.user_id, access.tenant))], created=True
    )
    return _out(access, item)


def update(
    access: Access, estimate_id: str, patch: EstimatePatch, expected_version: int | None
) -> EstimateOut:
    item = _visible(access, estimate_id)
    check_version(expected_version, item.version)
    domain.check_editable(EstimateStatus(item.status))
    changed = sorted(patch.model_fields_set)
    if patch.labour_lines is not None:
        stored = _stored_lines(access.tenant, patch.currency or item.currency, patch.labour_lines)
        domain.check_lines(_domain_lines(stored))
        item.labour_lines = stored
    if patch.currency is not None:
        item.currency = patch.currency
    item.record("adjust", Side.SHOP.value, access.user_id, changed=changed)
    event = _event(item, "EstimateAdjusted", user_actor(access.user_id, access.tenant), changed=changed)
    repo.save(item, [event])
    return _out(access, item)


def act(access: Access, estimate_id: str, action: Action, body: EstimateStep) -> EstimateOut:
    item = _visible(access, estimate_id)
    _apply(item, action, _side(access), access.user_id, body, user_actor(access.user_id, access.tenant))
    return _out(access, item)


def _apply(
    item: repo.EstimateItem, action: Action, side: Side, by: str, body: EstimateStep, actor: Actor
) -> None:
    acknowledged = bool((item.dispute or {}).get("acknowledged"))
    after = domain.take(EstimateStatus(item.status), action, side, dispute_acknowledged=acknowledged)
    frozen: repo.VersionItem | None = None
    work: list[Item] = []
    superseded: list[Item] = []
    extra: list[Envelope] = []
    details: dict[str, Any] = {"note": body.note}
    if action in domain.FREEZES:
        domain.check_lines(_domain_lines(item.labour_lines))
        if not item.currency:
            raise Invalid("currency", "set the estimate's currency before submitting it")
        number = int(item.submitted_version) + 1
        priced = _priced(item.labour_lines)
        frozen = repo.frozen(item, number, priced, _totals(item.labour_lines, _tax_rate(item.tenant_id)), by)
        item.submitted_version = number
        item.approved_version, item.approved_line_ids, item.dispute = None, None, None
        # A new version replaces what an earlier approval produced: its work not yet started is superseded.
        superseded = intake.superseded_work(item.tenant_id, list(item.work_ids or []))
        item.work_ids = None
        details["version"] = number
    elif action is Action.APPROVE:
        number = int(item.submitted_version)
        sent = repo.get_version(item.tenant_id, item.estimate_id, number)
        assert sent is not None, "a submitted estimate has its frozen version"
        chosen = domain.chosen_lines(_domain_lines(sent.labour_lines), body.line_ids)
        chosen_ids = [line.line_id for line in chosen]
        approved = [line for line in sent.labour_lines if line["line_id"] in set(chosen_ids)]
        work = intake.approved_work(
            item.tenant_id, item.estimate_id, number, item.unit_id, item.customer_id, approved
        )
        item.approved_version, item.approved_line_ids = number, chosen_ids
        item.work_ids = intake.work_ids(work)
        declined = [line["line_id"] for line in sent.labour_lines if line["line_id"] not in set(chosen_ids)]
        details.update(version=number, approved_line_ids=chosen_ids, declined_line_ids=declined)
    elif action is Action.DECLINE:
        if not body.note:
            raise Invalid("note", "give the shop a reason")
    elif action is Action.DISPUTE:
        sent = repo.get_version(item.tenant_id, item.estimate_id, int(item.submitted_version))
        assert sent is not None
        domain.check_dispute(
            _domain_lines(sent.labour_lines),
            [i.line_id for i in body.items if i.line_id],
            [i.part_id for i in body.items if i.part_id],
            [i.side for i in body.items if i.side],
        )
        disputed = [i.model_dump(exclude_none=True) for i in body.items]
        item.dispute = {
            "version": int(item.submitted_version),
            "by": by,
            "items": disputed,
            "note": body.note,
        }
        details.update(version=int(item.submitted_version), items=disputed)
    elif action is Action.NOTE:
        if not body.note:
            raise Invalid("note", "write the note")
    elif action is Action.ACKNOWLEDGE_DISPUTE:
        if not body.note:
            raise Invalid("note", "tell the customer how the dispute is handled")
        item.dispute = {**(item.dispute or {}), "acknowledged": {"by": by, "note": body.note}}
    item.status = after.value
    item.record(action.value, side.value, by, **details)
    event = _event(item, EVENT_OF_ACTION[action], actor, **details)
    if work:
        extra.append(
            _event(
                item,
                "WorkRequiredCreated",
                actor,
                version=details["version"],
                work_ids=intake.work_ids(work),
            )
        )
    staged = (lambda tx: intake.stage(tx, work, superseded)) if work or superseded else None
    repo.save(item, [event, *extra], version=frozen, also=staged)


# ---- deadlines (from the Step Functions workflow, through the bus) ---------------------------------------

SYSTEM = Actor(kind="system", id="estimate-deadlines")


def deadline_passed(kind: str, tenant_id: str, estimate_id: str, version: int) -> str:
    """A deadline of one submission (or of the dispute of one) passed. Only if that very wait still stands
    does anything happen: a decision, a resubmission or a revision made the timer stale."""
    item = repo.get_estimate(tenant_id, estimate_id)
    if item is None or int(item.submitted_version) != version:
        return "stale"
    status = EstimateStatus(item.status)
    if kind == "decision" and status is EstimateStatus.AWAITING_CUSTOMER:
        _apply(item, Action.EXPIRE, Side.SYSTEM, SYSTEM.id, EstimateStep(), SYSTEM)
        return "expired"
    if kind == "reminder" and status is EstimateStatus.AWAITING_CUSTOMER:
        # Only the event: a reminder changes nothing, so it must not make a racing decision a 409.
        reminder = _event(item, "EstimateReminderDue", SYSTEM, version=version)
        reminder.version = item.version or 0  # nothing changed: the entity's version stays
        repo.announce(item, reminder)
        return "reminded"
    if kind == "dispute" and status is EstimateStatus.DISPUTED:
        item.record("escalate", Side.SYSTEM.value, SYSTEM.id, version=version)
        repo.save(item, [_event(item, "EstimateDisputeEscalated", SYSTEM, version=version)])
        return "escalated"
    return "stale"
