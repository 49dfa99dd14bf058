"""Use cases of portal accounts: memberships with a client role and the client companies (customers) they
may see. They are accounts' records (a membership, a login); the portal's customers are checked through the
portal's public functions. Their events keep the source `handoff.portal`, as documented in docs/events.md."""

from __future__ import annotations

from typing import Any

from handoff.accounts import repository as accounts
from handoff.accounts.domain import check_roles
from handoff.auth.access import Access
from handoff.auth.policy import CLIENT_ROLES, STAFF_ROLES, Role
from handoff.errors import Conflict, Invalid, NotFound
from handoff.events.envelope import new_event, user_actor
from handoff.portal import public as portal
from handoff.portal.schemas import (
    PortalAccountCreate,
    PortalAccountOut,
    PortalAccountPage,
    PortalAccountPatch,
)

SOURCE = "handoff.portal"
ACCOUNT_NOT_FOUND = "portal account not found"
CUSTOMER_NOT_FOUND = "customer not found"


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


def _account_out(item: accounts.MembershipItem) -> PortalAccountOut:
    return PortalAccountOut(
        user_id=item.user_id,
        email=item.email,
        name=item.name,
        role=next(iter(sorted(item.role_set & CLIENT_ROLES))),
        customer_ids=sorted(item.customer_ids or ()),
        active=item.active,
        can_login=item.can_login,
        invited_until=item.invited_until,
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
    if len(portal.customer_names(access.tenant, wanted)) != len(wanted):
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
    if new_user is None:  # an existing login is asked first: until its user accepts, nothing reaches it
        days = accounts.mark_invited(item, accounts.get_tenant(access.tenant))
        facts = {"invitation_id": item.invitation_id, "ttl_days": days}
        event = _event(access, "MemberInvited", ("portal_account", user.user_id), 1, role=role.value, **facts)
        accounts.add_member(item, new_user=None, event=event)
        return _account_out(item)
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
    if not portal.customer_names(access.tenant, [customer_id]):
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
