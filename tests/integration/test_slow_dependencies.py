"""A slow DynamoDB is a clear 503 with Retry-After (nothing half-done); every transaction carries the token
that makes botocore's retry of a committed one succeed instead of failing its conditions as a false 409."""

from __future__ import annotations

from botocore.exceptions import ReadTimeoutError

from handoff.store.table import client


def test_a_write_that_times_out_is_a_503_with_retry_after_and_changes_nothing(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    tokens = []
    client().meta.events.register(
        "provide-client-params.dynamodb.TransactWriteItems",
        lambda params, **_: tokens.append(params.get("ClientRequestToken")),
        unique_id="tokens",
    )

    def refuse(**_):
        raise ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")

    client().meta.events.register("before-call.dynamodb.TransactWriteItems", refuse, unique_id="slow")
    try:
        response = api.as_(owner).patch("/tenants/acme", {"name": "Renamed"})
    finally:
        client().meta.events.unregister("before-call.dynamodb.TransactWriteItems", unique_id="slow")
        client().meta.events.unregister(
            "provide-client-params.dynamodb.TransactWriteItems", unique_id="tokens"
        )
    assert response.status_code == 503, response.json
    assert response.headers["Retry-After"] == "2"
    assert response.json["error"]["code"] == "service_unavailable"
    assert len(tokens) == 1 and tokens[0], "the transaction carries a ClientRequestToken (retries reuse it)"
    assert api.as_(owner).get("/tenants/acme").json["name"] == "Acme"


def test_every_response_names_its_request(api):
    owner = api.user("owner@acme.example")
    response = api.as_(owner).get("/me")
    assert response.headers["X-Request-Id"]
    assert api.as_(None).get("/me").headers["X-Request-Id"]  # refusals too
