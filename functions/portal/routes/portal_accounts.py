"""Portal accounts and the customer companies they act for."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body

from handoff.accounts import portal_accounts
from handoff.accounts import repository as account_repository
from handoff.api.app import endpoint, new_app
from handoff.api.params import DEFAULT_LIMIT, Cursor, Limit
from handoff.auth.access import Access
from handoff.auth.policy import Action
from handoff.portal.schemas import (
    PortalAccountCreate,
    PortalAccountOut,
    PortalAccountPage,
    PortalAccountPatch,
)

from . import ACCOUNT, ACCOUNTS

app = new_app()


@endpoint(app, "GET", ACCOUNTS, action=Action.PORTAL_ACCOUNT_LIST, summary="List portal accounts")
def list_accounts(
    tenant_id: str, access: Access, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> PortalAccountPage:
    return portal_accounts.list_accounts(access, limit, cursor)


@endpoint(
    app,
    "POST",
    ACCOUNTS,
    action=Action.PORTAL_ACCOUNT_CREATE,
    status=HTTPStatus.CREATED,
    summary="Create a portal account for one or more customers",
)
def create_account(
    tenant_id: str, body: Annotated[PortalAccountCreate, Body()], access: Access
) -> PortalAccountOut:
    """A portal account holds a client role only (customer or client_rep_manager), never a shop role."""
    return portal_accounts.create_account(access, body)


@endpoint(
    app,
    "GET",
    ACCOUNT,
    action=Action.PORTAL_ACCOUNT_READ,
    summary="Read a portal account",
    prefetch=account_repository.member_keys,
)
def get_account(tenant_id: str, user_id: str, access: Access) -> PortalAccountOut:
    return portal_accounts.get_account(access, user_id)


@endpoint(
    app,
    "PATCH",
    ACCOUNT,
    action=Action.PORTAL_ACCOUNT_UPDATE,
    summary="Rename, deactivate or lock an account",
    prefetch=account_repository.member_keys,
)
def update_account(
    tenant_id: str, user_id: str, body: Annotated[PortalAccountPatch, Body()], access: Access
) -> PortalAccountOut:
    return portal_accounts.update_account(access, user_id, body)


@endpoint(
    app,
    "PUT",
    f"{ACCOUNT}/companies/<customer_id>",
    action=Action.PORTAL_COMPANY_GRANT,
    summary="Give the account one more company",
    prefetch=account_repository.member_keys,
)
def grant_company(tenant_id: str, user_id: str, customer_id: str, access: Access) -> PortalAccountOut:
    return portal_accounts.grant_company(access, user_id, customer_id)


@endpoint(
    app,
    "DELETE",
    f"{ACCOUNT}/companies/<customer_id>",
    action=Action.PORTAL_COMPANY_REVOKE,
    summary="Take one company away from the account",
    prefetch=account_repository.member_keys,
)
def revoke_company(tenant_id: str, user_id: str, customer_id: str, access: Access) -> PortalAccountOut:
    return portal_accounts.revoke_company(access, user_id, customer_id)
