"""The banner check both routes publish through: Pillow (in this function's requirements alone) decodes the
upload completely and writes it again. The routes are in groups (handoff.api.groups)."""


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
