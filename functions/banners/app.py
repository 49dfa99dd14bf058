"""The banner check: the one function that loads the image library (Pillow, in its own requirements), so no
other function pays for it at cold start."""

from handoff import coldstart  # isort: split

from handoff.api.app import endpoint, lambda_entry, new_app
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.partners import repository, service
from handoff.partners.schemas import DefaultBannerOut, PartnerOrgOut

app = new_app()


def reencode(data: bytes) -> bytes:
    """Decodes the PNG completely and writes it again: pixels only, no ancillary chunk of the upload's."""
    import io

    from PIL import Image

    from handoff.partners.domain import BANNER_HEIGHT, BANNER_WIDTH, BannerRefused

    Image.MAX_IMAGE_PIXELS = BANNER_WIDTH * BANNER_HEIGHT  # anything bigger is refused, never decoded
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            image.load()
            if image.size != (BANNER_WIDTH, BANNER_HEIGHT):
                raise BannerRefused(f"the image decodes as {image.size[0]}x{image.size[1]}, not 500x70")
            keeps_mode = image.mode in ("RGB", "RGBA", "L", "LA", "P") and "transparency" not in image.info
            pixels = image.copy() if keeps_mode else image.convert("RGBA")  # transparency kept as alpha
    except BannerRefused:
        raise
    except Exception as error:  # whatever the decoder raises, the file is refused, never a 500
        raise BannerRefused(f"the PNG does not decode cleanly ({type(error).__name__})") from error
    pixels.info = {}
    out = io.BytesIO()
    pixels.save(out, format="PNG", optimize=True)
    return out.getvalue()


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


lambda_handler = lambda_entry(app)

coldstart.ready()
