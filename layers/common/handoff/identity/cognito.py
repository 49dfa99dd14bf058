"""The Cognito adapter: the only code that calls the user pool."""

from __future__ import annotations

from typing import Any

from handoff import aws
from handoff.config import identity_settings
from handoff.identity.domain import Login

USER_ID_ATTRIBUTE = "custom:user_id"


def _pool() -> str:
    return identity_settings().user_pool_id


def _existing(email: str) -> dict[str, Any] | None:
    client = aws.cognito()
    try:
        user: dict[str, Any] = client.admin_get_user(UserPoolId=_pool(), Username=email)
    except client.exceptions.UserNotFoundException:
        return None
    return user


def reconcile(login: Login) -> str:
    """Makes the Cognito user match `login`; returns what it did (created, enabled, disabled, unchanged)."""
    client = aws.cognito()
    user = _existing(login.email)
    if user is None:
        if not login.enabled:
            return "unchanged"
        try:
            client.admin_create_user(
                UserPoolId=_pool(),
                Username=login.email,
                UserAttributes=[
                    {"Name": "email", "Value": login.email},
                    {"Name": "email_verified", "Value": "true"},
                    {"Name": USER_ID_ATTRIBUTE, "Value": login.user_id},
                ],
                DesiredDeliveryMediums=["EMAIL"],  # Cognito's invitation with a temporary password
            )
        except client.exceptions.UsernameExistsException:
            return "unchanged"  # created by a concurrent delivery of the same event
        return "created"
    if bool(user.get("Enabled", True)) == login.enabled:
        return "unchanged"
    if login.enabled:
        client.admin_enable_user(UserPoolId=_pool(), Username=login.email)
        return "enabled"
    client.admin_disable_user(UserPoolId=_pool(), Username=login.email)
    client.admin_user_global_sign_out(UserPoolId=_pool(), Username=login.email)  # refresh tokens die too
    return "disabled"


def reset_password(email: str) -> bool:
    """Cognito mails a reset code; the old password stops working. A login never used yet (its invitation
    not taken up: Cognito refuses to reset it) gets its invitation again instead, with a new temporary
    password. False when there is no such login."""
    client = aws.cognito()
    try:
        client.admin_reset_user_password(UserPoolId=_pool(), Username=email)
    except client.exceptions.UserNotFoundException:
        return False
    except client.exceptions.NotAuthorizedException:
        client.admin_create_user(UserPoolId=_pool(), Username=email, MessageAction="RESEND")
    return True
