"""Teams and their escalation layers."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body

from handoff.api.app import endpoint, new_app, parse_if_match
from handoff.api.params import DEFAULT_LIMIT, Archived, Cursor, IfMatch, Limit, NamePrefix
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.partners import repository, service
from handoff.partners.schemas import TeamCreate, TeamOut, TeamPage, TeamPatch

from . import TEAMS

app = new_app()


@endpoint(app, "GET", TEAMS, action=Action.TEAM_LIST, summary="Teams by name")
def list_teams(
    tenant_id: str,
    access: Access,
    name_prefix: NamePrefix = None,
    include_archived: Archived = False,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> TeamPage:
    return service.list_teams(access, name_prefix, include_archived, limit, cursor)


@endpoint(app, "POST", TEAMS, action=Action.TEAM_CREATE, status=HTTPStatus.CREATED, summary="Add a team")
def create_team(tenant_id: str, body: Annotated[TeamCreate, Body()], access: Access) -> TeamOut:
    """A ticket logged for the team (`team_id`) goes to someone of its first layer: the partner users of the
    customer's partner organization first, then internal technicians, then (routing outward) the preferred
    vendor; the least loaded, then in turn. Unanswered within the layer's `response_minutes`, it escalates to
    the next layer."""
    return service.create_team(access, body)


@endpoint(
    app, "GET", f"{TEAMS}/<team_id>", action=Action.TEAM_READ, summary="A team", prefetch=repository.team_keys
)
def get_team(tenant_id: str, team_id: str, access: Access) -> TeamOut:
    return service.get_team(access, team_id)


@endpoint(
    app,
    "PATCH",
    f"{TEAMS}/<team_id>",
    action=Action.TEAM_UPDATE,
    summary="Rename, archive or restore a team; replace its layers; route outward or not",
    prefetch=repository.team_keys,
)
def update_team(
    tenant_id: str,
    team_id: str,
    body: Annotated[TeamPatch, Body()],
    access: Access,
    if_match: IfMatch = None,
) -> TeamOut:
    return service.update_team(access, team_id, body, parse_if_match(if_match))
