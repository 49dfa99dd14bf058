"""A ticket's attachments and their presigned uploads."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from handoff.schema import ReadModel, WriteModel
from handoff.tickets.schemas import Id


class AttachmentCreate(WriteModel):
    """Announce a file: the answer carries a presigned upload limited to this type and size."""

    filename: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^/\\\x00-\x1f]+$"),
    ]
    content_type: Literal["image/jpeg", "image/png", "image/webp", "application/pdf"]
    size_bytes: int = Field(ge=1, le=10 * 1024 * 1024, description="At most 10 MiB")
    purpose: Literal["photo", "document", "receipt"] = "photo"
    cost_id: Id | None = Field(default=None, description="A cost line of this ticket it belongs to")
    internal: bool = Field(default=False, description="Kept with your own company")


class AttachmentOut(ReadModel):
    attachment_id: str
    ticket_id: str
    filename: str
    content_type: str
    size_bytes: int
    purpose: str
    cost_id: str | None
    internal: bool
    status: Literal["awaiting_upload", "available", "rejected"]
    rejection: str | None
    by: str
    company_id: str
    download_url: str | None = Field(
        default=None, description="Available ones, read one at a time: a presigned URL valid for minutes"
    )
    created_at: datetime
    updated_at: datetime


class UploadOut(ReadModel):
    url: str
    fields: dict[str, str] = Field(description="Post them with the file (last) as multipart/form-data")
    expires_at: datetime


class AttachmentAnnounced(ReadModel):
    attachment: AttachmentOut
    upload: UploadOut


class AttachmentPage(ReadModel):
    items: list[AttachmentOut]
    next_cursor: str | None
