"""Pure rules for memberships and identity merges. No AWS, no HTTP."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from handoff.auth.policy import CLIENT_ROLES, STAFF_ROLES, Role, can_grant
from handoff.errors import Conflict, Forbidden, Invalid

MAX_DUPLICATES_PER_MERGE = 10


@dataclass(frozen=True)
class MemberState:
    roles: frozenset[Role]
    active: bool = True
    can_login: bool = True
    name: str = ""


def membership_is_live(
    *, active: bool, can_login: bool, merged_into: str | None, invited: bool = False
) -> bool:
    """The one rule for a membership that lets its login in: active, allowed to log in, not merged away, and
    accepted by its user (an existing login added to a tenant is only invited until it accepts)."""
    return active and can_login and not merged_into and not invited


def login_enabled(retired: bool, live_memberships: int) -> bool:
    """A login (the Cognito user) is enabled while its identity is not retired and holds a live membership
    somewhere: deactivating one membership must not lock the person out of their other instances."""
    return not retired and live_memberships > 0


def check_roles(roles: Iterable[Role]) -> frozenset[Role]:
    """A membership holds at least one role and is either staff or client-side, never both."""
    chosen = frozenset(roles)
    if not chosen:
        raise Invalid("roles", "at least one role is required")
    if chosen & CLIENT_ROLES and chosen & STAFF_ROLES:
        raise Invalid(
            "roles", "client-side roles (customer, client_rep_manager) cannot be combined with staff roles"
        )
    return chosen


def check_grant(actor_roles: frozenset[Role], before: frozenset[Role], after: frozenset[Role]) -> None:
    for role in before ^ after:
        if not can_grant(actor_roles, role):
            raise Forbidden(f"only a system_admin can grant or remove the role {role.value}")


def change_member(
    *,
    actor_id: str,
    actor_roles: frozenset[Role],
    target_id: str,
    current: MemberState,
    roles: Iterable[Role] | None = None,
    active: bool | None = None,
    can_login: bool | None = None,
    name: str | None = None,
) -> MemberState:
    """Applies a membership change as the actor, or raises why it is not allowed."""
    if Role.SYSTEM_ADMIN in current.roles and Role.SYSTEM_ADMIN not in actor_roles:
        raise Forbidden("only a system_admin can change a system_admin's membership")
    after = current
    if roles is not None:
        new_roles = check_roles(roles)
        check_grant(actor_roles, current.roles, new_roles)
        after = replace(after, roles=new_roles)
    if active is not None:
        after = replace(after, active=active)
    if can_login is not None:
        after = replace(after, can_login=can_login)
    if name is not None:
        after = replace(after, name=name)
    if actor_id == target_id:
        locks_self_out = not after.active or not after.can_login
        drops_admin = Role.SYSTEM_ADMIN in current.roles and Role.SYSTEM_ADMIN not in after.roles
        if locks_self_out or drops_admin:
            raise Conflict("you cannot deactivate, lock out or demote yourself; ask another system_admin")
    return after


def partner_org_after(
    roles: frozenset[Role], current: str | None, requested: str | None, named: bool
) -> str | None:
    """A member's partner organization after a change (`named`: the change names one, or `null`). Only a
    member with the partner role belongs to one; a member who loses the role leaves it."""
    org = requested if named else current
    if org is not None and Role.PARTNER not in roles:
        if named:
            raise Invalid(
                "partner_org_id", "only a member with the partner role belongs to a partner organization"
            )
        return None
    return org


def merged_membership(target: MemberState | None, duplicate: MemberState) -> MemberState:
    """What the surviving identity holds in a tenant after absorbing a duplicate's membership there."""
    if target is None:
        return duplicate
    roles = target.roles | duplicate.roles
    if roles & CLIENT_ROLES and roles & STAFF_ROLES:
        raise Conflict(
            "the identities hold staff and client-side roles in one tenant; change their roles first"
        )
    return MemberState(
        roles=roles,
        active=target.active or duplicate.active,
        can_login=target.can_login or duplicate.can_login,
        name=target.name,
    )


def check_merge(
    *,
    target_id: str,
    duplicate_ids: list[str],
    administered_tenants: set[str],
    duplicate_tenants: dict[str, set[str]],
) -> None:
    """A merge retires identities everywhere, so the actor must administer every tenant they belong to."""
    if target_id in duplicate_ids:
        raise Invalid("duplicate_user_ids", "an identity cannot be merged into itself")
    if len(set(duplicate_ids)) != len(duplicate_ids):
        raise Invalid("duplicate_user_ids", "each identity may be named once")
    for duplicate_id, tenants in duplicate_tenants.items():
        foreign = tenants - administered_tenants
        if foreign:
            raise Forbidden(
                f"identity {duplicate_id} also belongs to tenants you do not administer; "
                "a system_admin of every one of them must merge it"
            )
