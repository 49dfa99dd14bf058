"""A partner organization's banner, checked and published."""

from handoff.api.app import endpoint, new_app
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.partners import repository, service
from handoff.partners.schemas import PartnerOrgOut

from . import reencode

app = new_app()


@endpoint(
    app,
    "POST",
    "/tenants/<tenant_id>/partner-organizations/<partner_org_id>/banner/confirm",
    action=Action.BANNER_UPLOAD,
    summary="Check the uploaded banner and publish it re-encoded (422 with the reason if it is refused)",
    prefetch=repository.partner_org_keys,
)
def confirm_banner(tenant_id: str, partner_org_id: str, access: Access) -> PartnerOrgOut:
    """Refused unless it is a PNG whose IHDR comes first with a valid CRC, exactly 500x70, at most 64 KiB
    (its size checked before reading, its dimensions before decoding), every chunk's CRC valid, nothing after
    IEND, no markup in text chunks, and it decodes cleanly. A refused upload is deleted; the current banner
    stays."""
    return service.confirm_banner(access, partner_org_id, reencode)
