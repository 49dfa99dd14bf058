"""Typed settings, read from the environment once per process and failing fast when one is missing.

Each concern has its own model, so a function only needs the variables of what it uses; resource names have
no defaults.
"""

import os
from functools import lru_cache
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError


def _csv_ints(value: object) -> object:
    return [int(part) for part in value.split(",") if part.strip()] if isinstance(value, str) else value


class _Settings(BaseModel):
    """A function reads two or three of these: each builds its validator when first loaded."""

    model_config = ConfigDict(defer_build=True)


class StoreSettings(_Settings):
    """What every function that touches the table needs."""

    table_name: str = Field(min_length=3, alias="TABLE_NAME")


class Settings(_Settings):
    """What every API function needs beyond the table: token verification, cursor signing, body limits."""

    jwks_url: str = Field(
        min_length=1, alias="JWKS_URL", description="https:// (Cognito) or file:// (dev issuer)"
    )
    token_issuer: str = Field(min_length=1, alias="TOKEN_ISSUER")
    token_audience: str = Field(min_length=1, alias="TOKEN_AUDIENCE")
    user_id_claim: str = Field("custom:user_id", alias="USER_ID_CLAIM")
    cursor_secret_arn: str = Field(
        min_length=1, alias="CURSOR_SECRET_ARN", description="Secrets Manager secret that signs cursors"
    )
    max_body_bytes: int = Field(65536, alias="MAX_BODY_BYTES")


class PublisherSettings(_Settings):
    event_bus_name: str = Field(min_length=1, alias="EVENT_BUS_NAME")


class WebhookSettings(_Settings):
    delivery_queue_url: str = Field(min_length=1, alias="WEBHOOK_QUEUE_URL")
    dead_letter_queue_url: str = Field(min_length=1, alias="WEBHOOK_DLQ_URL")
    retry_schedule: Annotated[list[int], BeforeValidator(_csv_ints)] = Field(
        alias="WEBHOOK_RETRY_SCHEDULE", description="Seconds to wait before each retry, e.g. 5,300,1800"
    )
    allow_loopback: bool = Field(False, alias="WEBHOOK_ALLOW_LOOPBACK")
    allowed_ports: Annotated[list[int], BeforeValidator(_csv_ints)] = Field(
        default=[443, 8443],
        alias="WEBHOOK_ALLOWED_PORTS",
        description="The ports an endpoint may use (empty: any, for local development)",
    )
    blocked_ports: Annotated[list[int], BeforeValidator(_csv_ints)] = Field(
        default=[],
        alias="WEBHOOK_BLOCKED_PORTS",
        description="Ports never allowed (locally: the embedded AWS and the API itself)",
    )
    timeout_seconds: float = Field(15, alias="WEBHOOK_TIMEOUT_SECONDS")
    secret_overlap_seconds: int = Field(86400, alias="WEBHOOK_SECRET_OVERLAP_SECONDS")


class IdentitySettings(_Settings):
    user_pool_id: str = Field(min_length=1, alias="USER_POOL_ID")


class WorkflowSettings(_Settings):
    booking_expiry_state_machine_arn: str = Field(min_length=1, alias="BOOKING_EXPIRY_STATE_MACHINE_ARN")
    booking_suggestion_ttl_seconds: int = Field(ge=1, alias="BOOKING_SUGGESTION_TTL_SECONDS")
    estimate_deadline_state_machine_arn: str = Field(
        min_length=1, alias="ESTIMATE_DEADLINE_STATE_MACHINE_ARN"
    )
    estimate_decision_seconds: int = Field(ge=2, alias="ESTIMATE_DECISION_SECONDS")
    estimate_reminder_seconds: int = Field(ge=1, alias="ESTIMATE_REMINDER_SECONDS")
    estimate_dispute_seconds: int = Field(ge=1, alias="ESTIMATE_DISPUTE_SECONDS")
    invitation_expiry_state_machine_arn: str = Field(
        min_length=1, alias="INVITATION_EXPIRY_STATE_MACHINE_ARN"
    )
    invitation_day_seconds: int = Field(ge=1, alias="INVITATION_DAY_SECONDS")
    ticket_deadline_state_machine_arn: str = Field(min_length=1, alias="TICKET_DEADLINE_STATE_MACHINE_ARN")
    ticket_approval_reminder_seconds: int = Field(ge=1, alias="TICKET_APPROVAL_REMINDER_SECONDS")
    ticket_approval_deadline_seconds: int = Field(ge=2, alias="TICKET_APPROVAL_DEADLINE_SECONDS")
    offer_hour_seconds: int = Field(ge=1, alias="OFFER_HOUR_SECONDS")
    partner_invoicing_state_machine_arn: str = Field(
        min_length=1, alias="PARTNER_INVOICING_STATE_MACHINE_ARN"
    )
    escalation_minute_seconds: int = Field(default=60, ge=1, alias="ESCALATION_MINUTE_SECONDS")


class FileSettings(_Settings):
    """Each function is given the buckets it uses (attachments: tickets; banners: partners and banners)."""

    attachment_bucket: str = Field("", alias="ATTACHMENT_BUCKET")
    banner_bucket: str = Field("", alias="BANNER_BUCKET")
    upload_seconds: int = Field(900, ge=60, le=3600, alias="UPLOAD_URL_SECONDS")
    download_seconds: int = Field(300, ge=30, le=3600, alias="DOWNLOAD_URL_SECONDS")


class SettingsError(RuntimeError):
    pass


def load[M: BaseModel](model: type[M]) -> M:
    names = {field.alias for field in model.model_fields.values() if field.alias}
    try:
        return model.model_validate({name: os.environ[name] for name in names if name in os.environ})
    except ValidationError as error:
        missing = ", ".join(str(e["loc"][0]) for e in error.errors() if e["loc"])
        raise SettingsError(f"missing or invalid environment: {missing}") from error


@lru_cache(maxsize=1)
def store_settings() -> StoreSettings:
    return load(StoreSettings)


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process's settings; tests that change the environment call `clear()`."""
    return load(Settings)


@lru_cache(maxsize=1)
def publisher_settings() -> PublisherSettings:
    return load(PublisherSettings)


@lru_cache(maxsize=1)
def webhook_settings() -> WebhookSettings:
    return load(WebhookSettings)


@lru_cache(maxsize=1)
def workflow_settings() -> WorkflowSettings:
    return load(WorkflowSettings)


@lru_cache(maxsize=1)
def file_settings() -> FileSettings:
    return load(FileSettings)


@lru_cache(maxsize=1)
def identity_settings() -> IdentitySettings:
    return load(IdentitySettings)


# Secrets are fetched on first use and kept for this long (Powertools Parameters' cache), so a rotation
# reaches every warm function within the interval without a call per request.
SECRET_MAX_AGE_SECONDS = 300


def secret(arn: str) -> str:
    """A secret's value from Secrets Manager, through Powertools Parameters (cached per process)."""
    from aws_lambda_powertools.utilities import parameters  # imported on first use: off the cold start

    value = parameters.get_secret(arn, max_age=SECRET_MAX_AGE_SECONDS)
    if not isinstance(value, str) or len(value) < 16:
        raise SettingsError(f"secret {arn} is missing or shorter than 16 characters")
    return value


def cursor_secret() -> str:
    return secret(settings().cursor_secret_arn)


def clear() -> None:
    for cached in (
        store_settings,
        settings,
        publisher_settings,
        webhook_settings,
        workflow_settings,
        file_settings,
        identity_settings,
    ):
        cached.cache_clear()
    from aws_lambda_powertools.utilities import parameters

    parameters.clear_caches()
