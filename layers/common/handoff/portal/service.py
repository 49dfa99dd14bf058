"""Use cases of the customer portal: customers, units and portal accounts.

A portal user (client roles only) sees the customers its account is given, their units, and nothing else of
the tenant: anything outside answers 404, exactly like something that does not exist.
"""

from __future__ import annotations

from typing import Any

from handoff import keys
from handoff.accounts import repository as accounts
from handoff.accounts.domain import check_roles
from handoff.auth.access import Access
from handoff.auth.policy import CLIENT_ROLES, STAFF_ROLES, Role
from handoff.errors import Conflict, Forbidden, Invalid, NotFound
from handoff.events.envelope import new_event, user_actor
from handoff.portal import repository as repo
from handoff.portal.schemas import (
    CustomerCreate,
    CustomerOut,
    CustomerPage,
    CustomerPatch,
    PortalAccountCreate,
    PortalAccountOut,
    PortalAccountPage,
    PortalAccountPatch,
    UnitCreate,
    UnitOut,
    UnitPage,
    UnitPatch,
)
from handoff.store.pages import page_of_ids

SOURCE = "handoff.portal"
CUSTOMER_NOT_FOUND = "customer not found"
UNIT_NOT_FOUND = "unit not found"
ACCOUNT_NOT_FOUND = "portal account not found"
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


def get_customer(access: Access, customer_id: str) -> CustomerOut:
    return _customer_out(_visible_customer(access, customer_id))


def create_customer(access: Access, body: CustomerCreate) -> CustomerOut:
    item = repo.new_customer(access.tenant, access.user_id, **body.model_dump())
    repo.save(item, _event(access, "CustomerCreated", ("customer", item.customer_id), 1, name=item.name))
    return _customer_out(item)


def update_customer(access: Access, customer_id: str, patch: CustomerPatch) -> CustomerOut:
    item = _visible_customer(access, customer_id)
    changes = patch.model_dump(exclude_unset=True)
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


unit_keys = repo.unit_keys  # what a route about one unit prefetches with the caller's membership


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


# ---- portal accounts ---------------------------------------------------------------------------------------


def _account_out(item: accounts.MembershipItem) -> PortalAccountOut:
    return PortalAccountOut(
        user_id=item.user_id,
        email=item.email,
        name=item.name,
        role=next(iter(sorted(item.role_set & CLIENT_ROLES))),
        customer_ids=sorted(item.customer_ids or ()),
        active=item.active,
        can_login=item.can_login,
        version=item.version or 1,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _account(access: Access, user_id: str) -> accounts.MembershipItem:
    item = accounts.get_membership(access.tenant, user_id)
    if item is None or not item.role_set & CLIENT_ROLES or item.merged_into:
        raise NotFound(ACCOUNT_NOT_FOUND)
    return item


def _save_account(access: Access, item: accounts.MembershipItem, type: str, **data: Any) -> None:
    facts = {"customer_ids": sorted(item.customer_ids or ()), "active": item.active, **data}
    event = _event(access, type, ("portal_account", item.user_id), (item.version or 0) + 1, **facts)
    accounts.save_member(item, actor=access.user_id, event=event, audit_action=f"portal_account.{type}")


def list_accounts(access: Access, limit: int, cursor: str | None) -> PortalAccountPage:
    page = accounts.search_portal_accounts(access.tenant, limit, cursor)
    return PortalAccountPage(items=[_account_out(m) for m in page.items], next_cursor=page.next_cursor)


def get_account(access: Access, user_id: str) -> PortalAccountOut:
    return _account_out(_account(access, user_id))


def create_account(access: Access, body: PortalAccountCreate) -> PortalAccountOut:
    role = Role(body.role)
    check_roles([role])
    wanted = list(dict.fromkeys(body.customer_ids))
    if len(repo.get_customers(access.tenant, wanted)) != len(wanted):
        raise Invalid("customer_ids", "names a customer that does not exist")
    user_id = accounts.find_user_id_by_email(body.email)
    user = accounts.get_user(user_id) if user_id else None
    if user is not None:
        existing = accounts.get_membership(access.tenant, user.user_id)
        if existing is not None and existing.role_set & STAFF_ROLES:
            raise Conflict("this login holds shop roles here; a portal account cannot", code="staff_login")
        if existing is not None:
            raise Conflict("this login already has a portal account; give it companies instead")
        if user.retired:
            raise Conflict(
                "this login was retired; use the identity it was merged into", code="identity_retired"
            )
    new_user = None
    if user is None:
        user = new_user = accounts.new_user(body.email, body.name)
    item = accounts.new_membership(access.tenant, user, [role], name=body.name)
    item.customer_ids = set(wanted)
    event = _event(
        access,
        "PortalAccountCreated",
        ("portal_account", user.user_id),
        1,
        role=role.value,
        customer_ids=wanted,
    )
    accounts.add_member(item, new_user=new_user, event=event)
    return _account_out(item)


def update_account(access: Access, user_id: str, patch: PortalAccountPatch) -> PortalAccountOut:
    item = _account(access, user_id)
    for field, value in patch.model_dump(exclude_unset=True).items():
        setattr(item, field, value)
    _save_account(access, item, "PortalAccountChanged")
    return _account_out(item)


def grant_company(access: Access, user_id: str, customer_id: str) -> PortalAccountOut:
    item = _account(access, user_id)
    if repo.get_customer(access.tenant, customer_id) is None:
        raise NotFound(CUSTOMER_NOT_FOUND)
    if customer_id in (item.customer_ids or set()):
        return _account_out(item)  # PUT is idempotent
    item.customer_ids = {*(item.customer_ids or ()), customer_id}
    _save_account(access, item, "PortalCompanyGranted", customer_id=customer_id)
    return _account_out(item)


def revoke_company(access: Access, user_id: str, customer_id: str) -> PortalAccountOut:
    item = _account(access, user_id)
    companies = set(item.customer_ids or ())
    if customer_id not in companies:
        raise NotFound("this company is not given to the account")
    if companies == {customer_id}:
        raise Conflict(
            "a portal account keeps at least one company: give it another first, or deactivate it",
            code="last_company",
        )
    item.customer_ids = (companies - {customer_id}) or None
    _save_account(access, item, "PortalCompanyRevoked", customer_id=customer_id)
    return _account_out(item)
