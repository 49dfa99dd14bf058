"""Typed settings, read from the environment once per process and failing fast when one is missing."""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel, Field, ValidationError


class Settings(BaseModel):
    table_name: str = Field(min_length=3)
    jwks_url: str = Field(min_length=1, description="https:// (Cognito) or file:// (local dev issuer)")
    token_issuer: str = Field(min_length=1)
    token_audience: str = Field(min_length=1)
    user_id_claim: str = "custom:user_id"
    cursor_secret: str = Field(min_length=16)
    max_body_bytes: int = 65536


ENV_NAMES = {
    "table_name": "TABLE_NAME",
    "jwks_url": "JWKS_URL",
    "token_issuer": "TOKEN_ISSUER",
    "token_audience": "TOKEN_AUDIENCE",
    "user_id_claim": "USER_ID_CLAIM",
    "cursor_secret": "CURSOR_SECRET",
    "max_body_bytes": "MAX_BODY_BYTES",
}


class SettingsError(RuntimeError):
    pass


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process's settings; tests that change the environment call `settings.cache_clear()`."""
    values = {field: os.environ[env] for field, env in ENV_NAMES.items() if env in os.environ}
    try:
        return Settings.model_validate(values)
    except ValidationError as error:
        missing = ", ".join(ENV_NAMES[str(e["loc"][0])] for e in error.errors() if e["loc"])
        raise SettingsError(f"missing or invalid environment: {missing}") from error
