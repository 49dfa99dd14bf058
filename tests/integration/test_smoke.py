def test_create_tenant_and_me(api):
    owner = api.user("owner@acme.example", "Olivia")
    tenant = api.tenant(owner, "acme", "Acme")
    assert tenant["tenant_id"] == "acme"
    me = api.as_(owner).get("/me")
    assert me.status_code == 200, me.json
    assert me.json["places"][0]["tenant_id"] == "acme"
