"""Banner files for tests: a valid 500x70 PNG made with Pillow, and PNGs broken chunk by chunk."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, PngImagePlugin


def chunk(kind: bytes, data: bytes, *, crc: int | None = None) -> bytes:
    value = zlib.crc32(kind + data) if crc is None else crc
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", value)


def valid(width: int = 500, height: int = 70, text: str | None = "made by hand") -> bytes:
    image = Image.new("RGB", (width, height), (20, 90, 160))
    info = PngImagePlugin.PngInfo()
    if text:
        info.add_text("Comment", text)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def chunks_of(data: bytes) -> list[bytes]:
    found, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        found.append(data[at + 4 : at + 8])
        at += 12 + length
    return found


def header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims these dimensions (no decoder should ever be handed it)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


def bad_crc() -> bytes:
    data = bytearray(valid(text=None))
    data[8 + 8 + 13] ^= 0xFF  # the IHDR's CRC
    return bytes(data)


def with_script() -> bytes:
    data = valid(text=None)
    end = data.rindex(b"IEND") - 4
    return data[:end] + chunk(b"tEXt", b"Comment\x00<script>alert(1)</script>") + data[end:]


def second_ihdr() -> bytes:
    """A 500x70 IHDR, then another for 600x80 whose image data follows (a decoder would use the last one)."""
    big = valid(600, 80, text=None)
    ihdr = struct.pack(">IIBBBBB", 500, 70, 8, 2, 0, 0, 0)
    return big[:8] + chunk(b"IHDR", ihdr) + big[8:]


def no_image_data() -> bytes:
    ihdr = struct.pack(">IIBBBBB", 500, 70, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def transparent() -> bytes:
    image = Image.new("P", (500, 70), 0)
    image.putpalette([0, 0, 0, 255, 255, 255])
    out = io.BytesIO()
    image.save(out, format="PNG", transparency=0)
    return out.getvalue()


BROKEN = {
    "not a PNG": (b"GIF89a" + b"\x00" * 200, "not a PNG"),
    "499x70": (valid(499, 70), "499x70"),
    "500x71": (valid(500, 71), "500x71"),
    "a 50000x50000 header": (header_only(50000, 50000), "50000x50000"),
    "a bad CRC": (bad_crc(), "bad CRC"),
    "data after IEND": (valid(text=None) + b"<html>payload</html>", "after its IEND"),
    "a tEXt chunk carrying a script": (with_script(), "markup"),
    "an oversize file": (valid(text=None) + b"\x00" * 70_000, "at most 65536"),
    "a second IHDR": (second_ihdr(), "more than one IHDR"),
    "no image data": (no_image_data(), "no image data"),
}
