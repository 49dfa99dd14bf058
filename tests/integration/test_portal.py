"""The customer access portal: customers, units, portal accounts; each portal account sees only its own."""

import pytest


@pytest.fixture
def shop(api):
    owner = api.user("owner@shop.example")
    api.tenant(owner, "shop")
    admin = api.as_(owner)
    customers = {
        name: admin.post("/tenants/shop/customers", {"name": name}).json["customer_id"]
        for name in ("Northwind", "Southwind", "Eastwind")
    }
    units = {
        name: admin.post(
            f"/tenants/shop/customers/{cid}/units", {"name": f"{name} Truck", "odometer": 1000}
        ).json["unit_id"]
        for name, cid in customers.items()
    }
    return {"owner": owner, "customers": customers, "units": units}


def portal_account(api, shop, email, role, companies):
    response = api.as_(shop["owner"]).post(
        "/tenants/shop/portal-accounts",
        {
            "email": email,
            "name": email.split("@")[0],
            "role": role,
            "customer_ids": [shop["customers"][c] for c in companies],
        },
    )
    assert response.status_code == 201, response.json
    user_id = response.json["user_id"]
    return type(
        "User",
        (),
        {"user_id": user_id, "auth": {"Authorization": f"Bearer {api.issuer.token(user_id, email)}"}},
    )


def test_a_customer_is_created_with_its_invoice_authorization_flag(api, shop):
    created = api.as_(shop["owner"]).post(
        "/tenants/shop/customers", {"name": "Westwind", "requires_invoice_authorization": True}
    )
    assert created.status_code == 201
    assert created.json["requires_invoice_authorization"] is True
    default = api.as_(shop["owner"]).get(f"/tenants/shop/customers/{shop['customers']['Northwind']}").json
    assert default["requires_invoice_authorization"] is False


def test_units_are_listed_by_customer(api, shop):
    cid = shop["customers"]["Northwind"]
    api.as_(shop["owner"]).post(
        f"/tenants/shop/customers/{cid}/units", {"name": "Forklift", "kind": "equipment"}
    )

    names = [
        u["name"] for u in api.as_(shop["owner"]).get(f"/tenants/shop/customers/{cid}/units").json["items"]
    ]

    assert names == ["Forklift", "Northwind Truck"]


def test_a_portal_user_sees_only_its_customers_units(api, shop):
    fleet = portal_account(api, shop, "fleet@northwind.example", "customer", ["Northwind"])
    portal = api.as_(fleet)

    own = portal.get(f"/tenants/shop/units/{shop['units']['Northwind']}")
    other = portal.get(f"/tenants/shop/units/{shop['units']['Southwind']}")
    missing = portal.get("/tenants/shop/units/01JZZZZZZZZZZZZZZZZZZZZZZZ")
    other_list = portal.get(f"/tenants/shop/customers/{shop['customers']['Southwind']}/units")

    assert own.status_code == 200
    assert other.status_code == missing.status_code == other_list.status_code == 404
    assert other.json == missing.json
    assert [c["name"] for c in portal.get("/tenants/shop/customers").json["items"]] == ["Northwind"]


def test_a_portal_user_cannot_call_shop_only_actions(api, shop):
    fleet = portal_account(api, shop, "fleet@northwind.example", "customer", ["Northwind"])
    portal = api.as_(fleet)
    cid = shop["customers"]["Northwind"]

    for response in (
        portal.post("/tenants/shop/customers", {"name": "Mine"}),
        portal.post(f"/tenants/shop/customers/{cid}/units", {"name": "Sneaky"}),
        portal.patch(f"/tenants/shop/customers/{cid}", {"name": "Renamed"}),
        portal.get("/tenants/shop/members"),
        portal.get("/tenants/shop/portal-accounts"),
        portal.get("/tenants/shop/locations"),
    ):
        assert response.status_code == 403, response.json


def test_a_portal_user_updates_readings_and_po_numbers_only(api, shop):
    fleet = portal_account(api, shop, "fleet@northwind.example", "customer", ["Northwind"])
    path = f"/tenants/shop/units/{shop['units']['Northwind']}"

    readings = api.as_(fleet).patch(path, {"odometer": 1500, "po_number": "PO-77"})
    renamed = api.as_(fleet).patch(path, {"name": "My Truck"})
    backwards = api.as_(fleet).patch(path, {"odometer": 900})

    assert readings.status_code == 200 and readings.json["po_number"] == "PO-77"
    assert renamed.status_code == 403
    assert backwards.status_code == 422 and backwards.json["error"]["details"][0]["field"] == "body.odometer"


def test_a_client_manager_sees_many_companies_with_one_login(api, shop):
    manager = portal_account(api, shop, "rep@clients.example", "client_rep_manager", ["Northwind"])
    base = f"/tenants/shop/portal-accounts/{manager.user_id}/companies"

    api.as_(shop["owner"]).request("PUT", f"{base}/{shop['customers']['Southwind']}")
    seen = [c["name"] for c in api.as_(manager).get("/tenants/shop/customers").json["items"]]
    me = api.as_(manager).get("/me").json["places"]
    api.as_(shop["owner"]).request("DELETE", f"{base}/{shop['customers']['Northwind']}")
    after = [c["name"] for c in api.as_(manager).get("/tenants/shop/customers").json["items"]]

    assert sorted(seen) == ["Northwind", "Southwind"]
    assert sorted(me[0]["customer_ids"]) == sorted(
        [shop["customers"]["Northwind"], shop["customers"]["Southwind"]]
    )
    assert sorted(c["name"] for c in me[0]["companies"]) == ["Northwind", "Southwind"]
    assert after == ["Southwind"]
    assert api.as_(manager).get(f"/tenants/shop/units/{shop['units']['Northwind']}").status_code == 404


def test_a_manager_with_one_login_per_company_ends_with_one(api, shop):
    first = portal_account(api, shop, "rep@northwind.example", "client_rep_manager", ["Northwind"])
    second = portal_account(api, shop, "rep@southwind.example", "client_rep_manager", ["Southwind"])

    merged = api.as_(shop["owner"]).post(
        f"/tenants/shop/members/{first.user_id}/merge", {"duplicate_user_ids": [second.user_id]}
    )
    seen = sorted(c["name"] for c in api.as_(first).get("/tenants/shop/customers").json["items"])

    assert merged.status_code == 200, merged.json
    assert seen == ["Northwind", "Southwind"]
    assert (
        api.as_(second).get("/tenants/shop/customers").status_code == 401
    )  # a retired login is no longer a credential


def test_a_portal_account_never_holds_shop_roles(api, shop):
    tech = api.member(shop["owner"], "shop", "tech@shop.example", ["technician"])

    as_portal = api.as_(shop["owner"]).post(
        "/tenants/shop/portal-accounts",
        {
            "email": "tech@shop.example",
            "name": "Tech",
            "role": "customer",
            "customer_ids": [shop["customers"]["Northwind"]],
        },
    )
    fleet = portal_account(api, shop, "fleet@northwind.example", "customer", ["Northwind"])
    promoted = api.as_(shop["owner"]).patch(
        f"/tenants/shop/members/{fleet.user_id}", {"roles": ["customer", "admin"]}
    )

    assert as_portal.status_code == 409 and as_portal.json["error"]["code"] == "staff_login"
    assert promoted.status_code == 422
    assert api.as_(tech).get("/tenants/shop/locations").status_code == 200


def test_portal_accounts_name_existing_customers(api, shop):
    response = api.as_(shop["owner"]).post(
        "/tenants/shop/portal-accounts",
        {
            "email": "x@y.example",
            "name": "X",
            "role": "customer",
            "customer_ids": ["01JZZZZZZZZZZZZZZZZZZZZZZZ"],
        },
    )

    assert response.status_code == 422
    assert response.json["error"]["details"][0]["field"] == "body.customer_ids"
