"""Booking requests: the customer asks, shop and customer negotiate, and an unanswered suggestion expires."""

import time

import boto3

SLOT = "2030-06-01T09:00:00+02:00"
TUESDAY = "2030-06-04T14:00:00+02:00"
WEDNESDAY = "2030-06-05T08:00:00+02:00"


def request(api, shop, who=0):
    response = api.as_(shop["portal"][who]).post(
        "/tenants/shop/booking-requests",
        {"unit_id": shop["units"][who], "slot": SLOT, "description": "Brakes squeal"},
    )
    assert response.status_code == 201, response.json
    return response.json


def step(api, user, booking, action, **body):
    return api.as_(user).post(f"/tenants/shop/booking-requests/{booking['booking_id']}/{action}", body)


def test_the_full_negotiation_and_its_history(api, shop):
    booking = request(api, shop)
    customer, dispatcher = shop["portal"][0], shop["dispatcher"]

    suggested = step(api, dispatcher, booking, "suggest", slot=TUESDAY, note="Tuesday afternoon?")
    countered = step(api, customer, booking, "suggest", slot=WEDNESDAY, note="Wednesday morning suits us")
    accepted = step(api, dispatcher, booking, "accept")

    assert suggested.json["status"] == countered.json["status"] == "negotiating"
    assert countered.json["suggested_by"] == "customer"
    assert accepted.status_code == 200 and accepted.json["status"] == "confirmed"
    assert accepted.json["slot"].startswith("2030-06-05T06:00:00")  # Wednesday 08:00 +02:00, stored in UTC
    history = api.as_(customer).get(f"/tenants/shop/booking-requests/{booking['booking_id']}").json["history"]
    assert [(h["step"], h["side"]) for h in history] == [
        ("request", "customer"),
        ("suggest", "shop"),
        ("suggest", "customer"),
        ("accept", "shop"),
    ]
    assert history[2]["note"] == "Wednesday morning suits us"


def test_the_shop_confirms_and_opens_a_draft_estimate(api, shop):
    booking = request(api, shop)

    confirmed = step(api, shop["dispatcher"], booking, "confirm-with-estimate")

    assert confirmed.json["status"] == "confirmed"
    assert confirmed.json["estimate_id"]


def test_a_decline_needs_a_reason_and_ends_the_booking(api, shop):
    booking = request(api, shop)

    without = step(api, shop["dispatcher"], booking, "decline")
    declined = step(api, shop["dispatcher"], booking, "decline", note="We do not service this model")
    confirm_after = step(api, shop["dispatcher"], booking, "confirm")

    assert without.status_code == 422
    assert declined.json["status"] == "declined"
    assert confirm_after.status_code == 409


def test_illegal_steps(api, shop):
    booking = request(api, shop)
    customer = shop["portal"][0]

    own_confirm = step(api, customer, booking, "confirm")
    past = step(api, shop["dispatcher"], booking, "suggest", slot="2001-01-01T09:00:00+00:00")
    naive = step(api, shop["dispatcher"], booking, "suggest", slot="2030-01-01T09:00:00")
    answer_nothing = step(api, customer, booking, "accept")
    step(api, customer, booking, "suggest", slot=TUESDAY)
    answer_own = step(api, customer, booking, "accept")
    unknown = step(api, customer, booking, "expire")

    assert own_confirm.status_code == 403  # the customer never confirms: refused whatever the state
    assert past.status_code == naive.status_code == 422
    assert past.json["error"]["details"][0]["field"] == "body.slot"
    assert answer_nothing.status_code == answer_own.status_code == 409
    assert unknown.status_code == 422


def test_a_rejected_suggestion_goes_back_to_the_shop(api, shop):
    booking = request(api, shop)
    step(api, shop["dispatcher"], booking, "suggest", slot=TUESDAY)

    rejected = step(api, shop["portal"][0], booking, "reject", note="Tuesday is impossible")

    assert rejected.json["status"] == "requested" and rejected.json["pending_slot"] is None


def test_the_board_lists_by_status_newest_first(api, shop):
    first, second = request(api, shop), request(api, shop)
    third = request(api, shop)
    step(api, shop["dispatcher"], third, "suggest", slot=TUESDAY)

    requested = (
        api.as_(shop["dispatcher"]).get("/tenants/shop/booking-requests?status=requested").json["items"]
    )
    negotiating = (
        api.as_(shop["dispatcher"]).get("/tenants/shop/booking-requests?status=negotiating").json["items"]
    )

    assert [b["booking_id"] for b in requested] == [second["booking_id"], first["booking_id"]]
    assert [b["booking_id"] for b in negotiating] == [third["booking_id"]]


def test_a_portal_user_sees_only_its_own_bookings(api, shop):
    mine = request(api, shop, who=0)
    theirs = request(api, shop, who=1)
    north = api.as_(shop["portal"][0])

    assert north.get(f"/tenants/shop/booking-requests/{theirs['booking_id']}").status_code == 404
    assert step(api, shop["portal"][0], theirs, "suggest", slot=TUESDAY).status_code == 404
    assert [b["booking_id"] for b in north.get("/tenants/shop/booking-requests").json["items"]] == [
        mine["booking_id"]
    ]
    other_unit = north.post(
        "/tenants/shop/booking-requests", {"unit_id": shop["units"][1], "slot": SLOT, "description": "x"}
    )
    assert other_unit.status_code == 422


def test_an_unanswered_suggestion_expires_on_step_functions(api, shop, runtime, bus_observer):
    """The suggestion's timer is a real execution of the template's state machine (1 s deadline in tests)."""
    booking = request(api, shop)
    step(api, shop["dispatcher"], booking, "suggest", slot=TUESDAY)
    bus_observer()

    deadline = time.monotonic() + 15
    status = "negotiating"
    while status == "negotiating" and time.monotonic() < deadline:
        time.sleep(0.3)
        runtime.pump()
        status = (
            api.as_(shop["portal"][0])
            .get(f"/tenants/shop/booking-requests/{booking['booking_id']}")
            .json["status"]
        )

    assert status == "expired"
    events = [e["detail-type"] for e in bus_observer()]
    assert "BookingExpired" in events and "BookingSuggestionDeadlinePassed" in events
    history = (
        api.as_(shop["dispatcher"])
        .get(f"/tenants/shop/booking-requests/{booking['booking_id']}")
        .json["history"]
    )
    assert history[-1]["step"] == "expire" and history[-1]["side"] == "system"


def _executions(aws_env) -> dict[str, str]:
    sfn = boto3.client("stepfunctions")
    listed = sfn.list_executions(stateMachineArn=aws_env.refs["BookingExpiryStateMachine"])["executions"]
    return {e["name"]: e["status"] for e in listed}


def test_an_answered_suggestion_does_not_expire(api, shop, runtime, aws_env):
    booking = request(api, shop)
    step(api, shop["dispatcher"], booking, "suggest", slot=TUESDAY)
    runtime.pump()  # BookingSuggested -> bus -> workflow starter -> the timer's execution
    timer = f"booking-{booking['booking_id']}-v2"
    assert _executions(aws_env) == {timer: "RUNNING"}
    step(api, shop["portal"][0], booking, "accept")

    deadline = time.monotonic() + 15
    while _executions(aws_env)[timer] == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _executions(aws_env)[timer] == "SUCCEEDED"  # the timer did fire ...
    runtime.pump()  # ... and its deadline event reached the bookings worker

    read = api.as_(shop["dispatcher"]).get(f"/tenants/shop/booking-requests/{booking['booking_id']}").json
    assert read["status"] == "confirmed"
    assert [h["step"] for h in read["history"]][-1] == "accept"


def test_a_redelivered_suggestion_event_starts_no_second_timer(api, shop, runtime, aws_env, bus_observer):
    booking = request(api, shop)
    step(api, shop["dispatcher"], booking, "suggest", slot=TUESDAY)
    suggested = next(e for e in bus_observer() if e["detail-type"] == "BookingSuggested")
    from devstack.gateway import LambdaContext
    from functions.workflows.app import lambda_handler

    again = lambda_handler(suggested, LambdaContext())  # EventBridge delivers at least once
    assert again["started"] == f"booking-{booking['booking_id']}-v2"
    assert len(_executions(aws_env)) == 1
