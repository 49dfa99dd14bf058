"""Use cases of the accounts context: domain rules applied to what the repository loads and saves."""

from __future__ import annotations

from handoff import keys
from handoff.accounts import domain
from handoff.accounts import repository as repo
from handoff.accounts.schemas import (
    AccessResetOut,
    Company,
    Invitation,
    MemberCreate,
    MemberOut,
    MemberPage,
    MemberPatch,
    MeOut,
    MePatch,
    MergeOut,
    MergeRequest,
    Place,
    TenantCreate,
    TenantOut,
    TenantPatch,
)
from handoff.auth.access import TENANT_NOT_FOUND, Access
from handoff.auth.policy import Role
from handoff.errors import Conflict, NotFound, Unauthorized, check_live, check_version
from handoff.events.envelope import Envelope, new_event, user_actor
from handoff.links import public as links
from handoff.links.domain import LinkStatus
from handoff.partners import public as partners
from handoff.portal import public as portal
from handoff.store import reads

MEMBER_NOT_FOUND = "member not found"
# A retired login is no longer a credential (401), not a credential without permission (403).
RETIRED_LOGIN = "this login was retired and merged into another identity; sign in with that one"
SOURCE = "handoff.accounts"


def _event(
    access: Access, type: str, tenant_id: str, entity: tuple[str, str], version: int, **data: object
) -> Envelope:
    return new_event(
        source=SOURCE,
        type=type,
        tenant_id=tenant_id,
        entity_type=entity[0],
        entity_id=entity[1],
        version=version,
        actor=user_actor(access.user_id, access.tenant_id or tenant_id),
        data=data,
    )


def _membership_facts(item: repo.MembershipItem) -> dict[str, object]:
    return {
        "user_id": item.user_id,
        "roles": list(item.roles),
        "active": item.active,
        "can_login": item.can_login,
        "accepts_work": bool(item.accepts_work),
        "partner_org_id": item.partner_org_id,
    }


def tenant_out(item: repo.TenantItem) -> TenantOut:
    return TenantOut.model_validate(item, from_attributes=True)


def member_out(item: repo.MembershipItem) -> MemberOut:
    return MemberOut.model_validate(item, from_attributes=True)


def _live_identity(access: Access) -> repo.UserItem | None:
    user = repo.get_user(access.user_id)
    if user is not None and user.retired:
        raise Unauthorized(RETIRED_LOGIN, code="identity_retired")
    return user


# ---- identity ----------------------------------------------------------------------------------------------


def me(access: Access) -> MeOut:
    profile, memberships = repo.identity_with_places(access.user_id)
    if profile is None:  # a valid signature over an id that names no one: not a login of ours
        raise Unauthorized("this token names no Handoff user", code="unknown_user")
    if profile is not None and profile.retired:
        raise Unauthorized(RETIRED_LOGIN, code="identity_retired")
    places = [
        Place(
            kind="member",
            tenant_id=m.tenant_id,
            roles=sorted(m.role_set),
            active=m.active,
            can_login=m.can_login,
            customer_ids=sorted(m.customer_ids or ()),
        )
        for m in memberships
        if not m.merged_into and not m.invited
    ]
    invited = [
        Invitation(
            tenant_id=m.tenant_id,
            roles=sorted(m.role_set),
            invited_until=m.invited_until,
            invitation_id=m.invitation_id or "",
        )
        for m in memberships
        if m.invited and not m.merged_into
    ]
    for membership in repo.live_staff(memberships):  # owners reached through this instance's links
        for link in links.linked_owners(membership.tenant_id):
            places.append(
                Place(
                    kind="servicer",
                    tenant_id=link.owner_id,
                    roles=sorted(membership.role_set),
                    active=link.status is LinkStatus.ACTIVE,
                    can_login=True,
                    via_servicer=link.servicer_id,
                    link_status=link.status.value,
                )
            )
    _name_places(places, invited)
    email = profile.email if profile else access.principal.email
    return MeOut(
        user_id=access.user_id,
        email=email,
        name=profile.name if profile else email.split("@")[0],
        status=profile.status if profile else "active",
        phone=profile.phone if profile else None,
        version=int(profile.version or 0) if profile else 0,
        places=places,
        invitations=invited,
    )


def update_me(access: Access, patch: MePatch, expected_version: int | None) -> MeOut:
    """Every login reads and updates its own profile, whatever its roles anywhere."""
    user = _live_identity(access)
    if user is None:
        raise Unauthorized("this token names no Handoff user", code="unknown_user")
    check_version(expected_version, user.version)
    fields = patch.model_fields_set
    if "name" in fields and patch.name is not None:
        user.name = patch.name
    if "phone" in fields:
        user.phone = patch.phone
    repo.save_profile(user)
    return me(access)


def _name_places(places: list[Place], invited: list[Invitation]) -> None:
    """The names a switcher shows: every instance and client company, in one BatchGetItem (and the names of
    the instances inviting the caller: who asks is what an invitation tells)."""
    reads.prefetch(
        [keys.tenant(t) for t in [*(p.tenant_id for p in places), *(i.tenant_id for i in invited)]]
        + [keys.customer(p.tenant_id, c) for p in places for c in p.customer_ids]
    )
    for invitation in invited:
        tenant = repo.get_tenant(invitation.tenant_id)
        invitation.tenant_name = tenant.name if tenant else None
    for place in places:
        tenant = repo.get_tenant(place.tenant_id)
        place.tenant_name = tenant.name if tenant else None
        names = portal.customer_names(place.tenant_id, list(place.customer_ids))
        place.companies = [Company(customer_id=c, name=names[c]) for c in place.customer_ids if c in names]


# ---- tenants -----------------------------------------------------------------------------------------------


def create_tenant(access: Access, body: TenantCreate) -> TenantOut:
    founder = _live_identity(access)
    new_founder = founder is None
    if founder is None:
        owner = repo.find_user_id_by_email(access.principal.email)
        if owner is not None and owner != access.user_id:
            raise Conflict("this email already belongs to another identity", code="email_taken")
        founder = repo.new_user(access.principal.email, access.principal.email.split("@")[0], access.user_id)
    tenant = repo.new_tenant(
        body.tenant_id,
        body.name,
        founder.user_id,
        contact_email=body.contact_email,
        phone=body.phone,
        timezone=body.timezone,
        system_admins=1,
    )
    membership = repo.new_membership(body.tenant_id, founder, [Role.SYSTEM_ADMIN])
    event = _event(
        access, "TenantCreated", body.tenant_id, ("tenant", body.tenant_id), 1, created_by=founder.user_id
    )
    repo.create_tenant(tenant, founder, membership, new_founder=new_founder, event=event)
    return tenant_out(tenant)


def get_tenant(access: Access) -> TenantOut:
    tenant = repo.get_tenant(access.tenant)
    if tenant is None:
        raise NotFound(TENANT_NOT_FOUND)
    return tenant_out(tenant)


def update_tenant(access: Access, patch: TenantPatch, expected_version: int | None) -> TenantOut:
    tenant = repo.get_tenant(access.tenant)
    if tenant is None:
        raise NotFound(TENANT_NOT_FOUND)
    check_version(expected_version, tenant.version)
    changes = {
        k: v for k, v in patch.model_dump(exclude_unset=True).items() if not (k == "name" and v is None)
    }
    for field, value in changes.items():
        setattr(tenant, field, value)
    version = repo.next_version(tenant)
    event = _event(
        access, "TenantUpdated", access.tenant, ("tenant", access.tenant), version, changed=sorted(changes)
    )
    repo.save_tenant(tenant, event)
    return tenant_out(tenant)


# ---- members -----------------------------------------------------------------------------------------------


def search_members(
    access: Access,
    *,
    name_prefix: str | None,
    role: Role | None,
    active: bool | None,
    can_login: bool | None,
    limit: int,
    cursor: str | None,
) -> MemberPage:
    page = repo.search_members(
        access.tenant,
        name_prefix=name_prefix,
        role=role,
        active=active,
        can_login=can_login,
        limit=limit,
        cursor=cursor,
    )
    return MemberPage(items=[member_out(m) for m in page.items], next_cursor=page.next_cursor)


def _live_admin(roles: frozenset[Role], active: bool, can_login: bool) -> bool:
    return Role.SYSTEM_ADMIN in roles and active and can_login


def _admins_delta(tenant: repo.TenantItem | None, before: bool, after: bool) -> int:
    """+1, -1 or 0 live system admins; refusing the change that would leave the tenant without one."""
    delta = int(after) - int(before)
    if delta < 0 and tenant is not None and int(tenant.system_admins) <= 1:
        raise Conflict(
            "the tenant would be left without an active system admin; make someone else one first",
            code="last_system_admin",
        )
    return delta


def _merge_admin_changes(
    survivor_places: list[repo.MembershipItem],
    retired: list[repo.MembershipItem],
    changed: dict[str, repo.MembershipItem],
) -> list[tuple[repo.TenantItem, int]]:
    """Per tenant, how the merge moves its count of live system admins (retired ones leave, the survivor's
    merged membership may become one)."""
    before = {
        m.tenant_id: _live_admin(m.role_set, m.active, m.can_login) and not m.invited
        for m in survivor_places
        if not m.merged_into
    }
    deltas: dict[str, int] = {}
    for membership in retired:
        if (
            _live_admin(membership.role_set, membership.active, membership.can_login)
            and not membership.invited
        ):
            deltas[membership.tenant_id] = deltas.get(membership.tenant_id, 0) - 1
    for tenant_id, merged in changed.items():
        after = _live_admin(merged.role_set, merged.active, merged.can_login) and not merged.invited
        deltas[tenant_id] = deltas.get(tenant_id, 0) + int(after) - int(before.get(tenant_id, False))
    moving = {t: d for t, d in deltas.items() if d}
    changes = []
    for tenant in repo.get_tenants(sorted(moving)):
        delta = moving[tenant.tenant_id]
        if delta < 0 and int(tenant.system_admins) + delta < 1:
            raise Conflict(
                f"{tenant.tenant_id} would be left without an active system admin", code="last_system_admin"
            )
        changes.append((tenant, delta))
    return changes


def _membership(tenant_id: str, user_id: str) -> repo.MembershipItem:
    membership = repo.get_membership(tenant_id, user_id)
    if membership is None:
        raise NotFound(MEMBER_NOT_FOUND)
    return membership


def _accepted(tenant_id: str, user_id: str) -> repo.MembershipItem:
    """A membership its user accepted: an invited one is nobody's to merge (it answers 404 here)."""
    membership = _membership(tenant_id, user_id)
    if membership.invited:
        raise NotFound(MEMBER_NOT_FOUND)
    return membership


def get_member(access: Access, user_id: str) -> MemberOut:
    return member_out(_membership(access.tenant, user_id))


def add_member(access: Access, body: MemberCreate) -> MemberOut:
    roles = domain.check_roles(body.roles)
    domain.check_grant(access.roles, frozenset(), roles)
    user_id = repo.find_user_id_by_email(body.email)
    user = repo.get_user(user_id) if user_id else None
    new_user = None
    if user is None:
        user = new_user = repo.new_user(body.email, body.name)
    elif user.retired:
        raise Conflict(
            "this login was retired into another identity; add the login its owner uses now",
            code="identity_retired",
        )
    membership = repo.new_membership(
        access.tenant, user, roles, name=body.name, active=body.active, can_login=body.can_login
    )
    membership.accepts_work = body.accepts_work
    tenant = repo.get_tenant(access.tenant)
    if new_user is None:  # an existing login is asked first: until its user accepts, nothing reaches it
        days = repo.mark_invited(membership, tenant)
        event = _event(
            access,
            "MemberInvited",
            access.tenant,
            ("member", user.user_id),
            1,
            **_membership_facts(membership),
            invitation_id=membership.invitation_id,
            ttl_days=days,
        )
        repo.add_member(membership, new_user=None, event=event)
        return member_out(membership)
    event = _event(
        access, "MemberAdded", access.tenant, ("member", user.user_id), 1, **_membership_facts(membership)
    )
    delta = _admins_delta(tenant, False, _live_admin(roles, body.active, body.can_login))
    repo.add_member(membership, new_user=new_user, event=event, tenant=tenant, admins_delta=delta)
    return member_out(membership)


def update_member(
    access: Access, user_id: str, patch: MemberPatch, expected_version: int | None
) -> MemberOut:
    membership = _membership(access.tenant, user_id)
    if membership.merged_into:
        raise Conflict(
            "this membership belongs to a retired login and cannot change", code="identity_retired"
        )
    check_version(expected_version, membership.version)
    after = domain.change_member(
        actor_id=access.user_id,
        actor_roles=access.roles,
        target_id=user_id,
        current=domain.MemberState(
            membership.role_set, membership.active, membership.can_login, membership.name
        ),
        roles=patch.roles,
        active=patch.active,
        can_login=patch.can_login,
        name=patch.name,
    )
    tenant = repo.get_tenant(access.tenant)
    counted = not membership.invited  # an invitation counts once accepted
    delta = _admins_delta(
        tenant,
        counted and _live_admin(membership.role_set, membership.active, membership.can_login),
        counted and _live_admin(after.roles, after.active, after.can_login),
    )
    named = "partner_org_id" in patch.model_fields_set
    org = domain.partner_org_after(after.roles, membership.partner_org_id, patch.partner_org_id, named)
    if named and org is not None and org != membership.partner_org_id:
        check_live("partner_org_id", partners.is_live(access.tenant, org), "partner organization")
    membership.roles = sorted(r.value for r in after.roles)
    membership.active = after.active
    membership.can_login = after.can_login
    membership.name = after.name
    membership.partner_org_id = org
    if "approval_limit_cents" in patch.model_fields_set:
        membership.approval_limit_cents = patch.approval_limit_cents
    if patch.accepts_work is not None:
        membership.accepts_work = patch.accepts_work
    event = _event(
        access,
        "MemberChanged",
        access.tenant,
        ("member", user_id),
        repo.next_version(membership),
        **_membership_facts(membership),
    )
    repo.save_member(
        membership,
        actor=access.user_id,
        event=event,
        audit_action="member.changed",
        tenant=tenant,
        admins_delta=delta,
    )
    return member_out(membership)


# ---- a partner organization's technicians (the association is the membership's) ---------------------------


def _org(access: Access, partner_org_id: str) -> bool:
    """Whether the organization is live (404 when there is none)."""
    live = partners.is_live(access.tenant, partner_org_id)
    if live is None:
        raise NotFound("partner organization not found")
    return live


def technicians(access: Access, partner_org_id: str, limit: int, cursor: str | None) -> MemberPage:
    _org(access, partner_org_id)
    page = repo.technicians_of(access.tenant, partner_org_id, limit, cursor)
    return MemberPage(items=[member_out(m) for m in page.items], next_cursor=page.next_cursor)


def add_technician(access: Access, partner_org_id: str, user_id: str) -> MemberOut:
    """Puts a member with the partner role in the organization (moving them from another)."""
    if not _org(access, partner_org_id):
        raise Conflict("this partner organization is archived; restore it first", code="archived")
    return update_member(access, user_id, MemberPatch(partner_org_id=partner_org_id), None)


def remove_technician(access: Access, partner_org_id: str, user_id: str) -> MemberOut:
    membership = repo.get_membership(access.tenant, user_id)
    if membership is None or membership.partner_org_id != partner_org_id:
        raise NotFound("no such technician in this partner organization")
    return update_member(access, user_id, MemberPatch(partner_org_id=None), None)


def reset_access(access: Access, user_id: str) -> AccessResetOut:
    """Has the login's password reset (Cognito mails its owner a code), from the committed event."""
    membership = _membership(access.tenant, user_id)
    if not membership.live:
        raise Conflict("this membership may not log in; reactivate it first", code="membership_inactive")
    event = _event(
        access,
        "MemberAccessReset",
        access.tenant,
        ("member", user_id),
        membership.version or 1,
        user_id=user_id,
    )
    repo.record_access_reset(membership, actor=access.user_id, event=event)
    return AccessResetOut(user_id=user_id)


def merge_identities(access: Access, survivor_id: str, body: MergeRequest) -> MergeOut:
    tenant_id = access.tenant
    duplicate_ids = body.duplicate_user_ids
    if access.user_id in duplicate_ids:
        raise Conflict("you cannot retire the identity you are logged in with")
    survivor_membership = _accepted(tenant_id, survivor_id)
    survivor, survivor_places = repo.identity_with_places(survivor_id)
    if survivor is None or survivor.retired or survivor_membership.merged_into:
        raise Conflict("the chosen identity is retired; choose the identity that survives")
    for duplicate_id in duplicate_ids:
        _accepted(tenant_id, duplicate_id)  # every duplicate must be a member here, or it is not found
    _, actor_places = repo.identity_with_places(access.user_id)
    administered = {m.tenant_id for m in actor_places if Role.SYSTEM_ADMIN in m.role_set and m.live}
    duplicates: list[repo.UserItem] = []
    duplicate_memberships: list[repo.MembershipItem] = []
    duplicate_tenants: dict[str, set[str]] = {}
    for duplicate_id in duplicate_ids:
        user, places = repo.identity_with_places(duplicate_id)
        if user is None or user.retired:
            raise Conflict(f"identity {duplicate_id} is already retired")
        duplicates.append(user)
        # An invitation is not yet the duplicate's access: it does not move (nor counts as its place).
        live = [m for m in places if not m.merged_into and not m.invited]
        duplicate_memberships.extend(live)
        duplicate_tenants[duplicate_id] = {m.tenant_id for m in live}
    domain.check_merge(
        target_id=survivor_id,
        duplicate_ids=duplicate_ids,
        administered_tenants=administered,
        duplicate_tenants=duplicate_tenants,
    )
    by_tenant = {m.tenant_id: m for m in survivor_places if not m.merged_into}
    changed: dict[str, repo.MembershipItem] = {}
    for duplicate in duplicate_memberships:
        current = by_tenant.get(duplicate.tenant_id)
        merged = domain.merged_membership(
            domain.MemberState(current.role_set, current.active, current.can_login, current.name)
            if current
            else None,
            domain.MemberState(duplicate.role_set, duplicate.active, duplicate.can_login, duplicate.name),
        )
        if current is None:
            current = repo.new_membership(
                duplicate.tenant_id,
                survivor,
                merged.roles,
                name=merged.name,
                active=merged.active,
                can_login=merged.can_login,
            )
        else:
            current.roles = sorted(r.value for r in merged.roles)
            current.active = merged.active
            current.can_login = merged.can_login
        companies = set(current.customer_ids or ()) | set(duplicate.customer_ids or ())
        current.customer_ids = companies or None  # client companies move over with the membership
        current.partner_org_id = domain.partner_org_after(  # a partner user keeps their organization
            merged.roles, current.partner_org_id or duplicate.partner_org_id, None, False
        )
        by_tenant[duplicate.tenant_id] = changed[duplicate.tenant_id] = current
    admin_changes = _merge_admin_changes(survivor_places, duplicate_memberships, changed)
    if len(changed) + len(duplicate_memberships) + len(duplicates) + len(admin_changes) + 2 > 100:
        raise Conflict("too many memberships to merge at once; merge fewer identities per request")
    event = _event(
        access,
        "IdentitiesMerged",
        tenant_id,
        ("user", survivor_id),
        repo.next_version(survivor),
        retired_user_ids=duplicate_ids,
        tenants=sorted(changed),
    )
    audit_id = repo.merge_identities(
        actor=access.user_id,
        audit_tenant=tenant_id,
        survivor=survivor,
        survivor_memberships=list(changed.values()),
        retired=duplicates,
        retired_memberships=duplicate_memberships,
        event=event,
        admin_changes=admin_changes,
    )
    return MergeOut(
        survivor=member_out(by_tenant[tenant_id]), retired_user_ids=duplicate_ids, audit_id=audit_id
    )
