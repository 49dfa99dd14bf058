"""Files on tickets and their cost lines (photos, documents, receipts): announced, uploaded straight to S3
by a presigned POST limited to the announced type and size, then confirmed by the API, which checks the
bytes themselves (type sniffed, size compared) before publishing them under a key of their own. Read only
by short-lived presigned download, and only by the two companies (an internal file: only its own)."""

from __future__ import annotations

from datetime import timedelta

from aws_lambda_powertools import Logger

from handoff import filetypes, storage
from handoff.auth.access import Access
from handoff.config import file_settings
from handoff.errors import Conflict, Forbidden, Invalid, NotFound
from handoff.ids import utc_now
from handoff.keys import attachment_object_key
from handoff.tickets import domain, service
from handoff.tickets import repository as repo
from handoff.tickets.domain import Side, TicketStatus
from handoff.tickets.schemas.attachments import (
    AttachmentAnnounced,
    AttachmentCreate,
    AttachmentOut,
    AttachmentPage,
    UploadOut,
)

logger = Logger(child=True)
ATTACHMENT_NOT_FOUND = "attachment not found"
UNCONFIRMED_KEPT = timedelta(days=1)  # an announced upload never confirmed is forgotten after this


def may_see(attachment: repo.AttachmentItem, doer: service.Doer) -> bool:
    """Its own company always; the other side when it is shared and available, and for a partner only what
    belongs to its own assignment (never another partner's)."""
    if doer.side is Side.PARTNER and attachment.assignment != doer.company_id:
        return False
    if attachment.company_id == doer.company_id:
        return True
    return not attachment.internal and attachment.status == "available"


def _visible(item: repo.TicketItem, attachment_id: str, doer: service.Doer) -> repo.AttachmentItem:
    attachment = repo.get_attachment(item.tenant_id, item.ticket_id, attachment_id)
    if attachment is None or not may_see(attachment, doer):
        raise NotFound(ATTACHMENT_NOT_FOUND)
    return attachment


def attachment_out(attachment: repo.AttachmentItem, download_url: str | None = None) -> AttachmentOut:
    return AttachmentOut.model_validate(
        {
            **{
                name: getattr(attachment, name)
                for name in AttachmentOut.model_fields
                if name != "download_url"
            },
            "size_bytes": int(attachment.size_bytes),
            "internal": bool(attachment.internal),
            "download_url": download_url,
        }
    )


def _check_open(item: repo.TicketItem) -> None:
    status = TicketStatus(item.status)
    if status not in domain.ACTIVE and status is not TicketStatus.READY_TO_SUBMIT:
        raise Conflict(f"a ticket that is {status.value} takes no more files", code="read_only")


def announce(access: Access, ticket_id: str, body: AttachmentCreate) -> AttachmentAnnounced:
    doer = service.doer_of(access)
    item = service.visible(access.tenant, ticket_id, doer)
    _check_open(item)
    if body.cost_id is not None:
        cost = repo.get_cost(item.tenant_id, item.ticket_id, body.cost_id)
        if cost is None or not _may_see_cost(cost, doer):
            raise Invalid("cost_id", "not a cost line of this ticket")
    attachment = repo.new_attachment(
        item,
        doer.by,
        doer.company_id,
        service.shared_with(item, doer, body.internal),
        filename=body.filename,
        content_type=body.content_type,
        size_bytes=body.size_bytes,
        purpose=body.purpose,
        cost_id=body.cost_id,
        internal=body.internal,
        expires_at=int((utc_now() + UNCONFIRMED_KEPT).timestamp()),
    )
    settings = file_settings()
    upload = storage.presigned_upload(
        settings.attachment_bucket,
        attachment.upload_key,
        body.content_type,
        body.size_bytes,
        settings.upload_seconds,
    )
    repo.announce(attachment)
    return AttachmentAnnounced(
        attachment=attachment_out(attachment),
        upload=UploadOut(url=upload.url, fields=upload.fields, expires_at=upload.expires_at),
    )


def _may_see_cost(cost: repo.CostItem, doer: service.Doer) -> bool:
    if doer.side is Side.PARTNER:
        return cost.assignment == doer.company_id
    return True


def confirm(access: Access, ticket_id: str, attachment_id: str) -> AttachmentOut:
    """The upload arrived: its size and its bytes must be what was announced, or it is deleted and refused
    (422, the attachment still waits for a good upload). A good one is published and listed in the
    activity."""
    doer = service.doer_of(access)
    item = service.visible(access.tenant, ticket_id, doer)
    attachment = _visible(item, attachment_id, doer)
    if attachment.company_id != doer.company_id:
        raise Forbidden("only the company that uploaded a file confirms it")
    if attachment.status != "awaiting_upload":
        raise Conflict(f"this attachment is already {attachment.status}", code="already_confirmed")
    _check_open(item)
    bucket = file_settings().attachment_bucket
    found = storage.uploaded(bucket, attachment.upload_key, filetypes.HEAD_BYTES)
    if found is None:
        raise Conflict("nothing was uploaded for this attachment yet", code="upload_missing")
    reason = filetypes.refusal(attachment.content_type, int(attachment.size_bytes), found.size, found.head)
    if reason is not None:
        storage.discard(bucket, attachment.upload_key)
        raise Invalid("file", reason, location="upload")
    target = attachment_object_key(item.tenant_id, item.ticket_id, attachment.attachment_id)
    storage.publish(
        bucket, found, attachment.upload_key, target, attachment.content_type, attachment.filename
    )
    attachment.status, attachment.object_key, attachment.expires_at = "available", target, None
    # Shared with whoever holds the ticket now (it may have changed hands since the announcement).
    attachment.assignment = service.shared_with(item, doer, bool(attachment.internal))
    facts = {
        "attachment_id": attachment.attachment_id,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size_bytes": int(attachment.size_bytes),
        "purpose": attachment.purpose,
        "cost_id": attachment.cost_id,
        "internal": bool(attachment.internal),
    }
    added = service.change_of(
        item,
        "TicketAttachmentAdded",
        doer,
        "attachment",
        attachment.assignment,
        facts,
        private=bool(attachment.internal),
        attachment_id=attachment.attachment_id,
        cost_id=attachment.cost_id,
        text=attachment.filename,
    )
    if not attachment.internal:  # the ticket's history is the other side's to read too
        item.record("attach", doer.by, doer.company_id, None, assignment=attachment.assignment)
    try:
        service.commit(item, doer, [added], attachments=(attachment,))
    except Exception:
        storage.discard(bucket, target)  # not published after all: nothing of it stays served
        raise
    try:
        storage.discard(bucket, attachment.upload_key)
    except Exception:  # committed: the lifecycle rule removes the upload if this fails
        logger.warning("upload left for the lifecycle rule", attachment_id=attachment.attachment_id)
    return attachment_out(attachment)


def get(access: Access, ticket_id: str, attachment_id: str) -> AttachmentOut:
    """One attachment; an available one with a presigned download valid for minutes."""
    doer = service.doer_of(access)
    item = service.visible(access.tenant, ticket_id, doer)
    attachment = _visible(item, attachment_id, doer)
    url = None
    if attachment.status == "available" and attachment.object_key:
        settings = file_settings()
        url = storage.download_url(
            settings.attachment_bucket,
            attachment.object_key,
            attachment.filename,
            settings.download_seconds,
        )
    return attachment_out(attachment, url)


def list_(access: Access, ticket_id: str, limit: int, cursor: str | None) -> AttachmentPage:
    doer = service.doer_of(access)
    service.visible(access.tenant, ticket_id, doer)
    partner = doer.company_id if doer.side is Side.PARTNER else None
    page = repo.attachments(access.tenant, ticket_id, partner, limit, cursor)
    return AttachmentPage(items=[attachment_out(a) for a in page.items], next_cursor=page.next_cursor)
