"""Resolves, once per request, what the caller may do in the tenant the path names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from handoff import keys
from handoff.accounts import repository
from handoff.auth.policy import (
    CLIENT_ROLES,
    POLICY,
    Action,
    Role,
    Scope,
    ServicerAccess,
    is_allowed,
    is_allowed_for_servicer,
    may_answer_offers,
)
from handoff.auth.tokens import Principal
from handoff.errors import Forbidden, NotFound, Unauthorized
from handoff.ids import is_tenant_id, utc_now
from handoff.links import public as links
from handoff.links.domain import ACCEPTED, LinkStatus, ServicerGrant
from handoff.store import reads

TENANT_NOT_FOUND = "tenant not found"


@dataclass(frozen=True)
class Access:
    """The caller and what they hold in the tenant of this request (no tenant for identity routes)."""

    principal: Principal
    action: Action
    tenant_id: str | None = None
    roles: frozenset[Role] = frozenset()
    servicer: ServicerGrant | None = None  # set when the caller works here through a servicer link
    customer_ids: frozenset[str] = frozenset()  # a portal account's companies
    answers_offers: bool = False  # through a servicer link: may accept, counter and decline offered work

    @property
    def is_portal_user(self) -> bool:
        """Client roles only: sees its own companies' records and nothing else of the tenant."""
        return bool(self.roles) and self.roles <= CLIENT_ROLES

    def may_see_customer(self, customer_id: str) -> bool:
        return not self.is_portal_user or customer_id in self.customer_ids

    @property
    def user_id(self) -> str:
        return self.principal.user_id

    @property
    def tenant(self) -> str:
        if self.tenant_id is None:
            raise RuntimeError(f"{self.action} is not a tenant action")
        return self.tenant_id


def resolve(
    principal: Principal,
    action: Action,
    path: dict[str, str],
    prefetch: Callable[[dict[str, str]], list[reads.Key]] | None = None,
) -> Access:
    """Deny by default: no membership answers 404 (exactly like a tenant that does not exist); an inactive or
    locked membership, or one whose roles do not grant the action, answers 403.

    `prefetch` names the items the route will read; they come in the same BatchGetItem as the membership, so a
    read of one object costs one DynamoDB call."""
    rule = POLICY.get(action)
    if rule is None:
        raise Forbidden("this action is not allowed")
    if rule.scope is Scope.IDENTITY:
        return Access(principal=principal, action=action)
    if rule.scope is Scope.SIGNED:
        raise Forbidden("this route takes signed messages from partner systems, not user tokens")
    tenant_id = path.get("tenant_id", "")
    if not is_tenant_id(tenant_id):
        raise NotFound(TENANT_NOT_FOUND)
    if prefetch is not None:
        names = {**path, reads.CALLER: principal.user_id}
        reads.prefetch([keys.member(tenant_id, principal.user_id), *prefetch(names)])
    membership = repository.get_membership(tenant_id, principal.user_id)
    if membership is None or membership.invited:  # invited, not accepted: nothing of the tenant yet
        return _through_a_link(principal, action, tenant_id)
    if membership.merged_into:
        raise Unauthorized(
            "this login was retired and merged into another identity; sign in with that one",
            code="identity_retired",
        )
    if not membership.active:
        raise Forbidden("your membership in this tenant is inactive", code="membership_inactive")
    if not membership.can_login:
        raise Forbidden("your membership in this tenant may not log in", code="login_disabled")
    acting_on_self = path.get("user_id") == principal.user_id
    if not is_allowed(action, membership.role_set, acting_on_self=acting_on_self):
        raise Forbidden(f"your roles in this tenant do not allow {action.value}")
    return Access(
        principal=principal,
        action=action,
        tenant_id=tenant_id,
        roles=membership.role_set,
        customer_ids=frozenset(membership.customer_ids or ()),
    )


def _through_a_link(principal: Principal, action: Action, owner_id: str) -> Access:
    """A member of a linked servicer instance: a suspended link is 403 everywhere, a revoked or missing one is
    404 (no access at all), and the link's flags bound what the policy lets servicers do."""
    found = _find_grant(owner_id, principal.user_id)
    if found is None:
        raise NotFound(TENANT_NOT_FOUND)
    grant, membership = found
    if POLICY[action].servicer is ServicerAccess.HIDDEN:
        raise NotFound(TENANT_NOT_FOUND)  # what the owner keeps from its servicers does not exist for them
    if grant.status is LinkStatus.REVOKED:  # within its history window (see _find_grant): reads of it only
        if not POLICY[action].history:
            raise NotFound(TENANT_NOT_FOUND)  # beyond the history of its work, nothing of the owner is there
    elif grant.status is not LinkStatus.ACTIVE:
        raise Forbidden("the servicer link to this instance is suspended", code="link_suspended")
    if not is_allowed_for_servicer(action, can_manage_locations=grant.flags.can_manage_locations):
        raise Forbidden(f"your servicer link does not allow {action.value}")
    return Access(
        principal=principal,
        action=action,
        tenant_id=owner_id,
        servicer=grant,
        answers_offers=may_answer_offers(membership.role_set, bool(membership.accepts_work)),
    )


def _find_grant(owner_id: str, user_id: str) -> tuple[ServicerGrant, repository.MembershipItem] | None:
    """The link through which this user reaches the owner: one Query of the user's memberships, then one
    strongly consistent BatchGetItem of the candidate links and memberships. Active beats suspended."""
    _, memberships = repository.identity_with_places(user_id)
    candidates = [m.tenant_id for m in repository.live_staff(memberships) if m.tenant_id != owner_id]
    if not candidates:
        return None
    reads.prefetch(
        [
            *(keys.servicer_link(owner_id, s) for s in candidates),
            *(keys.member(s, user_id) for s in candidates),
        ]
    )
    grants = []
    now = utc_now()
    for servicer_id in candidates:
        link = links.grant(owner_id, servicer_id)
        membership = repository.get_membership(servicer_id, user_id)
        if (
            link is not None
            and membership is not None
            and membership.live
            # invited, declined or expired: no way in; revoked: read-only, for its history window
            and (link.status in ACCEPTED or link.history_readable(now))
        ):
            grants.append((link, membership))
    preference = {LinkStatus.ACTIVE: 0, LinkStatus.SUSPENDED: 1}
    grants.sort(key=lambda found: preference.get(found[0].status, 2))
    return grants[0] if grants else None
