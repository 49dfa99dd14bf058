"""The policy as a matrix: role x action, deny by default."""

import pytest

from handoff.auth.policy import POLICY, Action, Role, Scope, can_grant, is_allowed

EXPECTED_TENANT_GRANTS = {
    Action.TENANT_READ: set(Role),
    Action.TENANT_UPDATE: {Role.SYSTEM_ADMIN},
    Action.MEMBER_LIST: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.MEMBER_READ: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.MEMBER_CREATE: {Role.SYSTEM_ADMIN, Role.ADMIN},
    Action.MEMBER_UPDATE: {Role.SYSTEM_ADMIN, Role.ADMIN},
    Action.MEMBER_MERGE: {Role.SYSTEM_ADMIN},
    **{a: {Role.SYSTEM_ADMIN, Role.ADMIN} for a in Action if a.value.startswith("webhook")},
}


def test_every_action_has_a_rule():
    assert set(POLICY) == set(Action)


@pytest.mark.parametrize("action", [a for a in Action if POLICY[a].scope is Scope.TENANT])
@pytest.mark.parametrize("role", list(Role))
def test_role_by_action(action, role):
    assert is_allowed(action, frozenset({role})) == (role in EXPECTED_TENANT_GRANTS[action])


@pytest.mark.parametrize("action", [a for a in Action if POLICY[a].scope is Scope.TENANT])
def test_no_roles_no_access(action):
    assert not is_allowed(action, frozenset())


def test_reading_your_own_membership_needs_no_role():
    assert is_allowed(Action.MEMBER_READ, frozenset({Role.TECHNICIAN}), acting_on_self=True)
    assert not is_allowed(Action.MEMBER_UPDATE, frozenset({Role.TECHNICIAN}), acting_on_self=True)


def test_unknown_actions_are_denied():
    assert not is_allowed("tenant:delete", frozenset(Role))  # type: ignore[arg-type]


def test_only_system_admins_grant_system_admin():
    assert can_grant(frozenset({Role.SYSTEM_ADMIN}), Role.SYSTEM_ADMIN)
    assert not can_grant(frozenset({Role.ADMIN}), Role.SYSTEM_ADMIN)
    assert can_grant(frozenset({Role.ADMIN}), Role.TECHNICIAN)
