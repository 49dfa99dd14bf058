"""A tenant's members: the list, inviting, reading, editing, merging duplicates and resetting access."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.accounts import repository, service
from handoff.accounts.schemas import (
    AccessResetOut,
    MemberCreate,
    MemberOut,
    MemberPage,
    MemberPatch,
    MergeOut,
    MergeRequest,
)
from handoff.api.app import endpoint, new_app, parse_if_match
from handoff.api.params import DEFAULT_LIMIT, Cursor, IfMatch, Limit, NamePrefix
from handoff.auth.access import Access
from handoff.auth.policy import Action, Role

app = new_app()


@endpoint(app, "GET", "/tenants/<tenant_id>/members", action=Action.MEMBER_LIST, summary="Search personnel")
def search_members(
    tenant_id: str,
    access: Access,
    name_prefix: NamePrefix = None,
    role: Annotated[Role | None, Query()] = None,
    active: Annotated[bool | None, Query()] = None,
    can_login: Annotated[bool | None, Query()] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> MemberPage:
    """By name prefix (case-insensitive), role, active and can-login; ordered by name, one page per call."""
    return service.search_members(
        access,
        name_prefix=name_prefix,
        role=role,
        active=active,
        can_login=can_login,
        limit=limit,
        cursor=cursor,
    )


@endpoint(
    app,
    "POST",
    "/tenants/<tenant_id>/members",
    action=Action.MEMBER_CREATE,
    status=HTTPStatus.CREATED,
    prefetch=repository.tenant_keys,
    summary="Add a user to the tenant",
)
def add_member(tenant_id: str, body: Annotated[MemberCreate, Body()], access: Access) -> MemberOut:
    """Adds the login with this email (creating the identity if it is new) with the given roles."""
    return service.add_member(access, body)


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/members/<user_id>",
    action=Action.MEMBER_READ,
    summary="Read a member",
    prefetch=repository.member_keys,
)
def get_member(tenant_id: str, user_id: str, access: Access) -> MemberOut:
    return service.get_member(access, user_id)


@endpoint(
    app,
    "PATCH",
    "/tenants/<tenant_id>/members/<user_id>",
    action=Action.MEMBER_UPDATE,
    summary="Change roles, active, can-login or name",
    prefetch=repository.member_keys,
)
def update_member(
    tenant_id: str,
    user_id: str,
    body: Annotated[MemberPatch, Body()],
    access: Access,
    if_match: IfMatch = None,
) -> MemberOut:
    return service.update_member(access, user_id, body, parse_if_match(if_match))


@endpoint(
    app,
    "POST",
    "/tenants/<tenant_id>/members/<user_id>/merge",
    action=Action.MEMBER_MERGE,
    summary="Retire duplicate logins into this one",
)
def merge(tenant_id: str, user_id: str, body: Annotated[MergeRequest, Body()], access: Access) -> MergeOut:
    """Moves the duplicates' memberships to this identity, retires them, and writes an audit entry."""
    return service.merge_identities(access, user_id, body)


@endpoint(
    app,
    "POST",
    "/tenants/<tenant_id>/members/<user_id>/reset-access",
    action=Action.MEMBER_RESET_ACCESS,
    status=HTTPStatus.ACCEPTED,
    summary="Reset a member's login: they receive a code by e-mail to choose a new password",
    prefetch=repository.member_keys,
)
def reset_access(tenant_id: str, user_id: str, access: Access) -> AccessResetOut:
    return service.reset_access(access, user_id)
