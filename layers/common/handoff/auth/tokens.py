"""Bearer-token verification: the same code for Cognito in AWS and for the local dev issuer.

Only the JWKS location differs (an https URL for Cognito, a file:// URL for the dev issuer).

PyJWT (and the cryptography it loads, ~25 ms) is imported on the first verification, not with this module:
workers and the routes that take signed messages never verify a token, and should not pay for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.request import urlopen

from handoff.config import settings
from handoff.errors import ServiceUnavailable, Unauthorized

if TYPE_CHECKING:
    import jwt

# Fetching Cognito's keys must fail fast: it happens inside a request, under the function's timeout.
JWKS_TIMEOUT_SECONDS = 3


@dataclass(frozen=True)
class Principal:
    """The verified caller: one global identity (a login)."""

    user_id: str
    email: str


@lru_cache(maxsize=4)
def _jwks_client(url: str) -> jwt.PyJWKClient:
    import jwt

    return jwt.PyJWKClient(url, cache_keys=True, lifespan=3600, timeout=JWKS_TIMEOUT_SECONDS)


@lru_cache(maxsize=4)
def _jwks_file(url: str) -> jwt.PyJWKSet:
    import jwt

    with urlopen(url) as handle:  # noqa: S310 - a file:// URL from our own settings, never from a request
        return jwt.PyJWKSet.from_json(handle.read().decode())


def _signing_key(url: str, token: str) -> jwt.PyJWK:
    """Cognito publishes its keys over https (PyJWKClient caches them); the dev issuer writes a file."""
    import jwt

    if url.startswith("file://"):
        kid = jwt.get_unverified_header(token).get("kid")
        try:
            return _jwks_file(url)[str(kid)]
        except KeyError as error:
            raise jwt.InvalidTokenError("unknown signing key") from error
    return _jwks_client(url).get_signing_key_from_jwt(token)


def bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise Unauthorized("missing bearer token: send 'Authorization: Bearer <token>'", code="missing_token")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("the Authorization header must be 'Bearer <token>'", code="invalid_token")
    return token.strip()


def verify(token: str) -> Principal:
    """Checks signature (JWKS), issuer, audience, expiry and token use; returns the caller."""
    import jwt

    config = settings()
    try:
        signing_key = _signing_key(config.jwks_url, token)
        claims = jwt.decode(
            token,
            signing_key.key,
            algorithms=["RS256"],
            audience=config.token_audience,
            issuer=config.token_issuer,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            leeway=30,
        )
    except jwt.PyJWKClientConnectionError as error:  # the key set did not answer: not the caller's fault
        raise ServiceUnavailable("the token's signing keys could not be fetched; retry") from error
    except jwt.ExpiredSignatureError as error:
        raise Unauthorized("the token has expired", code="token_expired") from error
    except jwt.InvalidAudienceError as error:
        raise Unauthorized("the token was issued for another audience", code="invalid_token") from error
    except (jwt.PyJWTError, jwt.PyJWKClientError, ValueError) as error:
        raise Unauthorized("the token is not valid", code="invalid_token") from error
    if claims.get("token_use") != "id":
        raise Unauthorized("an ID token is required", code="invalid_token")
    user_id = claims.get(config.user_id_claim)
    email = claims.get("email")
    if not isinstance(user_id, str) or not user_id or not isinstance(email, str):
        raise Unauthorized("the token does not name a Handoff user", code="invalid_token")
    return Principal(user_id=user_id, email=email.casefold())
