"""Data access for tenants, users and memberships: the only code that knows their keys and items."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.expressions.condition import Condition

from handoff import keys
from handoff.accounts.domain import membership_is_live
from handoff.audit import audit_entry
from handoff.auth.policy import CLIENT_ROLES, STAFF_ROLES, Role
from handoff.events.envelope import Envelope
from handoff.events.outbox import outbox_item
from handoff.ids import new_id, utc_now
from handoff.store import reads
from handoff.store.pages import Page, decode_cursor, first_page
from handoff.store.table import Item, transaction


class TenantItem(Item, discriminator="tenant"):
    tenant_id = UnicodeAttribute()
    name = UnicodeAttribute()
    contact_email = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
    timezone = UnicodeAttribute(default="UTC")
    tax_rate_bp = NumberAttribute(default=0)
    invitation_ttl_days = NumberAttribute(default=14)
    offer_window_hours = NumberAttribute(default=48)
    # Live system admins (active, may log in): kept in the same transaction as every membership change that
    # adds or removes one, with a condition, so two admins demoting each other cannot leave none.
    system_admins = NumberAttribute(default=0)
    status = UnicodeAttribute(default="active")
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


class UserItem(Item, discriminator="user"):
    user_id = UnicodeAttribute()
    email = UnicodeAttribute()
    name = UnicodeAttribute()
    phone = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default="active")
    merged_into = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    @property
    def retired(self) -> bool:
        return self.status == "retired"


class EmailItem(Item, discriminator="email"):
    """Uniqueness of a login email and its owner."""

    user_id = UnicodeAttribute()


class MembershipItem(Item, discriminator="membership"):
    tenant_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    email = UnicodeAttribute()
    name = UnicodeAttribute()
    roles: ListAttribute[str] = ListAttribute(of=UnicodeAttribute)  # type: ignore[arg-type]
    active = BooleanAttribute(default=True)
    can_login = BooleanAttribute(default=True)
    accepts_work = BooleanAttribute(default=False)  # may answer offers linked owners make this tenant
    partner_org_id = UnicodeAttribute(null=True)  # a partner user's organization (the partner role only)
    approval_limit_cents = NumberAttribute(null=True)  # the most this approver approves (none: no limit)
    merged_into = UnicodeAttribute(null=True)
    customer_ids = UnicodeSetAttribute(null=True)  # a portal account's companies (client roles only)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()
    facets = JSONAttribute(null=True)  # the keys of its personnel-search entries (see facet_keys)
    # An existing login added here is invited until its user accepts (a new login's invitation e-mail is
    # its consent): which invitation, and until when.
    invitation_id = UnicodeAttribute(null=True)
    invited_until = UTCDateTimeAttribute(null=True)

    @property
    def invited(self) -> bool:
        return self.invited_until is not None

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.roles)

    @property
    def is_portal_account(self) -> bool:
        return bool(self.roles) and self.role_set <= CLIENT_ROLES

    def facet_keys(self) -> set[tuple[str, str]]:
        """One search entry per combination of the filters it matches (each of its roles or any, its active
        flag or any, its can_login flag or any; the all-"any" list is GSI1 itself): 4 x roles + 3 entries.
        Portal accounts are not personnel."""
        if self.is_portal_account:
            return set()
        sort = keys.by_name(self.name, self.user_id)
        return {
            (keys.member_facet(self.tenant_id, role, active, can_login), sort)
            for role in [*self.roles, None]
            for active in (self.active, None)
            for can_login in (self.can_login, None)
            if (role, active, can_login) != (None, None, None)
        }

    def index(self) -> None:
        """Listed by name among the tenant's staff, or among its portal accounts (client roles only)."""
        portal = self.is_portal_account
        self.gsi1pk = (keys.portal_accounts_partition if portal else keys.members_partition)(self.tenant_id)
        self.gsi1sk = keys.by_name(self.name, self.user_id)
        # A partner organization's technicians tab: its partner users, by name.
        org = self.partner_org_id if Role.PARTNER in self.role_set and self.live else None
        self.gsi3pk = keys.partner_org_technicians(self.tenant_id, org) if org else None
        self.gsi3sk = keys.by_name(self.name, self.user_id) if org else None

    @property
    def live(self) -> bool:
        return membership_is_live(
            active=self.active, can_login=self.can_login, merged_into=self.merged_into, invited=self.invited
        )


class MemberFacetItem(Item, discriminator="member_facet"):
    """A personnel-search entry: which member matches this partition's filters (its sort key is the name)."""

    user_id = UnicodeAttribute()


def _not_exists() -> Condition:
    return Item.pk.does_not_exist()


def _save_membership(tx: Any, membership: MembershipItem, condition: Condition | None = None) -> None:
    """The membership and, in the same transaction, its search entries as they now should be."""
    before = {(pk, sk) for pk, sk in membership.facets or []}
    after = membership.facet_keys()
    for pk, sk in before - after:
        tx.delete(MemberFacetItem(pk, sk))
    for pk, sk in after - before:
        tx.save(MemberFacetItem(pk, sk, user_id=membership.user_id))
    membership.facets = sorted([pk, sk] for pk, sk in after) or None
    tx.save(membership, condition=condition)


def next_version(item: TenantItem | UserItem | MembershipItem) -> int:
    """The version the item will have once the pending write commits (what its event reports)."""
    return (item.version or 0) + 1


# ---- builders: the only place these items get their keys ---------------------------------------------------


def new_tenant(tenant_id: str, name: str, created_by: str, **profile: Any) -> TenantItem:
    pk, sk = keys.tenant(tenant_id)
    now = utc_now()
    return TenantItem(
        pk,
        sk,
        tenant_id=tenant_id,
        name=name,
        created_by=created_by,
        created_at=now,
        updated_at=now,
        **profile,
    )


def new_user(email: str, name: str, user_id: str | None = None) -> UserItem:
    user_id = user_id or new_id()
    pk, sk = keys.user(user_id)
    now = utc_now()
    return UserItem(
        pk,
        sk,
        user_id=user_id,
        email=email.casefold(),
        name=name,
        created_at=now,
        updated_at=now,
        gsi2pk=keys.user_partition(user_id),
        gsi2sk=keys.PROFILE,
    )


def _email_item(user: UserItem) -> EmailItem:
    pk, sk = keys.email(user.email)
    return EmailItem(pk, sk, user_id=user.user_id)


def new_membership(
    tenant_id: str,
    user: UserItem,
    roles: Iterable[Role],
    *,
    name: str | None = None,
    active: bool = True,
    can_login: bool = True,
) -> MembershipItem:
    pk, sk = keys.member(tenant_id, user.user_id)
    now = utc_now()
    display_name = name or user.name
    membership = MembershipItem(
        pk,
        sk,
        tenant_id=tenant_id,
        user_id=user.user_id,
        email=user.email,
        name=display_name,
        roles=sorted(r.value for r in roles),
        active=active,
        can_login=can_login,
        created_at=now,
        updated_at=now,
        gsi2pk=keys.user_partition(user.user_id),
        gsi2sk=keys.user_place(tenant_id),
    )
    membership.index()
    return membership


# ---- reads -------------------------------------------------------------------------------------------------


def tenant_keys(path: dict[str, str]) -> list[reads.Key]:
    """What a route on /tenants/{tenant_id} reads, fetched together with the access check."""
    return [keys.tenant(path["tenant_id"])]


def member_keys(path: dict[str, str]) -> list[reads.Key]:
    """A member route reads the membership and the tenant (its count of system admins)."""
    return [keys.member(path["tenant_id"], path["user_id"]), keys.tenant(path["tenant_id"])]


def _count_admins(tx: Any, tenant: TenantItem | None, delta: int) -> None:
    """The tenant's live system admins move by `delta`, never below one (checked when the change commits)."""
    if not delta or tenant is None:
        return
    condition = TenantItem.system_admins > -delta if delta < 0 else None
    tx.update(tenant, actions=[TenantItem.system_admins.add(delta)], condition=condition)


def get_tenant(tenant_id: str) -> TenantItem | None:
    return reads.get(TenantItem, keys.tenant(tenant_id))


def get_tenants(tenant_ids: Iterable[str]) -> list[TenantItem]:
    """The tenants that exist among these, in one BatchGetItem."""
    wanted = [keys.tenant(t) for t in tenant_ids]
    reads.prefetch(wanted)
    return [t for t in (reads.get(TenantItem, key) for key in wanted) if t is not None]


def get_user(user_id: str) -> UserItem | None:
    return reads.get(UserItem, keys.user(user_id))


def find_user_id_by_email(email: str) -> str | None:
    item = reads.get(EmailItem, keys.email(email))
    return item.user_id if item else None


def get_membership(tenant_id: str, user_id: str) -> MembershipItem | None:
    """Strongly consistent: a suspension or deactivation takes effect on the very next request."""
    return reads.get(MembershipItem, keys.member(tenant_id, user_id))


def identity_with_places(user_id: str) -> tuple[UserItem | None, list[MembershipItem]]:
    """The user's profile and every membership, in one Query on the user's index partition."""
    profile: UserItem | None = None
    memberships: list[MembershipItem] = []
    for item in Item.gsi2.query(keys.user_partition(user_id)):
        if isinstance(item, UserItem):
            profile = item
        elif isinstance(item, MembershipItem):
            memberships.append(item)
    return profile, memberships


def live_staff(memberships: list[MembershipItem]) -> list[MembershipItem]:
    """The live staff memberships among these: the instances through which links can reach owners."""
    return [m for m in memberships if m.live and m.role_set & STAFF_ROLES]


def search_members(
    tenant_id: str,
    *,
    name_prefix: str | None,
    role: Role | None,
    active: bool | None,
    can_login: bool | None,
    limit: int,
    cursor: str | None,
) -> Page[MembershipItem]:
    """Personnel search by name: unfiltered, one Query on the tenant's by-name index; filtered (role, active,
    can_login, in any combination), one Query of the search entries that match and one BatchGetItem of their
    memberships. Either way a page costs what it shows, whatever the tenant holds."""
    scope = keys.cursor_scope(keys.CursorQuery.MEMBERS, tenant_id, name_prefix, role, active, can_login)
    prefix = keys.name_prefix(name_prefix or "")
    if role is None and active is None and can_login is None:
        results = MembershipItem.gsi1.query(
            keys.members_partition(tenant_id),
            Item.gsi1sk.startswith(prefix),
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, scope),
        )
        page = first_page(results, Item, scope)
        return Page(
            items=[i for i in page.items if isinstance(i, MembershipItem)], next_cursor=page.next_cursor
        )
    partition = keys.member_facet(tenant_id, role.value if role else None, active, can_login)
    entries = MemberFacetItem.query(
        partition,
        Item.sk.startswith(prefix),
        page_size=limit,
        last_evaluated_key=decode_cursor(cursor, scope),
    )
    found = first_page(entries, MemberFacetItem, scope)
    members = reads.get_many(MembershipItem, (keys.member(tenant_id, e.user_id) for e in found.items))
    return Page(items=members, next_cursor=found.next_cursor)


def technicians_of(
    tenant_id: str, partner_org_id: str, limit: int, cursor: str | None
) -> Page[MembershipItem]:
    """A partner organization's technicians by name: one Query of its GSI3 partition."""
    scope = keys.cursor_scope(keys.CursorQuery.PARTNER_ORG_TECHNICIANS, tenant_id, partner_org_id)
    results = MembershipItem.gsi3.query(
        keys.partner_org_technicians(tenant_id, partner_org_id),
        page_size=limit,
        last_evaluated_key=decode_cursor(cursor, scope),
    )
    page = first_page(results, Item, scope)
    return Page(items=[i for i in page.items if isinstance(i, MembershipItem)], next_cursor=page.next_cursor)


def search_portal_accounts(tenant_id: str, limit: int, cursor: str | None) -> Page[MembershipItem]:
    """Portal accounts (memberships with client roles) by name: one Query on their own index partition, so a
    page costs what it shows, however many staff the tenant has."""
    scope = keys.cursor_scope(keys.CursorQuery.PORTAL_ACCOUNTS, tenant_id)
    results = MembershipItem.gsi1.query(
        keys.portal_accounts_partition(tenant_id),
        Item.gsi1sk.startswith(keys.name_prefix("")),
        page_size=limit,
        last_evaluated_key=decode_cursor(cursor, scope),
    )
    page = first_page(results, Item, scope)
    return Page(items=[i for i in page.items if isinstance(i, MembershipItem)], next_cursor=page.next_cursor)


# ---- writes ------------------------------------------------------------------------------------------------


def create_tenant(
    tenant: TenantItem, founder: UserItem, membership: MembershipItem, *, new_founder: bool, event: Envelope
) -> None:
    """Tenant, its first system admin and (for a first-time login) the identity itself: all or nothing."""
    with transaction("a tenant with this id already exists") as tx:
        tx.save(tenant, condition=_not_exists())
        tx.save(outbox_item(event), condition=_not_exists())
        _save_membership(tx, membership, _not_exists())
        if new_founder:
            tx.save(founder, condition=_not_exists())
            tx.save(_email_item(founder), condition=_not_exists())
        else:
            tx.condition_check(UserItem, founder.pk, founder.sk, condition=UserItem.status == "active")


def save_profile(user: UserItem) -> None:
    """The caller's own profile (versioned: a concurrent change makes this a 409)."""
    user.updated_at = utc_now()
    with transaction("your profile changed meanwhile; reload and retry") as tx:
        tx.save(user)


def register_user(user: UserItem) -> None:
    with transaction("a user with this email already exists") as tx:
        tx.save(user, condition=_not_exists())
        tx.save(_email_item(user), condition=_not_exists())


def save_tenant(tenant: TenantItem, event: Envelope) -> None:
    tenant.updated_at = utc_now()
    with transaction() as tx:
        tx.save(tenant)
        tx.save(outbox_item(event), condition=_not_exists())


def add_member(
    membership: MembershipItem,
    *,
    new_user: UserItem | None,
    event: Envelope,
    tenant: TenantItem | None = None,
    admins_delta: int = 0,
) -> None:
    with transaction("this user is already a member of the tenant") as tx:
        _count_admins(tx, tenant, admins_delta)
        _save_membership(tx, membership, _not_exists())
        tx.save(outbox_item(event), condition=_not_exists())
        if new_user is not None:
            tx.save(new_user, condition=_not_exists())
            tx.save(_email_item(new_user), condition=_not_exists())


def save_member(
    membership: MembershipItem,
    *,
    actor: str,
    event: Envelope,
    audit_action: str | None = None,
    tenant: TenantItem | None = None,
    admins_delta: int = 0,
) -> None:
    """A versioned write (pynamodb checks the version it read): a concurrent change makes this a 409."""
    membership.updated_at = utc_now()
    membership.index()
    with transaction("the member or the tenant's admins changed meanwhile; reload and retry") as tx:
        _count_admins(tx, tenant, admins_delta)
        _save_membership(tx, membership)
        tx.save(outbox_item(event), condition=_not_exists())
        if audit_action:
            tx.save(
                audit_entry(
                    membership.tenant_id, actor, audit_action, membership.user_id, {"roles": membership.roles}
                ),
                condition=_not_exists(),
            )


def mark_invited(membership: MembershipItem, tenant: TenantItem | None) -> int:
    """A new membership of an existing login, invited for the tenant's invitation lifetime (its days)."""
    days = int(tenant.invitation_ttl_days or 14) if tenant is not None else 14
    membership.invitation_id, membership.invited_until = new_id(), utc_now() + timedelta(days=days)
    return days


def remove_invited(membership: MembershipItem, event: Envelope) -> None:
    """A declined or expired invitation: the membership and its search entries go, with the event, if the
    membership is still that invitation (its version)."""
    with transaction("the invitation changed meanwhile; reload and retry") as tx:
        for pk, sk in membership.facets or []:
            tx.delete(MemberFacetItem(pk, sk))
        tx.delete(membership, condition=MembershipItem.version == membership.version)
        tx.save(outbox_item(event), condition=_not_exists())


def record_access_reset(membership: MembershipItem, *, actor: str, event: Envelope) -> None:
    """An audit entry and the event that has the login's password reset, if the membership is unchanged."""
    with transaction() as tx:
        tx.condition_check(
            MembershipItem,
            membership.pk,
            membership.sk,
            condition=MembershipItem.version == membership.version,
        )
        tx.save(
            audit_entry(membership.tenant_id, actor, "member.access_reset", membership.user_id, {}),
            condition=_not_exists(),
        )
        tx.save(outbox_item(event), condition=_not_exists())


def merge_identities(
    *,
    actor: str,
    audit_tenant: str,
    survivor: UserItem,
    survivor_memberships: list[MembershipItem],
    retired: list[UserItem],
    retired_memberships: list[MembershipItem],
    event: Envelope,
    admin_changes: list[tuple[TenantItem, int]] | None = None,
) -> str:
    """Moves accesses to the survivor and retires the others, with an audit entry, in one transaction."""
    now = utc_now()
    entry = audit_entry(
        audit_tenant,
        actor,
        "identity.merged",
        survivor.user_id,
        {
            "survivor": survivor.user_id,
            "retired": [u.user_id for u in retired],
            "tenants": sorted({m.tenant_id for m in retired_memberships}),
        },
    )
    with transaction("one of the identities changed while merging; reload and retry") as tx:
        tx.condition_check(UserItem, survivor.pk, survivor.sk, condition=UserItem.version == survivor.version)
        for tenant, delta in admin_changes or []:
            _count_admins(tx, tenant, delta)
        for membership in survivor_memberships:
            membership.updated_at = now
            membership.index()
            _save_membership(tx, membership)
        for membership in retired_memberships:
            membership.active = False
            membership.can_login = False
            membership.merged_into = survivor.user_id
            membership.updated_at = now
            membership.index()
            _save_membership(tx, membership)
        for user in retired:
            user.status = "retired"
            user.merged_into = survivor.user_id
            user.updated_at = now
            tx.save(user)
        tx.save(entry, condition=_not_exists())
        tx.save(outbox_item(event), condition=_not_exists())
    return entry.audit_id
