"""Pure rules of partner organizations: who may be put in a team's escalation layer, what a banner must be
before any image library decodes it (PNG structure, exact size, no hidden payload), and what its re-encoding
may hold (no AWS here)."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from handoff.auth.policy import Role
from handoff.errors import Invalid

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BANNER_WIDTH, BANNER_HEIGHT = 500, 70
MAX_BANNER_BYTES = 64 * 1024
CRITICAL = frozenset({b"IHDR", b"PLTE", b"IDAT", b"IEND"})
TEXT_CHUNKS = frozenset({b"tEXt", b"zTXt", b"iTXt"})
MAX_TEXT_BYTES = 1024


# Who works a team's requests: internal technicians and partner users (dispatchers may take work too).
LAYER_ROLES = frozenset({Role.TECHNICIAN, Role.DISPATCHER, Role.PARTNER})
MAX_LAYERS, MAX_LAYER_MEMBERS = 5, 20


def check_partner_user(roles: frozenset[Role], partner_org_id: str | None, field: str) -> None:
    """A partner user works for a partner organization: one who belongs to none is given no work."""
    if Role.PARTNER in roles and partner_org_id is None:
        raise Invalid(
            field,
            "this partner user belongs to no partner organization; add them to one "
            "(…/partner-organizations/{partner_org_id}/technicians) first",
        )


def check_layer_member(roles: frozenset[Role] | None, partner_org_id: str | None, field: str) -> None:
    if roles is None:
        raise Invalid(field, "not an active member of this tenant")
    if not roles & LAYER_ROLES:
        raise Invalid(field, "a layer holds technicians, dispatchers and partner users")
    check_partner_user(roles, partner_org_id, field)


@dataclass(frozen=True)
class Chunk:
    kind: bytes
    data: bytes


class BannerRefused(Invalid):
    """A banner upload that is not a clean 500x70 PNG: 422 naming the exact reason."""

    def __init__(self, reason: str):
        super().__init__("file", reason, location="upload")


def check_declared_size(size: int) -> None:
    if size > MAX_BANNER_BYTES:
        raise Invalid("size_bytes", f"a banner is at most {MAX_BANNER_BYTES} bytes")


def check_size(declared: int, actual: int) -> None:
    """Before anything is read: the object is the size announced, and within the limit."""
    if actual > MAX_BANNER_BYTES:
        raise BannerRefused(f"the file is {actual} bytes; a banner is at most {MAX_BANNER_BYTES}")
    if actual != declared:
        raise BannerRefused(f"the file is {actual} bytes, not the {declared} announced")


def chunks(data: bytes) -> list[Chunk]:
    """The PNG's chunks, each one's CRC checked, ending at IEND with nothing after it."""
    if not data.startswith(PNG_SIGNATURE):
        raise BannerRefused("the file is not a PNG (its signature is missing)")
    found: list[Chunk] = []
    at = len(PNG_SIGNATURE)
    while True:
        if at + 8 > len(data):
            raise BannerRefused("the PNG ends before its IEND chunk")
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        end = at + 8 + length + 4
        if end > len(data):
            raise BannerRefused(f"the {kind.decode('latin-1')!r} chunk runs past the end of the file")
        body = data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : end])
        if zlib.crc32(kind + body) != crc:
            raise BannerRefused(f"the {kind.decode('latin-1')!r} chunk has a bad CRC")
        found.append(Chunk(kind, body))
        at = end
        if kind == b"IEND":
            break
    if at != len(data):
        raise BannerRefused("the file holds data after its IEND chunk")
    return found


def check_banner(data: bytes) -> None:
    """Everything that can be refused before decoding: structure, CRCs, one IHDR first and exactly 500x70
    (a 50000x50000 header is refused here, never handed to a decoder), the critical chunks in their order,
    and no markup in text chunks."""
    found = chunks(data)
    first = found[0]
    if first.kind != b"IHDR" or len(first.data) != 13:
        raise BannerRefused("the PNG does not start with a valid IHDR chunk")
    width, height = struct.unpack(">II", first.data[:8])
    if (width, height) != (BANNER_WIDTH, BANNER_HEIGHT):
        raise BannerRefused(
            f"the image is {width}x{height}; a banner is exactly {BANNER_WIDTH}x{BANNER_HEIGHT}"
        )
    _check_order(found, colour_type=first.data[9])
    for chunk in found:
        if chunk.kind in (b"zTXt", b"iTXt") and (chunk.kind == b"zTXt" or _compressed_itxt(chunk.data)):
            raise BannerRefused(f"the PNG holds a compressed {chunk.kind.decode()} chunk; plain text only")
        if chunk.kind in TEXT_CHUNKS:
            text = chunk.data
            if len(text) > MAX_TEXT_BYTES or b"<" in text or b">" in text:
                raise BannerRefused(f"the PNG's {chunk.kind.decode()} chunk carries markup or too much text")


def _compressed_itxt(data: bytes) -> bool:
    keyword_end = data.find(b"\x00")
    return keyword_end >= 0 and data[keyword_end + 1 : keyword_end + 2] == b"\x01"


def _check_order(found: list[Chunk], colour_type: int) -> None:
    """One IHDR; the palette (required for a palette image) before the image data; the image data in one
    run; IEND empty."""
    kinds = [c.kind for c in found]
    if kinds.count(b"IHDR") != 1:
        raise BannerRefused("the PNG holds more than one IHDR chunk")
    if b"IDAT" not in kinds:
        raise BannerRefused("the PNG holds no image data (IDAT)")
    first_idat = kinds.index(b"IDAT")
    last_idat = len(kinds) - 1 - kinds[::-1].index(b"IDAT")
    if any(k != b"IDAT" for k in kinds[first_idat : last_idat + 1]):
        raise BannerRefused("the PNG's image data (IDAT) is not in one run")
    if kinds.count(b"PLTE") > 1 or (b"PLTE" in kinds and kinds.index(b"PLTE") > first_idat):
        raise BannerRefused("the PNG's palette (PLTE) is misplaced")
    if colour_type == 3 and b"PLTE" not in kinds:
        raise BannerRefused("the palette image holds no palette (PLTE)")
    if found[-1].data:
        raise BannerRefused("the PNG's IEND chunk is not empty")


def check_reencoded(data: bytes) -> None:
    """What is published holds critical chunks only."""
    extra = sorted({c.kind.decode("latin-1") for c in chunks(data)} - {k.decode() for k in CRITICAL})
    if extra:
        raise RuntimeError(f"the re-encoded banner still holds ancillary chunks: {extra}")
