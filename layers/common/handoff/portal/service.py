"""Use cases of the customer portal: customers and units (portal accounts are memberships: accounts).

A portal user (client roles only) sees the customers its account is given, their units, and nothing else of
the tenant: anything outside answers 404, exactly like something that does not exist.
"""

from __future__ import annotations

from typing import Any

from handoff import keys
from handoff.auth.access import Access
from handoff.errors import BadRequest, Conflict, Forbidden, Invalid, NotFound, check_live
from handoff.events.envelope import new_event, user_actor
from handoff.partners import public as partners
from handoff.portal import repository as repo
from handoff.portal.schemas import (
    CustomerCreate,
    CustomerOut,
    CustomerPage,
    CustomerPatch,
    UnitCreate,
    UnitOut,
    UnitPage,
    UnitPatch,
)
from handoff.store.pages import decode_cursor, encode_cursor, page_of_ids

SOURCE = "handoff.portal"
CUSTOMER_NOT_FOUND = "customer not found"
UNIT_NOT_FOUND = "unit not found"
PORTAL_EDITABLE_UNIT_FIELDS = frozenset({"odometer", "hours", "po_number"})


def _event(access: Access, type: str, entity: tuple[str, str], version: int, **data: Any) -> Any:
    return new_event(
        source=SOURCE,
        type=type,
        tenant_id=access.tenant,
        entity_type=entity[0],
        entity_id=entity[1],
        version=version,
        actor=user_actor(access.user_id, access.tenant),
        data=data,
    )


# ---- customers ---------------------------------------------------------------------------------------------


def _customer_out(item: repo.CustomerItem) -> CustomerOut:
    return CustomerOut.model_validate(item, from_attributes=True)


def _visible_customer(access: Access, customer_id: str) -> repo.CustomerItem:
    item = repo.get_customer(access.tenant, customer_id)
    if item is None or not access.may_see_customer(customer_id):
        raise NotFound(CUSTOMER_NOT_FOUND)
    return item


def list_customers(
    access: Access, name_prefix: str | None, include_archived: bool, limit: int, cursor: str | None
) -> CustomerPage:
    if access.is_portal_user:  # one BatchGetItem over the account's own companies
        scope = keys.cursor_scope(
            keys.CursorQuery.MY_CUSTOMERS, access.tenant, access.user_id, name_prefix, include_archived
        )
        ids, next_cursor = page_of_ids(sorted(access.customer_ids), limit, cursor, scope)
        mine = [
            c
            for c in repo.get_customers(access.tenant, ids)
            if (include_archived or not c.archived)
            and (not name_prefix or c.name.casefold().startswith(name_prefix.casefold()))
        ]
        return CustomerPage(items=[_customer_out(c) for c in mine], next_cursor=next_cursor)
    page = repo.list_customers(access.tenant, name_prefix, include_archived, limit, cursor)
    items = [_customer_out(c) for c in page.items]
    return CustomerPage(items=items, next_cursor=page.next_cursor)


def partner_org_customers(
    access: Access, partner_org_id: str, limit: int, cursor: str | None
) -> CustomerPage:
    """A partner organization's customers tab: those naming it, then each of its org units' customers (those
    naming no organization themselves), by name. A page reads one partition (one Query) and, when that ends,
    finds the next org unit (one Query of one item): it may come back short, even empty, with a cursor."""
    if partners.is_live(access.tenant, partner_org_id) is None:
        raise NotFound("partner organization not found")
    scope = keys.cursor_scope(keys.CursorQuery.PARTNER_ORG_CUSTOMERS, access.tenant, partner_org_id)
    start = decode_cursor(cursor, scope)
    direct = keys.partner_org_customers(access.tenant, partner_org_id)
    units = keys.partner_org_units(access.tenant, partner_org_id)
    unit_key: dict[str, Any] | None = None  # the org unit whose customers this page reads
    resume: dict[str, Any] | None = None
    partition = direct
    if start is not None:
        index = start["GSI3PK"]["S"] if "GSI3PK" in start else ""
        if index == units:  # the first page of this org unit's customers
            unit_key = start
        elif "UNIT_SK" in start:  # more of an org unit's customers
            unit_key = _unit_key(access.tenant, units, start.pop("UNIT_ID")["S"], start.pop("UNIT_SK")["S"])
            resume = start
        elif index == direct:
            resume = start
        else:
            raise BadRequest("the cursor is not valid for this list", code="invalid_cursor")
        if unit_key is not None:
            unit_id = _unit_id(access.tenant, unit_key)
            if not partners.org_unit_of(access.tenant, unit_id, partner_org_id):
                # It moved to another organization (or was archived) since the last page: go on past it.
                following = partners.next_org_unit(access.tenant, partner_org_id, unit_key)
                return CustomerPage(
                    items=[], next_cursor=encode_cursor(following[1], scope) if following else None
                )
            partition = keys.org_unit_customers(access.tenant, unit_id)
    found, last = repo.customers_in(partition, resume, limit)
    if last:
        marker = (
            {}
            if unit_key is None
            else {
                "UNIT_ID": {"S": _unit_id(access.tenant, unit_key)},
                "UNIT_SK": unit_key["GSI3SK"],
            }
        )
        next_cursor = encode_cursor({**last, **marker}, scope)
    else:
        following = partners.next_org_unit(access.tenant, partner_org_id, unit_key)
        next_cursor = encode_cursor(following[1], scope) if following else None
    return CustomerPage(items=[_customer_out(c) for c in found], next_cursor=next_cursor)


def _unit_id(tenant_id: str, unit_key: dict[str, Any]) -> str:
    return str(unit_key["PK"]["S"]).removeprefix(keys.org_unit(tenant_id, "")[0])


def _unit_key(tenant_id: str, units: str, unit_id: str, sort: str) -> dict[str, Any]:
    pk, sk = keys.org_unit(tenant_id, unit_id)
    return {"PK": {"S": pk}, "SK": {"S": sk}, "GSI3PK": {"S": units}, "GSI3SK": {"S": sort}}


def get_customer(access: Access, customer_id: str) -> CustomerOut:
    return _customer_out(_visible_customer(access, customer_id))


def _check_partner_org(tenant_id: str, partner_org_id: str | None, org_unit_id: str | None = None) -> None:
    """The organization and the org unit a customer is put in exist and are live."""
    for field, value, live_of, noun in (
        ("partner_org_id", partner_org_id, partners.is_live, "partner organization"),
        ("org_unit_id", org_unit_id, partners.org_unit_is_live, "org unit"),
    ):
        if value is not None:
            check_live(field, live_of(tenant_id, value), noun)


def create_customer(access: Access, body: CustomerCreate) -> CustomerOut:
    _check_partner_org(access.tenant, body.partner_org_id, body.org_unit_id)
    item = repo.new_customer(access.tenant, access.user_id, **body.model_dump())
    repo.save(item, _event(access, "CustomerCreated", ("customer", item.customer_id), 1, name=item.name))
    return _customer_out(item)


def update_customer(access: Access, customer_id: str, patch: CustomerPatch) -> CustomerOut:
    item = _visible_customer(access, customer_id)
    changes = patch.model_dump(exclude_unset=True)
    _check_partner_org(access.tenant, changes.get("partner_org_id"), changes.get("org_unit_id"))
    for field, value in changes.items():
        setattr(item, field, value)
    event = _event(
        access, "CustomerUpdated", ("customer", customer_id), (item.version or 0) + 1, changed=sorted(changes)
    )
    repo.save(item, event)
    return _customer_out(item)


# ---- units -------------------------------------------------------------------------------------------------


def _unit_out(item: repo.UnitItem) -> UnitOut:
    return UnitOut.model_validate(item, from_attributes=True)


def _visible_unit(access: Access, unit_id: str) -> repo.UnitItem:
    item = repo.get_unit(access.tenant, unit_id)
    if item is None or not access.may_see_customer(item.customer_id):
        raise NotFound(UNIT_NOT_FOUND)
    return item


def list_units(
    access: Access, customer_id: str, include_archived: bool, limit: int, cursor: str | None
) -> UnitPage:
    if not access.may_see_customer(customer_id):
        raise NotFound(CUSTOMER_NOT_FOUND)
    page = repo.list_units(access.tenant, customer_id, include_archived, limit, cursor)
    if not page.items and cursor is None:
        _visible_customer(access, customer_id)  # an empty list: is there such a customer at all?
    items = [_unit_out(u) for u in page.items]
    return UnitPage(items=items, next_cursor=page.next_cursor)


def get_unit(access: Access, unit_id: str) -> UnitOut:
    return _unit_out(_visible_unit(access, unit_id))


def create_unit(access: Access, customer_id: str, body: UnitCreate) -> UnitOut:
    if _visible_customer(access, customer_id).archived:
        raise Conflict("this customer is archived; restore it to add units", code="archived")
    item = repo.new_unit(access.tenant, customer_id, access.user_id, **body.model_dump())
    repo.save(item, _event(access, "UnitCreated", ("unit", item.unit_id), 1, customer_id=customer_id))
    return _unit_out(item)


def update_unit(access: Access, unit_id: str, patch: UnitPatch) -> UnitOut:
    item = _visible_unit(access, unit_id)
    changes = patch.model_dump(exclude_unset=True)
    if access.is_portal_user and set(changes) - PORTAL_EDITABLE_UNIT_FIELDS:
        raise Forbidden("portal users may update a unit's readings (odometer, hours) and PO number only")
    for reading in ("odometer", "hours"):
        before = getattr(item, reading)
        if changes.get(reading) is not None and before is not None and changes[reading] < before:
            raise Invalid(reading, f"cannot go back (it was {before:g})")
    for field, value in changes.items():
        setattr(item, field, value)
    event = _event(
        access,
        "UnitUpdated",
        ("unit", unit_id),
        (item.version or 0) + 1,
        customer_id=item.customer_id,
        changed=sorted(changes),
    )
    repo.save(item, event)
    return _unit_out(item)
