"""Servicer links: linking a contractor's instance, its flags and restricted locations."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body

from handoff.api.app import endpoint, new_app
from handoff.api.params import DEFAULT_LIMIT, Cursor, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.links import repository as link_repository
from handoff.links import service as links
from handoff.links.schemas import LinkCreate, LinkOut, LinkPage, LinkPatch

from . import LINK, LINKS

app = new_app()


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
