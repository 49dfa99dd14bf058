"""Each request's log line carries its own correlation id, also when the local stack serves requests at once."""

import threading

from handoff.api import app as api_app


def test_concurrent_requests_log_their_own_correlation_ids(api, monkeypatch):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    seen: list[tuple[str | None, str | None]] = []
    original = api_app.logger.info

    def record(message, *args, **kwargs):
        if message == "request":
            keys = api_app.logger.thread_safe_get_current_keys()
            seen.append((keys.get("correlation_id"), kwargs.get("route")))
        return original(message, *args, **kwargs)

    monkeypatch.setattr(api_app.logger, "info", record)
    barrier = threading.Barrier(8)
    answered: list[str] = []

    def call() -> None:
        barrier.wait()
        response = api.as_(owner).get("/tenants/acme")
        answered.append(response.headers["X-Request-Id"])

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    logged = [correlation for correlation, _ in seen]
    assert len(set(answered)) == 8
    assert sorted(logged) == sorted(answered)  # each line its own request's id, none shared


def test_concurrent_requests_of_different_users_never_mix_callers_or_paths(api):
    """The local stack serves requests at once in one process, where Powertools keeps the current event and
    the resolver's context on shared objects (Lambda runs one request per environment): a guard that the
    callers and paths of simultaneous requests stay their own."""
    users = [api.user(f"user{i}@concurrent.example") for i in range(12)]
    for index, user in enumerate(users):
        api.tenant(user, f"conc-{index}")
    barrier = threading.Barrier(len(users))
    mixed: list[str] = []

    def call(index: int) -> None:
        barrier.wait()
        for _ in range(5):
            me = api.as_(users[index]).get("/me").json
            tenant = api.as_(users[index]).get(f"/tenants/conc-{index}")
            if me["user_id"] != users[index].user_id or tenant.json.get("tenant_id") != f"conc-{index}":
                mixed.append(f"{index}: {me.get('user_id')} {tenant.status_code}")

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(users))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert mixed == []
