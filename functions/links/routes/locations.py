"""Locations."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.api.app import endpoint, new_app, parse_if_match
from handoff.api.params import DEFAULT_LIMIT, Cursor, IfMatch, Limit, NamePrefix
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.locations import repository as location_repository
from handoff.locations import service as locations
from handoff.locations.schemas import LocationCreate, LocationOut, LocationPage, LocationPatch

from . import LOCATION, LOCATIONS

app = new_app()


@endpoint(app, "GET", LOCATIONS, action=Action.LOCATION_LIST, summary="List locations by name")
def list_locations(
    tenant_id: str,
    access: Access,
    name_prefix: NamePrefix = None,
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
