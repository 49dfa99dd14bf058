"""Instances and servicer links: locations, "Manage Servicers", and the servicer's linked owners."""

from handoff import coldstart  # isort: split

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.api.app import endpoint, lambda_entry, new_app, parse_if_match
from handoff.api.params import DEFAULT_LIMIT, Cursor, IfMatch, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.links import repository as link_repository
from handoff.links import service as links
from handoff.links.domain import LinkAction
from handoff.links.schemas import (
    InvitationAnswer,
    InvitationOut,
    InvitationPage,
    LinkCreate,
    LinkedOwnerPage,
    LinkOut,
    LinkPage,
    LinkPatch,
)
from handoff.locations import repository as location_repository
from handoff.locations import service as locations
from handoff.locations.schemas import LocationCreate, LocationOut, LocationPage, LocationPatch
from handoff.schema import InvitationReply

app = new_app()

LOCATIONS = "/tenants/<tenant_id>/locations"
LOCATION = f"{LOCATIONS}/<location_id>"
LINKS = "/tenants/<tenant_id>/servicer-links"
LINK = f"{LINKS}/<servicer_id>"


@endpoint(app, "GET", LOCATIONS, action=Action.LOCATION_LIST, summary="List locations by name")
def list_locations(
    tenant_id: str,
    access: Access,
    name_prefix: Annotated[str | None, Query(min_length=1, max_length=120)] = None,
    include_archived: Annotated[bool, Query()] = False,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> LocationPage:
    """A servicer restricted to approved locations sees only those."""
    return locations.list_(
        access, name_prefix=name_prefix, include_archived=include_archived, limit=limit, cursor=cursor
    )


@endpoint(
    app,
    "POST",
    LOCATIONS,
    action=Action.LOCATION_CREATE,
    status=HTTPStatus.CREATED,
    summary="Create a location",
)
def create_location(tenant_id: str, body: Annotated[LocationCreate, Body()], access: Access) -> LocationOut:
    return locations.create(access, body)


@endpoint(
    app,
    "GET",
    LOCATION,
    action=Action.LOCATION_READ,
    summary="Read a location",
    prefetch=location_repository.location_keys,
)
def get_location(tenant_id: str, location_id: str, access: Access) -> LocationOut:
    return locations.get(access, location_id)


@endpoint(
    app,
    "PATCH",
    LOCATION,
    action=Action.LOCATION_UPDATE,
    summary="Update, archive or restore a location",
    prefetch=location_repository.location_keys,
)
def update_location(
    tenant_id: str,
    location_id: str,
    body: Annotated[LocationPatch, Body()],
    access: Access,
    if_match: IfMatch = None,
) -> LocationOut:
    return locations.update(access, location_id, body, parse_if_match(if_match))


@endpoint(app, "GET", LINKS, action=Action.SERVICER_LIST, summary="Manage Servicers: list the links")
def list_links(
    tenant_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> LinkPage:
    return links.list_(access, limit, cursor)


@endpoint(
    app,
    "POST",
    LINKS,
    action=Action.SERVICER_LINK,
    status=HTTPStatus.CREATED,
    summary="Link a servicer instance",
)
def create_link(tenant_id: str, body: Annotated[LinkCreate, Body()], access: Access) -> LinkOut:
    """Only the owner's system_admin links; every flag defaults to off."""
    return links.create(access, body)


@endpoint(
    app,
    "GET",
    LINK,
    action=Action.SERVICER_READ,
    summary="Read a link and its history",
    prefetch=link_repository.link_keys,
)
def get_link(tenant_id: str, servicer_id: str, access: Access) -> LinkOut:
    return links.get(access, servicer_id)


@endpoint(
    app,
    "PATCH",
    LINK,
    action=Action.SERVICER_CHANGE,
    summary="Change flags, suspend or resume a link",
    prefetch=link_repository.link_keys,
)
def update_link(
    tenant_id: str, servicer_id: str, body: Annotated[LinkPatch, Body()], access: Access
) -> LinkOut:
    return links.update(access, servicer_id, body)


@endpoint(
    app,
    "DELETE",
    LINK,
    action=Action.SERVICER_REVOKE,
    summary="Revoke a link (its history stays readable)",
    prefetch=link_repository.revocation_keys,
)
def revoke_link(tenant_id: str, servicer_id: str, access: Access) -> LinkOut:
    return links.revoke(access, servicer_id)


@endpoint(
    app,
    "PUT",
    f"{LINK}/locations/<location_id>",
    action=Action.SERVICER_GRANT_LOCATION,
    summary="Manage Servicer Locations: grant one location",
    prefetch=link_repository.link_location_keys,
)
def grant_location(tenant_id: str, servicer_id: str, location_id: str, access: Access) -> LinkOut:
    return links.grant_location(access, servicer_id, location_id)


@endpoint(
    app,
    "DELETE",
    f"{LINK}/locations/<location_id>",
    action=Action.SERVICER_REVOKE_LOCATION,
    summary="Manage Servicer Locations: take one location back",
    prefetch=link_repository.link_keys,
)
def revoke_location(tenant_id: str, servicer_id: str, location_id: str, access: Access) -> LinkOut:
    return links.revoke_location(access, servicer_id, location_id)


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/linked-owners",
    action=Action.LINKED_OWNERS_LIST,
    summary="The owner instances this servicer instance is linked to",
)
def linked_owners(
    tenant_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> LinkedOwnerPage:
    return links.linked_owners(access, limit, cursor)


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/servicer-invitations",
    action=Action.SERVICER_INVITATION_LIST,
    summary="The owners inviting this instance to work for them, not answered yet",
)
def list_invitations(
    tenant_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> InvitationPage:
    """Nothing of an inviting owner reaches this instance until its system admin accepts."""
    return links.invitations(access, limit, cursor)


@endpoint(
    app,
    "POST",
    "/tenants/<tenant_id>/servicer-invitations/<owner_id>/<action>",
    action=Action.SERVICER_INVITATION_ANSWER,
    summary="Accept or decline an owner's invitation",
    prefetch=link_repository.invitation_keys,
)
def answer_invitation(
    tenant_id: str,
    owner_id: str,
    action: InvitationAnswer,
    body: Annotated[InvitationReply, Body()],
    access: Access,
) -> InvitationOut:
    """Accepting makes the link active at once; an answered, withdrawn or expired invitation is 404."""
    return links.answer(access, owner_id, LinkAction(action.value), body.note)


lambda_handler = lambda_entry(app)

coldstart.ready()
