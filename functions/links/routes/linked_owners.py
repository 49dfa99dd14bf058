"""The servicer's side: the owners linked to it and their invitations."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body

from handoff.api.app import endpoint, new_app
from handoff.api.params import DEFAULT_LIMIT, Cursor, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.links import repository as link_repository
from handoff.links import service as links
from handoff.links.domain import LinkAction
from handoff.links.schemas import InvitationAnswer, InvitationOut, InvitationPage, LinkedOwnerPage
from handoff.schema import InvitationReply

app = new_app()


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/linked-owners",
    action=Action.LINKED_OWNERS_LIST,
    summary="The owner instances this servicer instance is linked to",
)
def linked_owners(
    tenant_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> LinkedOwnerPage:
    return links.linked_owners(access, limit, cursor)


@endpoint(
    app,
    "GET",
    "/tenants/<tenant_id>/servicer-invitations",
    action=Action.SERVICER_INVITATION_LIST,
    summary="The owners inviting this instance to work for them, not answered yet",
)
def list_invitations(
    tenant_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> InvitationPage:
    """Nothing of an inviting owner reaches this instance until its system admin accepts."""
    return links.invitations(access, limit, cursor)


@endpoint(
    app,
    "POST",
    "/tenants/<tenant_id>/servicer-invitations/<owner_id>/<action>",
    action=Action.SERVICER_INVITATION_ANSWER,
    summary="Accept or decline an owner's invitation",
    prefetch=link_repository.invitation_keys,
)
def answer_invitation(
    tenant_id: str,
    owner_id: str,
    action: InvitationAnswer,
    body: Annotated[InvitationReply, Body()],
    access: Access,
) -> InvitationOut:
    """Accepting makes the link active at once; an answered, withdrawn or expired invitation is 404."""
    return links.answer(access, owner_id, LinkAction(action.value), body.note)
