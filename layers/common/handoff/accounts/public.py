"""What other contexts may ask of accounts: plain answers about tenants and members, read through the
accounts repository (no schemas, no use cases: cheap to import for any function)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handoff import keys
from handoff.accounts import domain
from handoff.accounts import repository as repo
from handoff.auth.policy import Role
from handoff.identity.domain import Login
from handoff.store import reads


def live_roles(tenant_id: str, user_id: str) -> frozenset[Role] | None:
    """The roles of a live member (active, may log in, not retired) of the tenant, or None: what other
    contexts ask before assigning work to someone."""
    membership = repo.get_membership(tenant_id, user_id)
    if membership is None or not membership.live:
        return None
    return membership.role_set


@dataclass(frozen=True)
class Worker:
    """A live member who may be given work: their roles and, for a partner user, their organization."""

    user_id: str
    roles: frozenset[Role]
    partner_org_id: str | None


def workers(tenant_id: str, user_ids: list[str]) -> dict[str, Worker]:
    """The live members among these ids (one BatchGetItem), by id."""
    found = reads.get_many(repo.MembershipItem, [keys.member(tenant_id, u) for u in dict.fromkeys(user_ids)])
    return {
        m.user_id: Worker(m.user_id, m.role_set, m.partner_org_id if Role.PARTNER in m.role_set else None)
        for m in found
        if m.live
    }


def approval_limit(tenant_id: str, user_id: str) -> int | None:
    """The most this member approves on one invoice (None: no limit)."""
    membership = repo.get_membership(tenant_id, user_id)
    limit = membership.approval_limit_cents if membership is not None else None
    return int(limit) if limit is not None else None


def tax_rate_bp(tenant_id: str) -> int:
    """The tenant's tax rate in basis points (0 when it has none)."""
    tenant = repo.get_tenant(tenant_id)
    return int(tenant.tax_rate_bp or 0) if tenant is not None else 0


def invitation_ttl_days(tenant_id: str) -> int:
    """How many days the invitations this tenant sends stay open."""
    tenant = repo.get_tenant(tenant_id)
    return int(tenant.invitation_ttl_days or 14) if tenant is not None else 14


def offer_window_hours(tenant_id: str) -> int:
    """How many hours the offers this tenant makes wait for their answer, unless an offer names its own."""
    tenant = repo.get_tenant(tenant_id)
    return int(tenant.offer_window_hours or 48) if tenant is not None else 48


def tenant_created_at(tenant_id: str) -> datetime | None:
    tenant = repo.get_tenant(tenant_id)
    return tenant.created_at if tenant is not None else None


def tenant_name(tenant_id: str) -> str:
    tenant = repo.get_tenant(tenant_id)
    return tenant.name if tenant is not None else tenant_id


def tenant_exists(tenant_id: str) -> bool:
    return repo.get_tenant(tenant_id) is not None


def login_of(user_id: str) -> Login | None:
    """What this identity's login should be: enabled while it is not retired and holds a live membership."""
    user, memberships = repo.identity_with_places(user_id)
    if user is None:
        return None
    # A pending invitation keeps the login usable: its user signs in to accept it.
    live = sum(1 for m in memberships if m.live or (m.invited and not m.merged_into))
    return Login(user_id=user.user_id, email=user.email, enabled=domain.login_enabled(user.retired, live))
