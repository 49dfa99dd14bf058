"""What a file is, from its first bytes rather than from what its uploader says (pure: no AWS)."""

from __future__ import annotations

# The types an upload may be, by the signature its bytes start with.
SIGNATURES: tuple[tuple[str, bytes, int], ...] = (
    ("image/png", b"\x89PNG\r\n\x1a\n", 0),
    ("image/jpeg", b"\xff\xd8\xff", 0),
    ("application/pdf", b"%PDF-", 0),
    ("image/webp", b"WEBP", 8),  # RIFF....WEBP
)
HEAD_BYTES = 16  # enough for every signature above


def sniff(head: bytes) -> str | None:
    """The type the bytes are, or None for none of the accepted ones."""
    for content_type, signature, offset in SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            if content_type == "image/webp" and not head.startswith(b"RIFF"):
                continue
            return content_type
    return None


def refusal(declared_type: str, declared_size: int, actual_size: int, head: bytes) -> str | None:
    """Why an upload is refused (its size or its bytes contradict what was announced), or None."""
    if actual_size > declared_size:
        return f"the file is {actual_size} bytes, more than the {declared_size} announced"
    if actual_size != declared_size:
        return f"the file is {actual_size} bytes, not the {declared_size} announced"
    found = sniff(head)
    if found is None:
        return f"the file is not a {declared_type} (its bytes are none of the accepted types)"
    if found != declared_type:
        return f"the file is a {found}, not the {declared_type} announced"
    return None
