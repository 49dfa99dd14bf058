"""An estimate's frozen versions, what changed between them, and its history."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from handoff.api.app import endpoint, new_app
from handoff.api.params import DEFAULT_LIMIT, Cursor, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.estimates import repository, service
from handoff.estimates.schemas import DiffOut, HistoryOut, VersionOut, VersionPage

from . import ESTIMATE, VERSION, VersionNumber

app = new_app()


@endpoint(
    app,
    "GET",
    f"{ESTIMATE}/versions",
    action=Action.ESTIMATE_READ,
    summary="Every frozen version, oldest first",
    prefetch=repository.read_keys,
)
def list_versions(
    tenant_id: str, estimate_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> VersionPage:
    return service.versions(access, estimate_id, limit, cursor)


@endpoint(
    app,
    "GET",
    VERSION,
    action=Action.ESTIMATE_READ,
    summary="One frozen version",
    prefetch=repository.version_read_keys,
)
def get_version(tenant_id: str, estimate_id: str, version: VersionNumber, access: Access) -> VersionOut:
    return service.version(access, estimate_id, version)


@endpoint(
    app,
    "GET",
    f"{VERSION}/diff",
    action=Action.ESTIMATE_READ,
    summary="What changed between two versions, line by line",
    prefetch=repository.version_read_keys,
)
def diff_versions(
    tenant_id: str,
    estimate_id: str,
    version: VersionNumber,
    access: Access,
    against: Annotated[int, Query(ge=1, le=99_999, description="The version to compare with")],
) -> DiffOut:
    return service.diff(access, estimate_id, version, against)


@endpoint(
    app,
    "GET",
    f"{ESTIMATE}/history",
    action=Action.ESTIMATE_READ,
    summary="The estimate's one history, seen by both sides",
    prefetch=repository.read_keys,
)
def estimate_history(tenant_id: str, estimate_id: str, access: Access) -> HistoryOut:
    return service.history(access, estimate_id)
