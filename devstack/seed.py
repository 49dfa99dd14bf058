"""A small demo world for the local stack, made through the same use cases the API runs."""

from __future__ import annotations

from devstack.issuer import DevIssuer
from handoff.accounts import repository, service
from handoff.accounts.schemas import MemberCreate, TenantCreate
from handoff.auth.access import Access
from handoff.auth.policy import Action, Role
from handoff.auth.tokens import Principal


def ensure_user(email: str, name: str | None = None) -> str:
    """The user id of the identity with this email, creating the identity if it is new."""
    existing = repository.find_user_id_by_email(email)
    if existing:
        return existing
    user = repository.new_user(email, name or email.split("@")[0])
    repository.register_user(user)
    return user.user_id


def seed_world(issuer: DevIssuer) -> list[str]:
    owner_email = "owner@acme.example"
    owner = Principal(user_id=ensure_user(owner_email, "Olivia Owner"), email=owner_email)
    service.create_tenant(
        Access(owner, Action.TENANT_CREATE), TenantCreate(tenant_id="acme", name="Acme Facilities")
    )
    acme = Access(owner, Action.MEMBER_CREATE, "acme", frozenset({Role.SYSTEM_ADMIN}))
    people = [
        ("dispatch@acme.example", "Dana Dispatcher", [Role.DISPATCHER]),
        ("tech@acme.example", "Theo Technician", [Role.TECHNICIAN]),
    ]
    lines = ["Demo world: tenant 'acme' (Acme Facilities). Dev tokens (valid 12 h):"]
    lines.append(f"  {owner_email} (system_admin): {issuer.token(owner.user_id, owner_email)}")
    for email, name, roles in people:
        member = service.add_member(acme, MemberCreate(email=email, name=name, roles=roles))
        lines.append(f"  {email} ({', '.join(roles)}): {issuer.token(member.user_id, email)}")
    return lines
