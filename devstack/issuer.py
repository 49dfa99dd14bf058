"""The local dev issuer: its own RSA key pair and JWKS document, and ID tokens shaped like Cognito's."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://dev-issuer.handoff.local"
AUDIENCE = "handoff-local"
KEY_ID = "handoff-dev-1"
TOKEN_LIFETIME_SECONDS = 12 * 3600


@dataclass(frozen=True)
class DevIssuer:
    key_path: Path
    jwks_path: Path

    @classmethod
    def in_directory(cls, directory: Path) -> DevIssuer:
        """Loads the key pair kept in `directory`, creating it on first use."""
        directory.mkdir(parents=True, exist_ok=True)
        issuer = cls(directory / "dev-issuer-key.pem", directory / "jwks.json")
        if not issuer.key_path.exists() or not issuer.jwks_path.exists():
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pem = key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            issuer.key_path.write_bytes(pem)
            issuer.key_path.chmod(0o600)
            public = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
            public.update({"kid": KEY_ID, "use": "sig", "alg": "RS256"})
            issuer.jwks_path.write_text(json.dumps({"keys": [public]}))
        return issuer

    @property
    def jwks_url(self) -> str:
        return self.jwks_path.resolve().as_uri()

    def environment(self) -> dict[str, str]:
        """What the functions need to verify this issuer's tokens (instead of Cognito's)."""
        return {"JWKS_URL": self.jwks_url, "TOKEN_ISSUER": ISSUER, "TOKEN_AUDIENCE": AUDIENCE}

    def token(
        self,
        user_id: str,
        email: str,
        *,
        lifetime: int = TOKEN_LIFETIME_SECONDS,
        audience: str = AUDIENCE,
        issuer: str = ISSUER,
        token_use: str = "id",
    ) -> str:
        now = int(time.time())
        claims = {
            "sub": user_id,
            "custom:user_id": user_id,
            "email": email,
            "email_verified": True,
            "iss": issuer,
            "aud": audience,
            "token_use": token_use,
            "iat": now,
            "auth_time": now,
            "exp": now + lifetime,
        }
        return jwt.encode(claims, self.key_path.read_bytes(), algorithm="RS256", headers={"kid": KEY_ID})
