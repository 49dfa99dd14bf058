"""A ticket's attachments: announced, uploaded through a presigned POST, confirmed, read."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body

from handoff.api.app import endpoint, new_app
from handoff.api.params import DEFAULT_LIMIT, Cursor, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.tickets import attachments, repository
from handoff.tickets.schemas.attachments import (
    AttachmentAnnounced,
    AttachmentCreate,
    AttachmentOut,
    AttachmentPage,
)

from . import TICKET

app = new_app()


@endpoint(
    app,
    "GET",
    f"{TICKET}/attachments",
    action=Action.ATTACHMENT_LIST,
    summary="A ticket's attachments, oldest first",
    prefetch=repository.ticket_keys,
)
def list_attachments(
    tenant_id: str, ticket_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> AttachmentPage:
    """Your company's, and the other side's that are available and not internal."""
    return attachments.list_(access, ticket_id, limit, cursor)


@endpoint(
    app,
    "POST",
    f"{TICKET}/attachments",
    action=Action.ATTACHMENT_CREATE,
    status=HTTPStatus.CREATED,
    summary="Announce a file: the answer carries a presigned upload limited to its type and size",
    prefetch=repository.ticket_keys,
)
def announce_attachment(
    tenant_id: str, ticket_id: str, body: Annotated[AttachmentCreate, Body()], access: Access
) -> AttachmentAnnounced:
    """POST the file to `upload.url` with `upload.fields` (multipart/form-data, the file last), then
    confirm it here: until then nobody can read it."""
    return attachments.announce(access, ticket_id, body)


@endpoint(
    app,
    "GET",
    f"{TICKET}/attachments/<attachment_id>",
    action=Action.ATTACHMENT_READ,
    summary="An attachment; an available one with a presigned download valid for minutes",
    prefetch=repository.attachment_keys,
)
def get_attachment(tenant_id: str, ticket_id: str, attachment_id: str, access: Access) -> AttachmentOut:
    return attachments.get(access, ticket_id, attachment_id)


@endpoint(
    app,
    "POST",
    f"{TICKET}/attachments/<attachment_id>",
    action=Action.ATTACHMENT_CREATE,
    summary="Confirm an upload: its bytes are checked (type sniffed, size compared) before anyone reads it",
    prefetch=repository.attachment_keys,
)
def confirm_attachment(tenant_id: str, ticket_id: str, attachment_id: str, access: Access) -> AttachmentOut:
    """A file that is not what was announced is deleted and refused (422 with the reason); upload a good
    one with the same presigned upload while it lasts, and confirm again."""
    return attachments.confirm(access, ticket_id, attachment_id)
