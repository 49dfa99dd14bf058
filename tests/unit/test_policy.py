"""The policy as a matrix: role x action, deny by default."""

import pytest

from handoff.auth.policy import (
    CLIENT_ROLES,
    POLICY,
    STAFF_ROLES,
    Action,
    Role,
    Scope,
    can_grant,
    is_allowed,
    is_allowed_for_servicer,
    may_answer_offers,
)

EXPECTED_TENANT_GRANTS = {
    Action.TENANT_READ: set(Role),
    Action.TENANT_UPDATE: {Role.SYSTEM_ADMIN},
    Action.MEMBER_LIST: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.MEMBER_READ: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.MEMBER_CREATE: {Role.SYSTEM_ADMIN, Role.ADMIN},
    Action.MEMBER_UPDATE: {Role.SYSTEM_ADMIN, Role.ADMIN},
    Action.MEMBER_MERGE: {Role.SYSTEM_ADMIN},
    Action.MEMBER_RESET_ACCESS: {Role.SYSTEM_ADMIN, Role.ADMIN},
    **{a: {Role.SYSTEM_ADMIN, Role.ADMIN} for a in Action if a.value.startswith("partner-resource")},
    **{a: {Role.SYSTEM_ADMIN, Role.ADMIN} for a in Action if a.value.startswith("partner-organization")},
    Action.PARTNER_ORG_LIST: set(STAFF_ROLES),
    Action.PARTNER_ORG_READ: set(STAFF_ROLES),
    Action.BRANDING_READ: set(STAFF_ROLES | CLIENT_ROLES),
    **{a: {Role.SYSTEM_ADMIN, Role.ADMIN} for a in Action if a.value.startswith("org-unit")},
    Action.ORG_UNIT_LIST: set(STAFF_ROLES),
    Action.ORG_UNIT_READ: set(STAFF_ROLES),
    **{a: {Role.SYSTEM_ADMIN, Role.ADMIN} for a in Action if a.value.startswith("team:")},
    Action.TEAM_LIST: set(STAFF_ROLES),
    Action.TEAM_READ: set(STAFF_ROLES),
    **{a: {Role.SYSTEM_ADMIN, Role.ADMIN} for a in Action if a.value.startswith("webhook")},
    Action.LOCATION_LIST: set(STAFF_ROLES),
    Action.LOCATION_READ: set(STAFF_ROLES),
    Action.LOCATION_CREATE: {Role.SYSTEM_ADMIN, Role.ADMIN},
    Action.LOCATION_UPDATE: {Role.SYSTEM_ADMIN, Role.ADMIN},
    **{a: {Role.SYSTEM_ADMIN} for a in Action if a.value.startswith("servicer-link")},
    **{a: {Role.SYSTEM_ADMIN} for a in Action if a.value.startswith("servicer-invitation")},
    Action.LINKED_OWNERS_LIST: set(STAFF_ROLES),
    Action.CUSTOMER_LIST: set(STAFF_ROLES | CLIENT_ROLES),
    Action.CUSTOMER_READ: set(STAFF_ROLES | CLIENT_ROLES),
    Action.CUSTOMER_CREATE: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.CUSTOMER_UPDATE: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.UNIT_LIST: set(STAFF_ROLES | CLIENT_ROLES),
    Action.UNIT_READ: set(STAFF_ROLES | CLIENT_ROLES),
    Action.UNIT_CREATE: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.UNIT_UPDATE: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER} | set(CLIENT_ROLES),
    **{a: {Role.SYSTEM_ADMIN, Role.ADMIN} for a in Action if a.value.startswith("portal-account")},
    **{
        a: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER} | set(CLIENT_ROLES)
        for a in Action
        if a.value.startswith("booking:")
    },
    **{a: set(STAFF_ROLES) for a in Action if a.value.startswith("ticket")},
    Action.TICKET_CREATE: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.TICKET_DISPATCH: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.TICKET_APPROVE: {Role.SYSTEM_ADMIN, Role.ADMIN},
    **{
        a: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER} for a in Action if a.value.startswith("estimate:")
    },
    Action.ESTIMATE_LIST: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER} | set(CLIENT_ROLES),
    Action.ESTIMATE_READ: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER} | set(CLIENT_ROLES),
    Action.ESTIMATE_DECIDE: set(CLIENT_ROLES),
    Action.ESTIMATE_NOTE: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER} | set(CLIENT_ROLES),
    Action.WORK_REQUIRED_LIST: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER, Role.TECHNICIAN},
    Action.WORK_ORDER_LIST: set(STAFF_ROLES) | set(CLIENT_ROLES),
    Action.WORK_CLOCK: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER, Role.TECHNICIAN, Role.PARTNER},
    Action.TIME_CORRECT: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.TICKET_ASSIGN: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.TICKET_ESCALATE: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.NTE_REQUEST: set(),  # the partner doing the work asks, never the owner's own staff
    Action.NTE_DECIDE: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.NTE_LIST: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.PARTNER_INVOICE_LIST: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.PARTNER_INVOICE_READ: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.PARTNER_INVOICE_ACT: {Role.SYSTEM_ADMIN, Role.ADMIN},
    Action.INVOICE_LIST: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER, *CLIENT_ROLES},
    Action.INVOICE_READ: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER, *CLIENT_ROLES},
    Action.INVOICE_CREATE: {Role.SYSTEM_ADMIN, Role.ADMIN},
    Action.INVOICE_ACT: {Role.SYSTEM_ADMIN, Role.ADMIN, *CLIENT_ROLES},
    Action.RATE_CARD_LIST: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.RATE_CARD_READ: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.RATE_CARD_WRITE: {Role.SYSTEM_ADMIN, Role.ADMIN},
    Action.TICKET_UPDATE: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.OFFER_CREATE: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.OFFER_ANSWER: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
    Action.REPORT_READ: {Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER},
}

# What a member of a linked servicer instance may do in the owner's instance, by can_manage_locations.
EXPECTED_SERVICER_GRANTS = {
    Action.TENANT_READ: (True, True),
    **{a: (True, True) for a in Action if a.value.startswith("partner-invoice")},
    Action.LOCATION_LIST: (True, True),
    Action.LOCATION_READ: (True, True),
    Action.LOCATION_CREATE: (False, True),
    Action.LOCATION_UPDATE: (False, True),
    **{
        a: (True, True)
        for a in Action
        if a.value.startswith("ticket")
        and a
        not in (
            Action.TICKET_CREATE,
            Action.TICKET_DISPATCH,
            Action.TICKET_APPROVE,
            Action.TICKET_ESCALATE,
            Action.NTE_DECIDE,
            Action.TIME_CORRECT,
            Action.TICKET_UPDATE,
            Action.OFFER_CREATE,
        )
    },
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


@pytest.mark.parametrize("action", [a for a in Action if POLICY[a].scope is Scope.SIGNED])
def test_no_user_role_performs_a_signed_action(action):
    assert not is_allowed(action, frozenset(Role))
    assert not is_allowed_for_servicer(action, can_manage_locations=True)


def test_reading_your_own_membership_needs_no_role():
    assert is_allowed(Action.MEMBER_READ, frozenset({Role.TECHNICIAN}), acting_on_self=True)
    assert not is_allowed(Action.MEMBER_UPDATE, frozenset({Role.TECHNICIAN}), acting_on_self=True)


def test_unknown_actions_are_denied():
    assert not is_allowed("tenant:delete", frozenset(Role))  # type: ignore[arg-type]


def test_only_system_admins_grant_system_admin():
    assert can_grant(frozenset({Role.SYSTEM_ADMIN}), Role.SYSTEM_ADMIN)
    assert not can_grant(frozenset({Role.ADMIN}), Role.SYSTEM_ADMIN)
    assert can_grant(frozenset({Role.ADMIN}), Role.TECHNICIAN)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("can_manage_locations", [False, True])
def test_servicer_by_action(action, can_manage_locations):
    without, with_ = EXPECTED_SERVICER_GRANTS.get(action, (False, False))
    expected = with_ if can_manage_locations else without
    assert is_allowed_for_servicer(action, can_manage_locations=can_manage_locations) == expected


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("accepts_work", [False, True])
def test_a_partner_answers_offers_through_its_admins_and_those_they_allow(role, accepts_work):
    expected = accepts_work or role in (Role.SYSTEM_ADMIN, Role.ADMIN)
    assert may_answer_offers(frozenset({role}), accepts_work) == expected
