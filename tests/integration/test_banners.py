"""Partner organizations' banners: every broken upload refused with its reason before any decoder sees it,
a valid one published re-encoded; each portal user sees the banner of its own company's partner organization."""

import pytest
import requests
from banner_files import BROKEN, chunks_of, transparent, valid

ORGS = "/tenants/acme/partner-organizations"


@pytest.fixture
def shop(api):
    owner = api.user("owner@acme.example")
    api.tenant(owner, "acme")
    admin = api.as_(owner)
    orgs = {
        name: admin.post(ORGS, {"name": name}).json["partner_org_id"] for name in ("Northside", "Southside")
    }
    customers = {}
    for name, org in (
        ("Fleet North", orgs["Northside"]),
        ("Fleet South", orgs["Southside"]),
        ("Alone", None),
    ):
        body = {"name": name, **({"partner_org_id": org} if org else {})}
        created = admin.post("/tenants/acme/customers", body)
        assert created.status_code == 201, created.json
        customers[name] = created.json["customer_id"]
    return {"owner": owner, "orgs": orgs, "customers": customers}


def upload(api, user, org, data, declared=None):
    asked = api.as_(user).post(
        f"{ORGS}/{org}/banner/upload", {"size_bytes": declared or min(len(data), 65536)}
    )
    assert asked.status_code == 200, asked.json
    post = asked.json
    sent = requests.post(post["url"], data=post["fields"], files={"file": ("b.png", data)}, timeout=10)
    assert sent.status_code in (200, 201, 204)
    return api.as_(user).post(f"{ORGS}/{org}/banner/confirm")


def portal_user(api, owner, email, customer_id):
    made = api.as_(owner).post(
        "/tenants/acme/portal-accounts",
        {"email": email, "name": email, "role": "customer", "customer_ids": [customer_id]},
    )
    assert made.status_code == 201, made.json
    return api.user(email)


@pytest.mark.parametrize("case", list(BROKEN))
def test_each_broken_banner_is_refused_with_its_reason(api, shop, case):
    data, reason = BROKEN[case]
    org = shop["orgs"]["Northside"]
    refused = upload(api, shop["owner"], org, data, declared=len(data) if len(data) <= 65536 else 4096)
    assert refused.status_code == 422, refused.json
    assert reason in refused.json["error"]["details"][0]["reason"]
    assert api.as_(shop["owner"]).get(f"{ORGS}/{org}").json["has_banner"] is False
    import boto3

    s3 = boto3.client("s3")
    [bucket] = [b["Name"] for b in s3.list_buckets()["Buckets"] if "banner" in b["Name"]]
    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0  # the upload is gone; nothing published


def test_a_valid_banner_is_published_re_encoded_and_shown_to_that_partners_customers_only(api, shop):
    north, south = shop["orgs"]["Northside"], shop["orgs"]["Southside"]
    original = valid()
    confirmed = upload(api, shop["owner"], north, original)
    assert confirmed.status_code == 200, confirmed.json
    assert confirmed.json["has_banner"] is True
    admin = api.as_(shop["owner"])
    assert admin.patch(f"{ORGS}/{south}", {"use_custom_banner": True}).status_code == 422  # none yet
    assert admin.patch(f"{ORGS}/{north}", {"use_custom_banner": True}).json["use_custom_banner"] is True

    northerner = portal_user(api, shop["owner"], "fleet@north.example", shop["customers"]["Fleet North"])
    southerner = portal_user(api, shop["owner"], "fleet@south.example", shop["customers"]["Fleet South"])
    seen = api.as_(northerner).get("/tenants/acme/portal/branding").json
    assert (seen["source"], seen["partner_org_id"]) == ("partner_organization", north)
    served = requests.get(seen["banner_url"], timeout=10).content
    assert served != original and served.startswith(b"\x89PNG")
    assert set(chunks_of(served)) <= {b"IHDR", b"PLTE", b"IDAT", b"IEND"}  # no ancillary chunk survives
    assert api.as_(southerner).get("/tenants/acme/portal/branding").json["source"] == "default"
    other = api.as_(southerner).get(
        "/tenants/acme/portal/branding", query_string={"customer_id": shop["customers"]["Fleet North"]}
    )
    assert other.status_code == 404  # never another company's

    # A refused replacement leaves the current banner in place.
    assert upload(api, shop["owner"], north, BROKEN["500x71"][0]).status_code == 422
    assert api.as_(northerner).get("/tenants/acme/portal/branding").json["source"] == "partner_organization"
    assert admin.patch(f"{ORGS}/{north}", {"use_custom_banner": False}).status_code == 200
    assert api.as_(northerner).get("/tenants/acme/portal/branding").json["source"] == "default"


def test_partner_organizations_stay_in_their_tenant(api, shop):
    rival = api.user("owner@rival.example")
    api.tenant(rival, "rival")
    org = shop["orgs"]["Northside"]
    hidden = api.as_(rival).get(f"{ORGS}/{org}")
    missing = api.as_(rival).get(f"{ORGS}/01JZZZZZZZZZZZZZZZZZZZZZZZ")
    assert hidden.status_code == missing.status_code == 404
    theirs = api.as_(rival).post("/tenants/rival/customers", {"name": "X", "partner_org_id": org})
    assert theirs.status_code == 422  # acme's organization is no organization of rival's
    assert api.as_(shop["owner"]).post(f"{ORGS}/{org}/banner/confirm").status_code == 409  # nothing asked
    too_big = api.as_(shop["owner"]).post(f"{ORGS}/{org}/banner/upload", {"size_bytes": 70_000})
    assert too_big.status_code == 422


def test_a_transparent_banner_stays_transparent(api, shop):
    import io

    from PIL import Image

    org = shop["orgs"]["Northside"]
    assert upload(api, shop["owner"], org, transparent()).status_code == 200
    api.as_(shop["owner"]).patch(f"{ORGS}/{org}", {"use_custom_banner": True})
    seen = (
        api.as_(shop["owner"])
        .get("/tenants/acme/portal/branding", query_string={"customer_id": shop["customers"]["Fleet North"]})
        .json
    )
    served = Image.open(io.BytesIO(requests.get(seen["banner_url"], timeout=10).content))
    assert served.convert("RGBA").getpixel((0, 0))[3] == 0


def test_a_customer_gets_its_org_units_partner_organization(api, shop):
    """Through the org unit: the unit names the organization, its customers show that organization's banner
    (a customer's own organization comes first)."""
    admin = api.as_(shop["owner"])
    north, south = shop["orgs"]["Northside"], shop["orgs"]["Southside"]
    unit = admin.post("/tenants/acme/org-units", {"name": "South region", "partner_org_id": south})
    assert unit.status_code == 201, unit.json
    unit_id = unit.json["org_unit_id"]
    assert [u["org_unit_id"] for u in admin.get(f"{ORGS}/{south}/org-units").json["items"]] == [unit_id]
    assert admin.get(f"{ORGS}/{north}/org-units").json["items"] == []
    for org in (north, south):
        assert upload(api, shop["owner"], org, valid()).status_code == 200
        admin.patch(f"{ORGS}/{org}", {"use_custom_banner": True})
    placed = admin.patch(f"/tenants/acme/customers/{shop['customers']['Alone']}", {"org_unit_id": unit_id})
    assert placed.status_code == 200 and placed.json["org_unit_id"] == unit_id
    alone = portal_user(api, shop["owner"], "alone@fleet.example", shop["customers"]["Alone"])
    assert api.as_(alone).get("/tenants/acme/portal/branding").json["partner_org_id"] == south
    admin.patch(f"/tenants/acme/customers/{shop['customers']['Alone']}", {"partner_org_id": north})
    assert (
        api.as_(alone).get("/tenants/acme/portal/branding").json["partner_org_id"] == north
    )  # its own first

    moved = admin.patch(f"/tenants/acme/org-units/{unit_id}", {"partner_org_id": None})
    assert moved.status_code == 200 and admin.get(f"{ORGS}/{south}/org-units").json["items"] == []
    admin.patch(f"/tenants/acme/org-units/{unit_id}", {"archived": True})
    refused = admin.patch(
        f"/tenants/acme/customers/{shop['customers']['Fleet South']}", {"org_unit_id": unit_id}
    )
    assert refused.status_code == 422 and "archived" in refused.json["error"]["details"][0]["reason"]
    rival = api.user("owner@rival.example")
    api.tenant(rival, "rival")
    assert api.as_(rival).get(f"/tenants/acme/org-units/{unit_id}").status_code == 404


def test_the_tenants_default_banner_shows_where_no_partner_banner_does(api, shop):
    """Checked like an organization's; shown to customers of no organization, and to those whose organization
    shows no banner of its own (custom off)."""
    admin = api.as_(shop["owner"])
    asked = admin.post("/tenants/acme/portal/banner/upload", {"size_bytes": len(BROKEN["499x70"][0])})
    sent = requests.post(
        asked.json["url"], data=asked.json["fields"], files={"file": ("b.png", BROKEN["499x70"][0])}
    )
    assert sent.status_code in (200, 201, 204)
    refused = admin.post("/tenants/acme/portal/banner/confirm")
    assert refused.status_code == 422 and BROKEN["499x70"][1] in refused.json["error"]["details"][0]["reason"]
    alone = portal_user(api, shop["owner"], "alone@x.example", shop["customers"]["Alone"])
    assert api.as_(alone).get("/tenants/acme/portal/branding").json["source"] == "default"

    original = valid()
    asked = admin.post("/tenants/acme/portal/banner/upload", {"size_bytes": len(original)})
    requests.post(
        asked.json["url"], data=asked.json["fields"], files={"file": ("b.png", original)}, timeout=10
    )
    confirmed = admin.post("/tenants/acme/portal/banner/confirm")
    assert confirmed.status_code == 200 and confirmed.json["has_banner"] is True, confirmed.json
    seen = api.as_(alone).get("/tenants/acme/portal/branding").json
    assert (seen["source"], seen["partner_org_id"]) == ("tenant", None)
    served = requests.get(seen["banner_url"], timeout=10).content
    assert served != original and set(chunks_of(served)) <= {b"IHDR", b"PLTE", b"IDAT", b"IEND"}
    northerner = portal_user(api, shop["owner"], "north@x.example", shop["customers"]["Fleet North"])
    assert api.as_(northerner).get("/tenants/acme/portal/branding").json["source"] == "tenant"  # custom off
    assert upload(api, shop["owner"], shop["orgs"]["Northside"], valid()).status_code == 200
    admin.patch(f"{ORGS}/{shop['orgs']['Northside']}", {"use_custom_banner": True})
    assert api.as_(northerner).get("/tenants/acme/portal/branding").json["source"] == "partner_organization"
