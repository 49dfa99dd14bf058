"""Files in S3 (attachments, banners): presigned uploads limited in type and size, the checked bytes read
back, published under a key of their own, and served only by short-lived presigned downloads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from handoff import aws
from handoff.errors import Conflict
from handoff.ids import utc_now


@dataclass(frozen=True)
class Upload:
    url: str
    fields: dict[str, str]
    expires_at: datetime


@dataclass(frozen=True)
class Uploaded:
    size: int
    head: bytes
    etag: str  # the bytes that were checked: what is published must be these


class UploadChanged(Conflict):
    """The upload was replaced between its check and its publication: the client confirms again (409)."""

    def __init__(self, key: str):
        super().__init__("the upload was replaced while it was checked; confirm again", code="upload_changed")
        self.key = key


def presigned_upload(bucket: str, key: str, content_type: str, max_bytes: int, seconds: int) -> Upload:
    """A POST policy S3 itself enforces: this key, this content type, at most `max_bytes`."""
    post = aws.s3().generate_presigned_post(
        Bucket=bucket,
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
        ExpiresIn=seconds,
    )
    return Upload(post["url"], dict(post["fields"]), utc_now() + timedelta(seconds=seconds))


def uploaded(bucket: str, key: str, head_bytes: int) -> Uploaded | None:
    """The uploaded object's size and first bytes, or None when nothing was uploaded (yet)."""
    from botocore.exceptions import ClientError

    try:
        found = aws.s3().head_object(Bucket=bucket, Key=key)
        size, etag = int(found["ContentLength"]), str(found["ETag"])
        if size == 0 or head_bytes == 0:
            return Uploaded(size, b"", etag)
        body = aws.s3().get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{head_bytes - 1}", IfMatch=etag)[
            "Body"
        ]
        return Uploaded(size, body.read(head_bytes), etag)
    except ClientError as error:
        if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            return None
        if error.response["Error"]["Code"] in ("412", "PreconditionFailed"):
            raise UploadChanged(key) from error
        raise


def publish(bucket: str, source: Uploaded, key: str, target: str, content_type: str, filename: str) -> None:
    """Copies the checked upload — those very bytes (its ETag) — to the key it is served from: the upload's
    presigned POST may still be used, so what is served is never the upload key itself."""
    from botocore.exceptions import ClientError

    try:
        aws.s3().copy_object(
            Bucket=bucket,
            Key=target,
            CopySource={"Bucket": bucket, "Key": key},
            CopySourceIfMatch=source.etag,
            MetadataDirective="REPLACE",
            ContentType=content_type,
            ContentDisposition=_disposition(filename),
        )
    except ClientError as error:
        if error.response["Error"]["Code"] in ("412", "PreconditionFailed"):
            raise UploadChanged(key) from error
        raise


def read(bucket: str, key: str, max_bytes: int, etag: str) -> bytes:
    """The whole object (those very bytes, at most `max_bytes`: its size was checked first)."""
    from botocore.exceptions import ClientError

    try:
        found = aws.s3().get_object(Bucket=bucket, Key=key, IfMatch=etag, Range=f"bytes=0-{max_bytes - 1}")
    except ClientError as error:
        if error.response["Error"]["Code"] in ("412", "PreconditionFailed", "404", "NoSuchKey"):
            raise UploadChanged(key) from error
        raise
    data: bytes = found["Body"].read(max_bytes)
    return data


def put(bucket: str, key: str, data: bytes, content_type: str) -> None:
    aws.s3().put_object(Bucket=bucket, Key=key, Body=data, ContentType=content_type)


def discard(bucket: str, key: str) -> None:
    """Deletes an upload; a lifecycle rule removes whatever a failure here leaves behind."""
    aws.s3().delete_object(Bucket=bucket, Key=key)


def download_url(bucket: str, key: str, filename: str, seconds: int, *, inline: bool = False) -> str:
    """A presigned GET valid for `seconds`: a download, or (a re-encoded banner) shown inline."""
    disposition = "inline" if inline else _disposition(filename)
    params: dict[str, Any] = {"Bucket": bucket, "Key": key, "ResponseContentDisposition": disposition}
    url: str = aws.s3().generate_presigned_url("get_object", Params=params, ExpiresIn=seconds)
    return url


def _disposition(filename: str) -> str:
    """Always a download, never rendered inline; the name quoted safely."""
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(filename)}"
