"""DynamoDB calls per request (see `make bench-ddb`): one per item read, access check + Query per list."""


def test_an_item_read_is_one_call_and_a_list_is_the_access_check_plus_one_query(api, calls):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    tech = api.member(owner, "acme", "tech@acme.example", ["technician"])
    reads = {
        # the user's places, the owners linked to each instance where they are staff, then all their names
        "/me": 3,
        "/tenants/acme": 1,
        "/tenants/acme/members?name_prefix=t": 2,
        f"/tenants/acme/members/{tech.user_id}": 1,
    }
    for path, expected in reads.items():
        calls.clear()
        assert api.as_(owner).get(path).status_code == 200
        assert sum(calls.values()) == expected, (path, calls)
        assert calls["Scan"] == 0


def test_a_refused_caller_reads_twice_and_writes_nothing(api, calls):
    owner = api.user("owner@acme.example")
    rival = api.user("owner@rival.example")
    api.tenant(owner, "acme")
    calls.clear()

    assert api.as_(rival).patch("/tenants/acme", {"name": "x"}).status_code == 404
    # the access check, then the search for a servicer link through the caller's memberships
    assert dict(calls) == {"BatchGetItem": 1, "Query": 1}
