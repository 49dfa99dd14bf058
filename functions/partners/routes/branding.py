"""Portal branding: banners uploaded through presigned POSTs, and the branding a portal user sees."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from handoff.api.app import endpoint, new_app
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.ids import ULID_PATTERN
from handoff.partners import repository, service
from handoff.partners.schemas import BannerUploadIn, BannerUploadOut, BrandingOut

from . import ORG

app = new_app()


@endpoint(
    app,
    "POST",
    f"{ORG}/banner/upload",
    action=Action.BANNER_UPLOAD,
    summary="A presigned upload for the organization's banner (a 500x70 PNG of at most 64 KiB)",
    prefetch=repository.partner_org_keys,
)
def upload_banner(
    tenant_id: str, partner_org_id: str, body: Annotated[BannerUploadIn, Body()], access: Access
) -> BannerUploadOut:
    """POST the file to `url` with `fields`, then confirm it (`…/banner/confirm`): nothing is served before
    the check."""
    return service.start_banner_upload(access, partner_org_id, body)


@endpoint(
    app,
    "POST",
    "/tenants/<tenant_id>/portal/banner/upload",
    action=Action.BANNER_UPLOAD,
    summary="A presigned upload for the tenant's default banner (a 500x70 PNG of at most 64 KiB)",
    prefetch=repository.branding_keys,
)
def upload_default_banner(
    tenant_id: str, body: Annotated[BannerUploadIn, Body()], access: Access
) -> BannerUploadOut:
    """What the portal shows a customer whose partner organization shows no banner of its own; confirm it
    (`…/portal/banner/confirm`): nothing is served before the check."""
    return service.start_banner_upload(access, None, body)


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/portal/branding",
    action=Action.BRANDING_READ,
    summary="The banner a portal user's company shows (its partner organization's, or the default)",
)
def branding(
    tenant_id: str,
    access: Access,
    customer_id: Annotated[
        str | None, Query(pattern=ULID_PATTERN, description="One of your companies; default: the first")
    ] = None,
) -> BrandingOut:
    return service.branding(access, customer_id)
