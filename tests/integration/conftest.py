"""Fixtures shared by the portal's integration tests."""

import pytest


@pytest.fixture
def shop(api):
    owner = api.user("owner@shop.example")
    api.tenant(owner, "shop")
    admin = api.as_(owner)
    customers = [
        admin.post("/tenants/shop/customers", {"name": n}).json["customer_id"] for n in ("North", "South")
    ]
    units = [
        admin.post(f"/tenants/shop/customers/{c}/units", {"name": "Truck"}).json["unit_id"] for c in customers
    ]
    accounts = []
    for index, customer in enumerate(customers):
        email = f"fleet{index}@client.example"
        created = admin.post(
            "/tenants/shop/portal-accounts",
            {"email": email, "name": "Fleet", "role": "customer", "customer_ids": [customer]},
        ).json
        token = api.issuer.token(created["user_id"], email)
        accounts.append(type("User", (), {"auth": {"Authorization": f"Bearer {token}"}}))
    dispatcher = api.member(owner, "shop", "dana@shop.example", ["dispatcher"])
    return {
        "owner": owner,
        "dispatcher": dispatcher,
        "units": units,
        "customers": customers,
        "portal": accounts,
    }
