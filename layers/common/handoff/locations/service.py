"""Use cases for locations, as an owner's member or as a linked servicer (bounded by the link's flags)."""

from __future__ import annotations

from typing import Any

from handoff import keys
from handoff.auth.access import Access
from handoff.errors import NotFound, check_version
from handoff.events.envelope import Envelope, new_event, user_actor
from handoff.links import public as links
from handoff.locations import repository as repo
from handoff.locations.schemas import LocationCreate, LocationOut, LocationPage, LocationPatch
from handoff.store.pages import page_of_ids
from handoff.store.table import Item

SOURCE = "handoff.links"
LOCATION_NOT_FOUND = "location not found"


def _out(item: repo.LocationItem) -> LocationOut:
    return LocationOut.model_validate(item, from_attributes=True)


def _event(access: Access, type: str, item: repo.LocationItem, version: int, **data: Any) -> Envelope:
    via = {"via_servicer": access.servicer.servicer_id} if access.servicer else {}
    return new_event(
        source=SOURCE,
        type=type,
        tenant_id=access.tenant,
        entity_type="location",
        entity_id=item.location_id,
        version=version,
        actor=user_actor(access.user_id, access.servicer.servicer_id if access.servicer else access.tenant),
        data={"name": item.name, "archived": item.archived, **via, **data},
    )


def _visible(access: Access, location_id: str) -> repo.LocationItem:
    item = repo.get_location(access.tenant, location_id)
    if item is None or (access.servicer is not None and not access.servicer.may_see_location(location_id)):
        raise NotFound(LOCATION_NOT_FOUND)
    return item


def list_(
    access: Access, *, name_prefix: str | None, include_archived: bool, limit: int, cursor: str | None
) -> LocationPage:
    grant = access.servicer
    if grant is None or not grant.flags.restricted_locations:
        page = repo.list_locations(
            access.tenant,
            name_prefix=name_prefix,
            include_archived=include_archived,
            limit=limit,
            cursor=cursor,
        )
        return LocationPage(items=[_out(i) for i in page.items], next_cursor=page.next_cursor)
    # A restricted servicer pages through the locations granted to it (one BatchGetItem per page).
    scope = keys.cursor_scope(
        keys.CursorQuery.GRANTED_LOCATIONS, access.tenant, grant.servicer_id, name_prefix, include_archived
    )
    ids, next_cursor = page_of_ids(sorted(grant.approved_locations), limit, cursor, scope)
    items = [
        item
        for item in repo.get_locations(access.tenant, ids)
        if (include_archived or not item.archived)
        and (not name_prefix or item.name.casefold().startswith(name_prefix.casefold()))
    ]
    return LocationPage(items=[_out(i) for i in items], next_cursor=next_cursor)


def get(access: Access, location_id: str) -> LocationOut:
    return _out(_visible(access, location_id))


def create(access: Access, body: LocationCreate) -> LocationOut:
    item = repo.new_location(access.tenant, body.name, access.user_id, **body.model_dump(exclude={"name"}))
    also: list[Item] = []
    grant = access.servicer
    if grant is not None and grant.flags.restricted_locations:
        # What a restricted servicer creates, it may see: the grant commits with the location.
        also.append(
            links.grant_created_location(access.tenant, grant.servicer_id, item.location_id, access.user_id)
        )
    repo.save_location(item, _event(access, "LocationCreated", item, 1), also)
    return _out(item)


def update(
    access: Access, location_id: str, patch: LocationPatch, expected_version: int | None
) -> LocationOut:
    item = _visible(access, location_id)
    check_version(expected_version, item.version)
    changes = patch.model_dump(exclude_unset=True)
    was_archived = item.archived
    for field, value in changes.items():
        setattr(item, field, value)
    if not was_archived and item.archived:
        kind = "LocationArchived"
    elif was_archived and not item.archived:
        kind = "LocationRestored"
    else:
        kind = "LocationUpdated"
    event = _event(access, kind, item, (item.version or 0) + 1, changed=sorted(changes))
    repo.save_location(item, event)
    return _out(item)
