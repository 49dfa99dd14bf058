"""The caller: their memberships, profile and invitations."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body

from handoff.accounts import invitations, service
from handoff.accounts.schemas import Invitation, InvitationAnswer, MeOut, MePatch
from handoff.api.app import endpoint, new_app, parse_if_match
from handoff.api.params import IfMatch
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.schema import InvitationReply

app = new_app()


@endpoint(app, "GET", "/me", action=Action.ME_READ, summary="Who am I and where can I work")
def me(access: Access) -> MeOut:
    return service.me(access)


@endpoint(app, "PATCH", "/me", action=Action.ME_UPDATE, summary="Update your own profile (name, phone)")
def update_me(body: Annotated[MePatch, Body()], access: Access, if_match: IfMatch = None) -> MeOut:
    return service.update_me(access, body, parse_if_match(if_match))


@endpoint(
    app,
    "POST",
    "/me/invitations/<invitation_id>/<action>",
    action=Action.ME_INVITATION_ANSWER,
    summary="Accept or decline an instance's invitation to become its member",
)
def answer_invitation(
    invitation_id: str, action: InvitationAnswer, body: Annotated[InvitationReply, Body()], access: Access
) -> Invitation:
    """Invitations are listed in `GET /me`. Accepting opens the instance to this login at once; an
    answered or expired invitation (or another login's) is 404."""
    return invitations.answer(access, invitation_id, action is InvitationAnswer.ACCEPT, body.note)
