"""Membership and merge rules (pure domain)."""

import pytest

from handoff.accounts.domain import MemberState, change_member, check_merge, check_roles, merged_membership
from handoff.auth.policy import Role
from handoff.errors import Conflict, Forbidden, Invalid

SYSADMIN = frozenset({Role.SYSTEM_ADMIN})
ADMIN = frozenset({Role.ADMIN})


def test_a_membership_needs_a_role():
    with pytest.raises(Invalid):
        check_roles([])


def test_client_and_staff_roles_do_not_mix():
    with pytest.raises(Invalid):
        check_roles([Role.CUSTOMER, Role.TECHNICIAN])
    assert check_roles([Role.CUSTOMER, Role.CLIENT_REP_MANAGER]) == {Role.CUSTOMER, Role.CLIENT_REP_MANAGER}


def test_an_admin_changes_a_technician():
    after = change_member(
        actor_id="a",
        actor_roles=ADMIN,
        target_id="t",
        current=MemberState(frozenset({Role.TECHNICIAN})),
        roles=[Role.DISPATCHER],
        active=False,
    )
    assert after == MemberState(frozenset({Role.DISPATCHER}), active=False)


def test_an_admin_cannot_promote_to_system_admin():
    with pytest.raises(Forbidden):
        change_member(
            actor_id="a",
            actor_roles=ADMIN,
            target_id="t",
            current=MemberState(frozenset({Role.TECHNICIAN})),
            roles=[Role.SYSTEM_ADMIN],
        )


@pytest.mark.parametrize("change", [{"active": False}, {"can_login": False}, {"roles": [Role.ADMIN]}])
def test_no_self_lockout(change):
    with pytest.raises(Conflict):
        change_member(
            actor_id="a", actor_roles=SYSADMIN, target_id="a", current=MemberState(SYSADMIN), **change
        )


def test_merging_unions_roles_and_keeps_the_survivors_name():
    survivor = MemberState(frozenset({Role.TECHNICIAN}), active=False, name="Sam")
    duplicate = MemberState(frozenset({Role.DISPATCHER}), active=True, name="Old Sam")

    assert merged_membership(survivor, duplicate) == MemberState(
        frozenset({Role.TECHNICIAN, Role.DISPATCHER}), active=True, name="Sam"
    )
    assert merged_membership(None, duplicate) == duplicate


def test_merging_refuses_staff_and_client_roles_in_one_tenant():
    with pytest.raises(Conflict):
        merged_membership(MemberState(frozenset({Role.CUSTOMER})), MemberState(frozenset({Role.ADMIN})))


def test_a_merge_needs_an_admin_of_every_tenant_the_duplicate_belongs_to():
    check_merge(
        target_id="s", duplicate_ids=["d"], administered_tenants={"a", "b"}, duplicate_tenants={"d": {"a"}}
    )
    with pytest.raises(Forbidden):
        check_merge(
            target_id="s",
            duplicate_ids=["d"],
            administered_tenants={"a"},
            duplicate_tenants={"d": {"a", "b"}},
        )
    with pytest.raises(Invalid):
        check_merge(target_id="s", duplicate_ids=["s"], administered_tenants={"a"}, duplicate_tenants={})
