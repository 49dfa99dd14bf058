"""Keeps each identity's Cognito login in step with its memberships, from committed events."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger

from handoff.accounts import public as accounts
from handoff.identity import cognito
from handoff.identity.domain import work_for

logger = Logger()


def handle(envelope: dict[str, Any]) -> dict[str, str]:
    """Reconciles every login the event concerns, then resets a password if asked; returns what changed."""
    work = work_for(envelope)
    done: dict[str, str] = {}
    for user_id in work.reconcile:
        login = accounts.login_of(user_id)
        done[user_id] = "unknown identity" if login is None else cognito.reconcile(login)
    if work.reset is not None:
        login = accounts.login_of(work.reset)
        if login is not None and login.enabled and cognito.reset_password(login.email):
            done[work.reset] = "password reset"
    logger.info("logins reconciled", event_id=envelope.get("id"), type=envelope.get("type"), done=done)
    return done
