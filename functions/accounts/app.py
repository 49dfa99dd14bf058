"""Identity and tenants: tenants, members, personnel search, duplicate-login merges, and `GET /me`."""

from handoff import coldstart  # isort: split

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.accounts import invitations, repository, service
from handoff.accounts.schemas import (
    AccessResetOut,
    Invitation,
    InvitationAnswer,
    MemberCreate,
    MemberOut,
    MemberPage,
    MemberPatch,
    MeOut,
    MePatch,
    MergeOut,
    MergeRequest,
    ResourceCreate,
    ResourcePatch,
    TechnicianAdd,
    TenantCreate,
    TenantOut,
    TenantPatch,
)
from handoff.api.app import endpoint, lambda_entry, new_app, parse_if_match
from handoff.api.params import DEFAULT_LIMIT, Cursor, IfMatch, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action, Role
from handoff.partners.public import partner_org_keys
from handoff.schema import InvitationReply

app = new_app()


@endpoint(
    app, "POST", "/tenants", action=Action.TENANT_CREATE, status=HTTPStatus.CREATED, summary="Create a tenant"
)
def create_tenant(body: Annotated[TenantCreate, Body()], access: Access) -> TenantOut:
    """The caller becomes the new tenant's first system_admin."""
    return service.create_tenant(access, body)


@endpoint(app, "GET", "/me", action=Action.ME_READ, summary="Who am I and where can I work")
def me(access: Access) -> MeOut:
    return service.me(access)


@endpoint(app, "PATCH", "/me", action=Action.ME_UPDATE, summary="Update your own profile (name, phone)")
def update_me(body: Annotated[MePatch, Body()], access: Access, if_match: IfMatch = None) -> MeOut:
    return service.update_me(access, body, parse_if_match(if_match))


@endpoint(
    app,
    "POST",
    "/me/invitations/<invitation_id>/<action>",
    action=Action.ME_INVITATION_ANSWER,
    summary="Accept or decline an instance's invitation to become its member",
)
def answer_invitation(
    invitation_id: str, action: InvitationAnswer, body: Annotated[InvitationReply, Body()], access: Access
) -> Invitation:
    """Invitations are listed in `GET /me`. Accepting opens the instance to this login at once; an
    answered or expired invitation (or another login's) is 404."""
    return invitations.answer(access, invitation_id, action is InvitationAnswer.ACCEPT, body.note)


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>",
    action=Action.TENANT_READ,
    summary="Read the tenant's profile",
    prefetch=repository.tenant_keys,
)
def get_tenant(tenant_id: str, access: Access) -> TenantOut:
    return service.get_tenant(access)


@endpoint(
    app,
    "PATCH",
    "/tenants/<tenant_id>",
    action=Action.TENANT_UPDATE,
    summary="Update the tenant's profile",
    prefetch=repository.tenant_keys,
)
def update_tenant(
    tenant_id: str, body: Annotated[TenantPatch, Body()], access: Access, if_match: IfMatch = None
) -> TenantOut:
    return service.update_tenant(access, body, parse_if_match(if_match))


@endpoint(app, "GET", "/tenants/<tenant_id>/members", action=Action.MEMBER_LIST, summary="Search personnel")
def search_members(
    tenant_id: str,
    access: Access,
    name_prefix: Annotated[str | None, Query(min_length=1, max_length=120)] = None,
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


TECHNICIANS = "/tenants/<tenant_id>/partner-organizations/<partner_org_id>/technicians"


@endpoint(
    app,
    "GET",
    TECHNICIANS,
    action=Action.MEMBER_LIST,
    summary="A partner organization's technicians",
    prefetch=partner_org_keys,
)
def list_technicians(
    tenant_id: str, partner_org_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> MemberPage:
    """Its members with the partner role, by name (the association is the membership's `partner_org_id`):
    member records, so those who may list members read them."""
    return service.technicians(access, partner_org_id, limit, cursor)


@endpoint(
    app,
    "POST",
    TECHNICIANS,
    action=Action.MEMBER_UPDATE,
    summary="Put a member with the partner role in the organization",
    prefetch=partner_org_keys,
)
def add_technician(
    tenant_id: str, partner_org_id: str, body: Annotated[TechnicianAdd, Body()], access: Access
) -> MemberOut:
    return service.add_technician(access, partner_org_id, body.user_id)


@endpoint(
    app,
    "DELETE",
    f"{TECHNICIANS}/<user_id>",
    action=Action.MEMBER_UPDATE,
    summary="Take a technician out of the organization",
    prefetch=repository.member_keys,
)
def remove_technician(tenant_id: str, partner_org_id: str, user_id: str, access: Access) -> MemberOut:
    """They stay a member; teams refuse a partner user who belongs to no organization."""
    return service.remove_technician(access, partner_org_id, user_id)


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


RESOURCES = "/tenants/<tenant_id>/partner-company/resources"


@endpoint(app, "GET", RESOURCES, action=Action.RESOURCE_LIST, summary="The partner company's people, by name")
def list_resources(
    tenant_id: str,
    access: Access,
    name_prefix: Annotated[str | None, Query(min_length=1, max_length=120)] = None,
    active: Annotated[bool | None, Query()] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> MemberPage:
    """A partner company's admin portal in its own instance: its staff, with who may accept offered work
    (`accepts_work`). Its profile is the instance's own (`GET`/`PATCH /tenants/{tenant_id}`)."""
    return service.search_members(
        access, name_prefix=name_prefix, role=None, active=active, can_login=None, limit=limit, cursor=cursor
    )


@endpoint(
    app,
    "POST",
    RESOURCES,
    action=Action.RESOURCE_CREATE,
    status=HTTPStatus.CREATED,
    prefetch=repository.tenant_keys,
    summary="Add one of the company's people (a technician unless named otherwise)",
)
def add_resource(tenant_id: str, body: Annotated[ResourceCreate, Body()], access: Access) -> MemberOut:
    return service.add_member(access, body.as_member())


@endpoint(
    app,
    "GET",
    f"{RESOURCES}/<user_id>",
    action=Action.RESOURCE_READ,
    summary="One of the company's people",
    prefetch=repository.member_keys,
)
def get_resource(tenant_id: str, user_id: str, access: Access) -> MemberOut:
    return service.get_member(access, user_id)


@endpoint(
    app,
    "PATCH",
    f"{RESOURCES}/<user_id>",
    action=Action.RESOURCE_UPDATE,
    summary="Rename, change roles, deactivate, or allow to accept work",
    prefetch=repository.member_keys,
)
def update_resource(
    tenant_id: str,
    user_id: str,
    body: Annotated[ResourcePatch, Body()],
    access: Access,
    if_match: IfMatch = None,
) -> MemberOut:
    return service.update_member(access, user_id, body.as_member(), parse_if_match(if_match))


@endpoint(
    app,
    "POST",
    f"{RESOURCES}/<user_id>/reset-access",
    action=Action.RESOURCE_RESET_ACCESS,
    status=HTTPStatus.ACCEPTED,
    summary="Reset a resource's login: they receive a code by e-mail to choose a new password",
    prefetch=repository.member_keys,
)
def reset_resource_access(tenant_id: str, user_id: str, access: Access) -> AccessResetOut:
    return service.reset_access(access, user_id)


lambda_handler = lambda_entry(app)

coldstart.ready()
