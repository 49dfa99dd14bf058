"""The estimates API by route group (handoff.api.groups): each module is loaded by the first request to a
path it serves."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

ESTIMATES = "/tenants/<tenant_id>/estimates"
ESTIMATE = f"{ESTIMATES}/<estimate_id>"
VERSION = f"{ESTIMATE}/versions/<version>"
VersionNumber = Annotated[
    int, Path(ge=1, le=99_999, description="A frozen version, 1 for the first submission")
]
