"""Estimates through API Gateway events and the local stack's Step Functions: lines and server totals, the
dispute loop with one history, frozen versions and their diff, exactly-once work required, deadlines."""

from __future__ import annotations

import threading
import time

import boto3
import pytest

SLOT = "2030-06-01T09:00:00+02:00"


def _lines(pad_price: int = 4500) -> list[dict]:
    return [
        {
            "description": "Replace the brake pads",
            "hours": "1.5",
            "hourly_rate": 9000,
            "labour_code": "BRK-01",
            "parts": [
                {"part_number": "BP-220", "description": "Pads", "quantity": "2", "unit_price": pad_price}
            ],
        },
        {"description": "Road test", "hours": "0.25", "hourly_rate": 9000},
        {"description": "Wash", "hours": "0.5", "hourly_rate": 3333},
    ]


@pytest.fixture
def shop(api, shop):
    """The portal's shop (tests/integration/conftest.py), charging 19 % tax."""
    assert api.as_(shop["owner"]).patch("/tenants/shop", {"tax_rate_bp": 1900}).status_code == 200
    return shop


def create(api, shop, lines=None, unit=0):
    response = api.as_(shop["dispatcher"]).post(
        "/tenants/shop/estimates",
        {
            "unit_id": shop["units"][unit],
            "currency": "EUR",
            "labour_lines": _lines() if lines is None else lines,
        },
    )
    assert response.status_code == 201, response.json
    return response.json


def act(api, user, estimate, action, **body):
    return api.as_(user).post(f"/tenants/shop/estimates/{estimate['estimate_id']}/{action}", body)


def test_an_estimate_needs_labour_and_every_part_sits_under_a_line(api, shop):
    dispatcher = api.as_(shop["dispatcher"])
    parts_only = dispatcher.post(
        "/tenants/shop/estimates",
        {
            "unit_id": shop["units"][0],
            "currency": "EUR",
            "labour_lines": [],
            "parts": [{"part_number": "X", "description": "Pads", "quantity": "1", "unit_price": 100}],
        },
    )
    assert parts_only.status_code == 422
    assert "parts" in {d["field"].split(".")[-1] for d in parts_only.json["error"]["details"]}
    no_labour = dispatcher.post(
        "/tenants/shop/estimates", {"unit_id": shop["units"][0], "currency": "EUR", "labour_lines": []}
    )
    assert (
        no_labour.status_code == 422 and no_labour.json["error"]["details"][0]["field"] == "body.labour_lines"
    )
    part_without_line = dispatcher.post(
        "/tenants/shop/estimates",
        {
            "unit_id": shop["units"][0],
            "currency": "EUR",
            "labour_lines": [{"part_number": "X", "description": "Pads", "quantity": "1", "unit_price": 100}],
        },
    )
    assert part_without_line.status_code == 422
    assert any(
        d["field"].startswith("body.labour_lines.0") for d in part_without_line.json["error"]["details"]
    )


def test_totals_are_the_servers_own(api, shop):
    sent_totals = api.as_(shop["dispatcher"]).post(
        "/tenants/shop/estimates",
        {
            "unit_id": shop["units"][0],
            "currency": "EUR",
            "labour_lines": _lines(),
            "totals": {"grand_total": 1},
        },
    )
    assert sent_totals.status_code == 422  # server-owned: never bound from input
    estimate = create(api, shop)
    # 1.5 h x 90.00 = 135.00; 2 x 45.00 = 90.00; 0.25 h x 90.00 = 22.50; 0.5 h x 33.33 = 16.665 -> 16.67
    assert [line["total"] for line in estimate["labour_lines"]] == [13500, 2250, 1667]
    assert estimate["labour_lines"][0]["parts"][0]["total"] == 9000
    assert estimate["totals"] == {
        "labour": 17417,
        "parts": 9000,
        "subtotal": 26417,
        "tax_rate_bp": 1900,
        "tax": 5019,  # 19 % of 264.17 = 50.1923 -> 50.19
        "grand_total": 31436,
    }


def test_the_full_dispute_loop_with_versions_diff_and_history(api, shop, runtime):
    customer, dispatcher = shop["portal"][0], shop["dispatcher"]
    estimate = create(api, shop)
    assert (
        api.as_(customer).get(f"/tenants/shop/estimates/{estimate['estimate_id']}").status_code == 404
    )  # a draft
    assert act(api, dispatcher, estimate, "submit").json["status"] == "awaiting_customer"
    pads = estimate["labour_lines"][0]["parts"][0]["part_id"]
    disputed = act(
        api, customer, estimate, "dispute", items=[{"part_id": pads, "note": "Pads cost 35 elsewhere"}]
    )
    assert disputed.status_code == 200, disputed.json
    assert disputed.json["status"] == "disputed"
    too_early = act(api, dispatcher, estimate, "resubmit")
    assert too_early.status_code == 409 and too_early.json["error"]["code"] == "dispute_not_acknowledged"
    assert act(api, dispatcher, estimate, "acknowledge-dispute", note="We match the price").status_code == 200

    adjusted = [dict(line) for line in estimate["labour_lines"]]
    for line in adjusted:
        line.pop("total")
        line["parts"] = [{k: v for k, v in p.items() if k != "total"} for p in line["parts"]]
    adjusted[0]["parts"][0]["unit_price"] = 3500
    patched = api.as_(dispatcher).patch(
        f"/tenants/shop/estimates/{estimate['estimate_id']}", {"labour_lines": adjusted}
    )
    assert patched.status_code == 200, patched.json
    assert act(api, dispatcher, estimate, "resubmit").json["submitted_version"] == 2

    chosen = [estimate["labour_lines"][0]["line_id"], estimate["labour_lines"][1]["line_id"]]
    approved = act(api, customer, estimate, "approve", line_ids=chosen)
    assert approved.status_code == 200, approved.json
    assert approved.json["status"] == "approved" and approved.json["approved_line_ids"] == chosen

    base = f"/tenants/shop/estimates/{estimate['estimate_id']}"
    for who in (customer, dispatcher):
        versions = api.as_(who).get(f"{base}/versions").json["items"]
        assert [v["version"] for v in versions] == [1, 2]
    first = api.as_(customer).get(f"{base}/versions/1").json
    assert first["labour_lines"][0]["parts"][0]["unit_price"] == 4500  # frozen as it was sent
    diff = api.as_(customer).get(f"{base}/versions/2/diff", query_string={"against": 1}).json
    assert diff["added"] == [] and diff["removed"] == []
    changed = {c["id"]: c["fields"] for c in diff["changed"]}
    assert changed[pads]["unit_price"] == {"old": 4500, "new": 3500}
    assert diff["total_deltas"]["parts"] == -2000

    history = api.as_(customer).get(f"{base}/history").json["entries"]
    assert [h["action"] for h in history] == [
        "create",
        "submit",
        "dispute",
        "acknowledge-dispute",
        "adjust",
        "resubmit",
        "approve",
    ]
    assert history[2]["items"][0]["note"] == "Pads cost 35 elsewhere"
    assert history[-1]["declined_line_ids"] == [estimate["labour_lines"][2]["line_id"]]

    work = api.as_(dispatcher).get("/tenants/shop/work-required").json["items"]
    assert sorted(w["line_id"] for w in work) == sorted(chosen)
    assert {w["estimate_version"] for w in work} == {2}
    unit_work = api.as_(dispatcher).get(
        "/tenants/shop/work-required", query_string={"unit_id": shop["units"][0]}
    )
    assert len(unit_work.json["items"]) == 2


def test_only_the_customer_decides_and_only_the_shop_writes(api, shop):
    estimate = create(api, shop)
    act(api, shop["dispatcher"], estimate, "submit")
    assert act(api, shop["dispatcher"], estimate, "approve").status_code == 403
    assert act(api, shop["owner"], estimate, "approve").status_code == 403
    assert act(api, shop["portal"][0], estimate, "submit").status_code == 403
    other_customer = api.as_(shop["portal"][1])
    for path in ("", "/history", "/versions", "/versions/1", "/versions/1/diff?against=1"):
        assert (
            other_customer.get(f"/tenants/shop/estimates/{estimate['estimate_id']}{path}").status_code == 404
        )
    assert act(api, shop["portal"][1], estimate, "approve").status_code == 404
    declined = act(api, shop["portal"][0], estimate, "decline")
    assert declined.status_code == 422 and declined.json["error"]["details"][0]["field"] == "body.note"


def test_two_approvals_at_once_make_one_set_of_work(api, shop):
    estimate = create(api, shop)
    act(api, shop["dispatcher"], estimate, "submit")
    results: list[int] = []
    barrier = threading.Barrier(2)

    def approve() -> None:
        barrier.wait()
        results.append(act(api, shop["portal"][0], estimate, "approve").status_code)

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 409]
    work = api.as_(shop["dispatcher"]).get("/tenants/shop/work-required").json["items"]
    assert len(work) == 3


def test_the_approved_version_is_locked_and_a_new_approval_supersedes_its_work(api, shop):
    estimate = create(api, shop)
    act(api, shop["dispatcher"], estimate, "submit")
    act(api, shop["portal"][0], estimate, "approve")
    edit = api.as_(shop["dispatcher"]).patch(
        f"/tenants/shop/estimates/{estimate['estimate_id']}", {"labour_lines": _lines(4000)}
    )
    assert edit.status_code == 409 and edit.json["error"]["code"] == "read_only"
    assert act(api, shop["dispatcher"], estimate, "revise").json["status"] == "draft"
    assert (
        api.as_(shop["dispatcher"])
        .patch(f"/tenants/shop/estimates/{estimate['estimate_id']}", {"labour_lines": _lines(4000)[:1]})
        .status_code
        == 200
    )
    act(api, shop["dispatcher"], estimate, "submit")
    assert act(api, shop["portal"][0], estimate, "approve").status_code == 200
    work = api.as_(shop["dispatcher"]).get("/tenants/shop/work-required").json["items"]
    assert [(w["estimate_version"], w["status"]) for w in work] == [
        (2, "open")
    ]  # version 1's work superseded


def _executions(aws_env) -> dict[str, str]:
    sfn = boto3.client("stepfunctions")
    listed = sfn.list_executions(stateMachineArn=aws_env.refs["EstimateDeadlineStateMachine"])["executions"]
    return {e["name"]: e["status"] for e in listed}


def test_an_unanswered_estimate_is_reminded_then_expires(api, shop, runtime, bus_observer):
    estimate = create(api, shop)
    act(api, shop["dispatcher"], estimate, "submit")
    deadline = time.monotonic() + 20
    status = "awaiting_customer"
    while status == "awaiting_customer" and time.monotonic() < deadline:
        time.sleep(0.3)
        runtime.pump()
        status = (
            api.as_(shop["dispatcher"])
            .get(f"/tenants/shop/estimates/{estimate['estimate_id']}")
            .json["status"]
        )
    assert status == "expired"
    types = [e["detail-type"] for e in bus_observer()]
    assert types.index("EstimateReminderDue") < types.index("EstimateExpired")
    history = (
        api.as_(shop["portal"][0]).get(f"/tenants/shop/estimates/{estimate['estimate_id']}/history").json
    )
    assert history["entries"][-1]["action"] == "expire" and history["entries"][-1]["side"] == "system"


def test_a_decision_ends_the_waiting_execution(api, shop, runtime, aws_env):
    estimate = create(api, shop)
    act(api, shop["dispatcher"], estimate, "submit")
    runtime.pump()  # EstimateSubmitted -> the starter
    name = f"estimate-{estimate['estimate_id']}-v1-decision"
    assert _executions(aws_env) == {name: "RUNNING"}
    act(api, shop["portal"][0], estimate, "approve")
    deadline = time.monotonic() + 10
    while _executions(aws_env)[name] == "RUNNING" and time.monotonic() < deadline:
        runtime.pump()  # EstimateApproved -> the starter stops the wait it answered (moto: asynchronously)
        time.sleep(0.1)
    assert _executions(aws_env) == {name: "ABORTED"}


def test_a_confirmed_booking_opens_a_real_draft(api, shop):
    booking = (
        api.as_(shop["portal"][0])
        .post(
            "/tenants/shop/booking-requests",
            {"unit_id": shop["units"][0], "slot": SLOT, "description": "Brakes"},
        )
        .json
    )
    confirmed = (
        api.as_(shop["dispatcher"])
        .post(f"/tenants/shop/booking-requests/{booking['booking_id']}/confirm-with-estimate", {})
        .json
    )
    draft = api.as_(shop["dispatcher"]).get(f"/tenants/shop/estimates/{confirmed['estimate_id']}")
    assert draft.status_code == 200, draft.json
    assert draft.json["status"] == "draft" and draft.json["booking_id"] == booking["booking_id"]
    no_currency = act(api, shop["dispatcher"], draft.json, "submit")
    assert no_currency.status_code == 422  # no labour line yet
    board = api.as_(shop["dispatcher"]).get("/tenants/shop/estimates", query_string={"status": "draft"}).json
    assert [e["estimate_id"] for e in board["items"]] == [confirmed["estimate_id"]]


def test_a_unit_lists_its_estimates_and_a_customer_only_what_was_sent(api, shop):
    sent, draft = create(api, shop), create(api, shop)
    act(api, shop["dispatcher"], sent, "submit")
    path = f"/tenants/shop/units/{shop['units'][0]}/estimates"
    shop_view = api.as_(shop["dispatcher"]).get(path).json["items"]
    assert [e["estimate_id"] for e in shop_view] == [
        draft["estimate_id"],
        sent["estimate_id"],
    ]  # newest first
    customer_view = api.as_(shop["portal"][0]).get(path).json["items"]
    assert [(e["estimate_id"], e["status"]) for e in customer_view] == [
        (sent["estimate_id"], "awaiting_customer")
    ]
    assert api.as_(shop["portal"][1]).get(path).status_code == 404
    listed = api.as_(shop["portal"][0]).get("/tenants/shop/estimates").json["items"]
    assert [e["estimate_id"] for e in listed] == [sent["estimate_id"]]


def test_what_was_sent_is_what_everyone_sees_until_the_shop_may_edit_again(api, shop):
    estimate = create(api, shop)
    act(api, shop["dispatcher"], estimate, "submit")
    api.as_(shop["owner"]).patch("/tenants/shop", {"tax_rate_bp": 2500})
    base = f"/tenants/shop/estimates/{estimate['estimate_id']}"
    shop_view, customer_view = (api.as_(u).get(base).json for u in (shop["dispatcher"], shop["portal"][0]))
    assert shop_view["totals"] == customer_view["totals"] and shop_view["totals"]["tax_rate_bp"] == 1900
    pads = estimate["labour_lines"][0]["parts"][0]["part_id"]
    act(api, shop["portal"][0], estimate, "dispute", items=[{"part_id": pads, "note": "Too dear"}])
    assert api.as_(shop["dispatcher"]).patch(base, {"currency": "USD"}).status_code == 200
    assert api.as_(shop["portal"][0]).get(base).json["currency"] == "EUR"  # the sent version's
    assert act(api, shop["dispatcher"], estimate, "acknowledge-dispute", note="Checking").status_code == 200
    again = act(api, shop["dispatcher"], estimate, "acknowledge-dispute", note="Still checking")
    assert again.status_code == 409 and again.json["error"]["code"] == "already_acknowledged"


def test_a_revision_supersedes_the_earlier_approvals_work_when_it_is_sent(api, shop):
    estimate = create(api, shop)
    act(api, shop["dispatcher"], estimate, "submit")
    act(api, shop["portal"][0], estimate, "approve")
    act(api, shop["dispatcher"], estimate, "revise")
    act(api, shop["dispatcher"], estimate, "submit")
    assert api.as_(shop["dispatcher"]).get("/tenants/shop/work-required").json["items"] == []
    act(api, shop["portal"][0], estimate, "decline", note="Not now")
    assert api.as_(shop["dispatcher"]).get("/tenants/shop/work-required").json["items"] == []


def test_equal_decimals_are_not_a_change(api, shop):
    lines = _lines()
    lines[0]["hours"] = "1.50"
    lines[0]["parts"][0]["quantity"] = "2.000"
    estimate = create(api, shop, lines=lines)
    assert estimate["labour_lines"][0]["hours"] == "1.50"
    act(api, shop["dispatcher"], estimate, "submit")
    act(api, shop["portal"][0], estimate, "dispute", items=[{"side": "labour", "note": "Check"}])
    act(api, shop["dispatcher"], estimate, "acknowledge-dispute", note="Checked")
    same = _lines()
    for line, sent in zip(same, estimate["labour_lines"], strict=True):
        line["line_id"] = sent["line_id"]
        for part, sent_part in zip(line.get("parts", []), sent["parts"], strict=True):
            part["part_id"] = sent_part["part_id"]
    base = f"/tenants/shop/estimates/{estimate['estimate_id']}"
    assert api.as_(shop["dispatcher"]).patch(base, {"labour_lines": same}).status_code == 200
    act(api, shop["dispatcher"], estimate, "resubmit")
    diff = api.as_(shop["dispatcher"]).get(f"{base}/versions/2/diff", query_string={"against": 1}).json
    assert diff["changed"] == [] and set(diff["total_deltas"].values()) == {0}


def test_an_if_match_that_is_not_ascii_digits_is_a_clear_422(api, shop):
    estimate = create(api, shop)
    for tag in ('"\u00b2"', '"\uff11"'):  # superscript two, fullwidth one
        response = api.as_(shop["dispatcher"]).patch(
            f"/tenants/shop/estimates/{estimate['estimate_id']}",
            {"currency": "USD"},
            headers={"If-Match": tag},
        )
        assert response.status_code == 422, response.json


def test_both_sides_write_notes_into_the_one_history(api, shop):
    estimate = create(api, shop)
    act(api, shop["dispatcher"], estimate, "submit")
    assert act(api, shop["portal"][0], estimate, "note", note="Can you do Friday?").status_code == 200
    assert act(api, shop["dispatcher"], estimate, "note", note="Friday works").status_code == 200
    assert act(api, shop["dispatcher"], estimate, "note").status_code == 422
    entries = (
        api.as_(shop["portal"][0]).get(f"/tenants/shop/estimates/{estimate['estimate_id']}/history").json
    )
    notes = [(e["side"], e["note"]) for e in entries["entries"] if e["action"] == "note"]
    assert notes == [("customer", "Can you do Friday?"), ("shop", "Friday works")]
    assert api.as_(shop["portal"][0]).get(f"/tenants/shop/estimates/{estimate['estimate_id']}").json[
        "status"
    ] == ("awaiting_customer")
