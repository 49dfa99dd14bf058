"""A partner company's own admin of its resources (its users in this instance)."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.accounts import repository, service
from handoff.accounts.schemas import AccessResetOut, MemberOut, MemberPage, ResourceCreate, ResourcePatch
from handoff.api.app import endpoint, new_app, parse_if_match
from handoff.api.params import DEFAULT_LIMIT, Cursor, IfMatch, Limit, NamePrefix
from handoff.auth.access import Access
from handoff.auth.policy import Action

from . import RESOURCES

app = new_app()


@endpoint(app, "GET", RESOURCES, action=Action.RESOURCE_LIST, summary="The partner company's people, by name")
def list_resources(
    tenant_id: str,
    access: Access,
    name_prefix: NamePrefix = None,
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
