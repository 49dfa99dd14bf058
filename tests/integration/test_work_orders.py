"""Work orders through API Gateway events: approved labour on the service board, clock on (a work order with
the next repair order number), clock off, unit ready, ready to submit; one job per technician, entries that
never overlap, audited corrections, assignment like staff, ticket edits, and what a portal user sees."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

LINES = [
    {
        "description": "Replace the brake pads",
        "hours": "1.5",
        "hourly_rate": 9000,
        "labour_code": "BRK-01",
        "parts": [{"part_number": "BP-220", "description": "Pads", "quantity": "2", "unit_price": 4500}],
    },
    {"description": "Road test", "hours": "0.25", "hourly_rate": 9000},
]


def approved_work(api, shop, unit: int = 0, lines=None) -> list[dict]:
    """An estimate for the unit, sent and approved by its customer: its lines as work required."""
    dispatcher = api.as_(shop["dispatcher"])
    created = dispatcher.post(
        "/tenants/shop/estimates",
        {"unit_id": shop["units"][unit], "currency": "EUR", "labour_lines": lines or LINES},
    ).json
    estimate = created["estimate_id"]
    assert dispatcher.post(f"/tenants/shop/estimates/{estimate}/submit", {}).status_code == 200
    customer = api.as_(shop["portal"][unit])
    assert customer.post(f"/tenants/shop/estimates/{estimate}/approve", {}).status_code == 200
    work = dispatcher.get(f"/tenants/shop/units/{shop['units'][unit]}/work-required").json["items"]
    return [w for w in work if w["estimate_id"] == estimate]


@pytest.fixture
def techs(api, shop):
    return [api.member(shop["owner"], "shop", f"tech{i}@shop.example", ["technician"]) for i in range(3)]


def clock_on(api, user, work_id, **body):
    return api.as_(user).post(f"/tenants/shop/work-required/{work_id}/clock-on", body)


def test_from_approved_labour_to_ready_to_submit(api, shop, techs):
    work = approved_work(api, shop)
    board = api.as_(techs[0]).get("/tenants/shop/work-required").json["items"]
    assert [w["work_id"] for w in board] == [w["work_id"] for w in work]  # oldest first
    assert {w["status"] for w in board} == {"open"}

    opened = clock_on(api, techs[0], work[0]["work_id"])
    assert opened.status_code == 200, opened.json
    order = opened.json
    assert order["kind"] == "work_order" and order["status"] == "in_progress"
    assert order["ro_number"] == 1
    assert order["unit_id"] == shop["units"][0] and order["customer_id"] == shop["customers"][0]
    assert order["estimate_id"] == work[0]["estimate_id"] and order["estimate_version"] == 1
    [line] = order["lines"]
    assert line["description"] == "Replace the brake pads" and line["parts"][0]["part_number"] == "BP-220"
    assert line["estimated_minutes"] == 90
    assert [c["technician_id"] for c in order["clocked_on"]] == [techs[0].user_id]

    # The unit's other line joins the open work order (another technician clocks on to it).
    joined = clock_on(api, techs[1], work[1]["work_id"], work_order_id=order["ticket_id"])
    assert joined.status_code == 200, joined.json
    assert joined.json["ticket_id"] == order["ticket_id"] and len(joined.json["lines"]) == 2
    board = api.as_(techs[0]).get("/tenants/shop/work-required").json["items"]
    assert {(w["status"], w["work_order_id"]) for w in board} == {("in_progress", order["ticket_id"])}

    base = f"/tenants/shop/tickets/{order['ticket_id']}"
    off = api.as_(techs[0]).post(f"{base}/clock-off", {})
    assert off.status_code == 200, off.json
    assert [c["technician_id"] for c in off.json["clocked_on"]] == [techs[1].user_id]
    assert off.json["lines"][0]["variance_minutes"] == off.json["lines"][0]["clocked_minutes"] - 90

    ready = api.as_(techs[0]).post(f"{base}/unit-ready", {})
    assert ready.status_code == 200, ready.json
    assert ready.json["status"] == "ready_to_submit"
    assert ready.json["clocked_on"] == []  # whoever was still on it is clocked off
    listed = api.as_(shop["dispatcher"]).get(
        "/tenants/shop/tickets", query_string={"status": "ready_to_submit"}
    )
    assert [t["ticket_id"] for t in listed.json["items"]] == [order["ticket_id"]]
    assert api.as_(techs[0]).get("/tenants/shop/work-required").json["items"] == []  # off the board

    activity = api.as_(shop["dispatcher"]).get(f"{base}/activity").json["items"]
    clocked = [a for a in activity if a["kind"] == "clock"]
    assert {a["technician_id"] for a in clocked} == {techs[0].user_id, techs[1].user_id}
    assert all(a["stopped_at"] for a in clocked)
    steps = [a["step"] for a in activity if a["kind"] == "step"]
    assert steps[0] == "open-work-order" and "unit-ready" in steps and "ready-to-submit" in steps

    # Illegal moves are 409 through the one transition table; a technician cannot clock on to it now.
    assert api.as_(techs[0]).post(f"{base}/complete", {}).status_code == 409
    assert clock_on(api, techs[2], work[0]["work_id"]).status_code == 404  # the work is done
    terms = {"hourly_rate_cents": 5000, "currency": "EUR"}
    outsourced = api.as_(shop["dispatcher"]).post(
        f"{base}/outsource", {"servicer_id": "fixit", "terms": terms}
    )
    assert outsourced.status_code == 409  # a work order is never offered to a partner


def test_concurrent_clock_ons_take_consecutive_repair_order_numbers(api, shop):
    many = [{"description": f"Job {i}", "hours": "1", "hourly_rate": 5000} for i in range(20)]
    work = approved_work(api, shop, lines=many)
    assert len(work) == 20
    techs = [api.member(shop["owner"], "shop", f"crew{i}@shop.example", ["technician"]) for i in range(20)]
    barrier = threading.Barrier(20)
    numbers: list[int] = []
    failures: list[object] = []

    def go(index: int) -> None:
        barrier.wait()
        response = clock_on(api, techs[index], work[index]["work_id"])
        if response.status_code == 200:
            numbers.append(response.json["ro_number"])
        else:
            failures.append(response.json)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(numbers) == list(range(1, 21))


def test_a_technician_is_on_one_job_at_a_time_and_entries_never_overlap(api, shop, techs):
    first, second = approved_work(api, shop, 0), approved_work(api, shop, 1)
    assert clock_on(api, techs[0], first[0]["work_id"]).status_code == 200
    elsewhere = clock_on(api, techs[0], second[0]["work_id"])
    assert elsewhere.status_code == 409 and elsewhere.json["error"]["code"] == "already_clocked_on"
    # Two clock-ons of one technician at once: one job, never two.
    order = api.as_(techs[1])
    results: list[int] = []
    barrier = threading.Barrier(2)

    def go(work_id: str) -> None:
        barrier.wait()
        results.append(order.post(f"/tenants/shop/work-required/{work_id}/clock-on", {}).status_code)

    threads = [threading.Thread(target=go, args=(w,)) for w in (first[1]["work_id"], second[1]["work_id"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 409]

    # Clock off, on again: the entries follow each other; a correction that would overlap is refused.
    orders = {
        t["ticket_id"]
        for t in api.as_(shop["dispatcher"])
        .get("/tenants/shop/tickets", query_string={"status": "in_progress"})
        .json["items"]
    }
    tech = api.as_(techs[0])
    [mine] = [
        o
        for o in orders
        if any(
            c["technician_id"] == techs[0].user_id
            for c in tech.get(f"/tenants/shop/tickets/{o}").json["clocked_on"]
        )
    ]
    assert tech.post(f"/tenants/shop/tickets/{mine}/clock-off", {}).status_code == 200
    assert tech.post(f"/tenants/shop/tickets/{mine}/clock-off", {}).json["error"]["code"] == "not_clocked_on"
    assert clock_on(api, techs[0], first[0]["work_id"]).status_code == 200
    assert tech.post(f"/tenants/shop/tickets/{mine}/clock-off", {}).status_code == 200
    entries = [
        a
        for a in api.as_(shop["dispatcher"]).get(f"/tenants/shop/tickets/{mine}/activity").json["items"]
        if a["kind"] == "clock" and a["technician_id"] == techs[0].user_id
    ]
    assert len(entries) == 2
    earlier, later = sorted(entries, key=lambda e: e["started_at"])
    assert earlier["stopped_at"] <= later["started_at"]

    dispatcher = api.as_(shop["dispatcher"])
    entry_path = f"/tenants/shop/tickets/{mine}/time-entries"
    start = datetime.fromisoformat(earlier["started_at"])
    overlapping = dispatcher.patch(
        f"{entry_path}/{later['entry_id']}",
        {"started_at": (start - timedelta(hours=1)).isoformat(), "reason": "Started earlier"},
    )
    assert overlapping.status_code == 409 and overlapping.json["error"]["code"] == "time_overlap"
    moved = dispatcher.patch(
        f"{entry_path}/{earlier['entry_id']}",
        {"started_at": (start - timedelta(hours=2)).isoformat(), "reason": "Started before clocking on"},
    )
    assert moved.status_code == 200, moved.json
    [audit] = moved.json["corrections"]
    assert audit["by"] == shop["dispatcher"].user_id and audit["reason"] == "Started before clocking on"
    assert datetime.fromisoformat(audit["old"]["started_at"]) == start
    assert moved.json["minutes"] >= 120
    order_view = dispatcher.get(f"/tenants/shop/tickets/{mine}").json
    assert order_view["lines"][0]["clocked_minutes"] >= 120
    # Technicians do not correct time; the future is refused; an entry is at most a day.
    assert (
        tech.patch(
            f"{entry_path}/{earlier['entry_id']}", {"started_at": start.isoformat(), "reason": "x"}
        ).status_code
        == 403
    )
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    refused = dispatcher.patch(f"{entry_path}/{later['entry_id']}", {"stopped_at": future, "reason": "x"})
    assert refused.status_code == 422 and refused.json["error"]["details"][0]["field"] == "body.stopped_at"


def test_a_portal_user_sees_the_work_order_status_but_not_time_or_notes(api, shop, techs):
    work = approved_work(api, shop)
    order = clock_on(api, techs[0], work[0]["work_id"]).json
    dispatcher = api.as_(shop["dispatcher"])
    dispatcher.post(
        f"/tenants/shop/tickets/{order['ticket_id']}/notes", {"text": "Seized caliper", "internal": True}
    )
    customer = api.as_(shop["portal"][0])
    listed = customer.get(f"/tenants/shop/units/{shop['units'][0]}/work-orders")
    assert listed.status_code == 200, listed.json
    [status] = listed.json["items"]
    assert status == {
        "ticket_id": order["ticket_id"],
        "ro_number": 1,
        "unit_id": shop["units"][0],
        "status": "in_progress",
        "lines": [{"description": "Replace the brake pads", "labour_code": "BRK-01"}],
        "created_at": status["created_at"],
        "updated_at": status["updated_at"],
    }
    for path in ("", "/activity"):
        assert customer.get(f"/tenants/shop/tickets/{order['ticket_id']}{path}").status_code == 403
    assert (
        api.as_(shop["portal"][1]).get(f"/tenants/shop/units/{shop['units'][0]}/work-orders").status_code
        == 404
    )


def test_tickets_are_assigned_like_staff_and_edited_with_if_match(api, shop, techs):
    dispatcher = api.as_(shop["dispatcher"])
    ticket = dispatcher.post("/tenants/shop/tickets", {"title": "Check the lift"}).json
    base = f"/tenants/shop/tickets/{ticket['ticket_id']}"
    assigned = dispatcher.post(f"{base}/assign", {"assignee_id": techs[0].user_id})
    assert assigned.status_code == 200 and assigned.json["assignee_id"] == techs[0].user_id
    mine = api.as_(techs[0]).get("/tenants/shop/tickets", query_string={"assignee": "me"}).json["items"]
    assert [t["ticket_id"] for t in mine] == [ticket["ticket_id"]]
    reassigned = dispatcher.post(f"{base}/assign", {"assignee_id": techs[1].user_id, "note": "Swap"})
    assert reassigned.status_code == 200
    assert api.as_(techs[0]).get("/tenants/shop/tickets", query_string={"assignee": "me"}).json["items"] == []
    assert [h["step"] for h in dispatcher.get(base).json["history"]] == ["create", "assign", "assign"]
    # Not a member who takes work; not for technicians to hand out; portal users are not staff.
    customer_id = shop["customers"][0]
    portal_user = dispatcher.get("/tenants/shop/portal-accounts")
    assert api.as_(techs[0]).post(f"{base}/assign", {"assignee_id": techs[2].user_id}).status_code == 403
    missing = dispatcher.post(f"{base}/assign", {"assignee_id": "01JZZZZZZZZZZZZZZZZZZZZZZZ"})
    assert missing.status_code == 422 and missing.json["error"]["details"][0]["field"] == "body.assignee_id"
    both = dispatcher.post(f"{base}/assign", {"assignee_id": techs[0].user_id, "servicer_id": "fixit"})
    assert both.status_code == 422
    del customer_id, portal_user

    version = dispatcher.get(base).json["version"]
    patched = dispatcher.patch(
        base,
        {"title": "Check the lift hydraulics", "priority": "urgent", "due_date": "2030-01-31"},
        headers={"If-Match": f'"{version}"'},
    )
    assert patched.status_code == 200, patched.json
    assert (patched.json["title"], patched.json["priority"], patched.json["due_date"]) == (
        "Check the lift hydraulics",
        "urgent",
        "2030-01-31",
    )
    stale = dispatcher.patch(base, {"priority": "low"}, headers={"If-Match": f'"{version}"'})
    assert stale.status_code == 409
    no_location = dispatcher.patch(base, {"location_id": "01JZZZZZZZZZZZZZZZZZZZZZZZ"})
    assert no_location.status_code == 422
    location = api.as_(shop["owner"]).post("/tenants/shop/locations", {"name": "Bay 2"}).json["location_id"]
    assert dispatcher.patch(base, {"location_id": location}).json["location_id"] == location
    assert api.as_(techs[0]).patch(base, {"priority": "low"}).status_code == 403


def test_another_tenant_gets_404_on_every_work_order_route(api, shop, techs):
    work = approved_work(api, shop)
    order = clock_on(api, techs[0], work[0]["work_id"]).json
    rival = api.user("owner@rival.example")
    api.tenant(rival, "rival")
    other = api.as_(rival)
    for method, path, body in (
        ("GET", "/tenants/shop/work-required", None),
        ("GET", f"/tenants/shop/units/{shop['units'][0]}/work-required", None),
        ("GET", f"/tenants/shop/units/{shop['units'][0]}/work-orders", None),
        ("POST", f"/tenants/shop/work-required/{work[1]['work_id']}/clock-on", {}),
        ("POST", f"/tenants/shop/tickets/{order['ticket_id']}/clock-off", {}),
        ("POST", f"/tenants/shop/tickets/{order['ticket_id']}/unit-ready", {}),
        ("POST", f"/tenants/shop/tickets/{order['ticket_id']}/assign", {"assignee_id": techs[1].user_id}),
        ("PATCH", f"/tenants/shop/tickets/{order['ticket_id']}", {"priority": "low"}),
    ):
        response = other.request(method, path, json=body)
        assert response.status_code == 404, (path, response.json)


def test_a_cancelled_work_order_puts_its_work_back_on_the_board(api, shop, techs):
    [work, _] = approved_work(api, shop)
    order = clock_on(api, techs[0], work["work_id"]).json
    base = f"/tenants/shop/tickets/{order['ticket_id']}"
    dispatcher = api.as_(shop["dispatcher"])
    busy = dispatcher.post(f"{base}/pause", {})
    assert busy.status_code == 409 and busy.json["error"]["code"] == "clocked_on"
    # A dispatcher clocks the technician off; technicians clock only themselves.
    assert api.as_(techs[1]).post(f"{base}/clock-off", {"technician_id": techs[0].user_id}).status_code == 403
    assert dispatcher.post(f"{base}/clock-off", {"technician_id": techs[0].user_id}).status_code == 200
    assert dispatcher.post(f"{base}/pause", {}).status_code == 200
    assert dispatcher.post(f"{base}/cancel", {"note": "Customer took the truck away"}).status_code == 200
    [back] = [
        w
        for w in dispatcher.get("/tenants/shop/work-required").json["items"]
        if w["work_id"] == work["work_id"]
    ]
    assert (back["status"], back["work_order_id"]) == ("open", None)
    again = clock_on(api, techs[0], work["work_id"])
    assert again.status_code == 200 and again.json["ro_number"] == 2  # a number is never reused


def test_work_order_calls_stay_flat(api, shop, techs, calls):
    """One BatchGetItem and one transaction to open a work order; a board page is the access check and a
    Query, whatever the tenant holds."""
    [work, other] = approved_work(api, shop)
    calls.clear()
    order = clock_on(api, techs[0], work["work_id"]).json
    assert dict(calls) == {"BatchGetItem": 1, "TransactWriteItems": 1}
    clock_on(api, techs[1], other["work_id"], work_order_id=order["ticket_id"])
    calls.clear()
    assert (
        api.as_(techs[0]).post(f"/tenants/shop/tickets/{order['ticket_id']}/unit-ready", {}).status_code
        == 200
    )
    assert dict(calls) == {"BatchGetItem": 2, "TransactWriteItems": 1}
    calls.clear()
    assert api.as_(techs[0]).get("/tenants/shop/work-required").status_code == 200
    assert sum(calls.values()) == 2 and calls["Query"] == 1


def test_clocked_time_is_corrected_in_utc_only_while_worked_and_never_logged_by_hand(api, shop, techs):
    import time as clock
    from datetime import timezone

    work = approved_work(api, shop)
    order = clock_on(api, techs[0], work[0]["work_id"]).json
    base = f"/tenants/shop/tickets/{order['ticket_id']}"
    tech, dispatcher = api.as_(techs[0]), api.as_(shop["dispatcher"])
    assert tech.post(f"{base}/clock-off", {}).status_code == 200
    clock.sleep(1.1)
    assert clock_on(api, techs[0], work[0]["work_id"]).status_code == 200
    assert tech.post(f"{base}/clock-off", {}).status_code == 200
    entries = [a for a in dispatcher.get(f"{base}/activity").json["items"] if a["kind"] == "clock"]
    first, second = sorted(entries, key=lambda e: e["started_at"])
    # The same overlapping span, written with another offset, is the same overlap.
    minus5 = timezone(timedelta(hours=-5))
    start = (datetime.fromisoformat(first["started_at"]) - timedelta(minutes=10)).astimezone(minus5)
    stop = datetime.fromisoformat(second["stopped_at"]).astimezone(minus5)
    span = {"started_at": start.isoformat(), "stopped_at": stop.isoformat(), "reason": "x"}
    refused = dispatcher.patch(f"{base}/time-entries/{second['entry_id']}", span)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "time_overlap"
    # A work order's time is clocked, not logged.
    today = datetime.now(UTC).date().isoformat()
    logged = tech.post(f"{base}/time-entries", {"minutes": 600, "work_date": today})
    assert logged.status_code == 409 and logged.json["error"]["code"] == "clocked_time_only"
    # Ready to submit: what the shop invoices stands; reopen it to correct.
    assert tech.post(f"{base}/unit-ready", {}).status_code == 200
    earlier = (datetime.fromisoformat(first["started_at"]) - timedelta(hours=1)).isoformat()
    late = dispatcher.patch(
        f"{base}/time-entries/{first['entry_id']}", {"started_at": earlier, "reason": "x"}
    )
    assert late.status_code == 409 and late.json["error"]["code"] == "read_only"


def test_a_dispatcher_clocks_off_a_technician_deactivated_while_on_the_job(api, shop, techs):
    work = approved_work(api, shop)
    order = clock_on(api, techs[0], work[0]["work_id"]).json
    owner = api.as_(shop["owner"])
    assert owner.patch(f"/tenants/shop/members/{techs[0].user_id}", {"active": False}).status_code == 200
    off = api.as_(shop["dispatcher"]).post(
        f"/tenants/shop/tickets/{order['ticket_id']}/clock-off", {"technician_id": techs[0].user_id}
    )
    assert off.status_code == 200 and off.json["clocked_on"] == []
