"""The portal's default banner, checked and published."""

from handoff.api.app import endpoint, new_app
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.partners import repository, service
from handoff.partners.schemas import DefaultBannerOut

from . import reencode

app = new_app()


@endpoint(
    app,
    "POST",
    "/tenants/<tenant_id>/portal/banner/confirm",
    action=Action.BANNER_UPLOAD,
    summary="Check the uploaded default banner and publish it re-encoded (422 with the reason if refused)",
    prefetch=repository.branding_keys,
)
def confirm_default_banner(tenant_id: str, access: Access) -> DefaultBannerOut:
    """The same checks as a partner organization's banner."""
    return service.confirm_default_banner(access, reencode)
