"""JWT access tokens (PyJWT) and opaque refresh tokens.

Access tokens are verified strictly: only the configured algorithm (no `none`, no algorithm
confusion), and `exp`, `iat`, `sub`, `aud`, `iss` and `jti` must all be present and valid.
Refresh tokens are random strings; only their SHA-256 digest is stored.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from impl.errors import Unauthorized
from impl.settings import Settings

REFRESH_TOKEN_PREFIX = "rt_"


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    scopes: frozenset[str]
    jti: str
    expires_at: datetime
    session_id: uuid.UUID | None = None
    """The login (refresh-token family) the token was issued for: when that login ends
    (logout, a password change, a reused refresh token), its access tokens stop working."""


class InvalidToken(Unauthorized):
    code = "invalid_token"


class AccessTokens:
    """Issues and verifies access tokens with the settings' secret, algorithm and TTL."""

    def __init__(self, settings: Settings) -> None:
        self._secret = settings.jwt_secret_value
        self._algorithm = settings.jwt_algorithm
        self._issuer = settings.jwt_issuer
        self._audience = settings.jwt_audience
        self.ttl = timedelta(seconds=settings.access_token_ttl_seconds)

    def issue(
        self,
        user_id: uuid.UUID,
        scopes: frozenset[str],
        *,
        session_id: uuid.UUID | None = None,
        now: datetime | None = None,
    ) -> str:
        issued_at = now or datetime.now(UTC)
        claims: dict[str, object] = {
            "sub": str(user_id),
            "scope": " ".join(sorted(scopes)),
            "iat": issued_at,
            "nbf": issued_at,
            "exp": issued_at + self.ttl,
            "iss": self._issuer,
            "aud": self._audience,
            "jti": uuid.uuid4().hex,
        }
        if session_id is not None:
            claims["sid"] = str(session_id)
        return jwt.encode(claims, self._secret, algorithm=self._algorithm)

    def verify(self, token: str) -> AccessClaims:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[self._algorithm],
                audience=self._audience,
                issuer=self._issuer,
                leeway=timedelta(seconds=10),
                options={"require": ["exp", "iat", "sub", "aud", "iss", "jti"]},
            )
            user_id = uuid.UUID(claims["sub"])
            session_id = uuid.UUID(claims["sid"]) if "sid" in claims else None
        except jwt.ExpiredSignatureError as exc:
            raise InvalidToken("The access token has expired.") from exc
        except (jwt.InvalidTokenError, ValueError, TypeError) as exc:
            raise InvalidToken("The access token is invalid.") from exc
        scope = claims.get("scope", "")
        if not isinstance(scope, str):
            raise InvalidToken("The access token is invalid.")
        return AccessClaims(
            user_id=user_id,
            scopes=frozenset(scope.split()),
            jti=str(claims["jti"]),
            expires_at=datetime.fromtimestamp(claims["exp"], UTC),
            session_id=session_id,
        )


def new_refresh_token() -> tuple[str, str]:
    """A fresh refresh token and the digest to store for it."""
    token = REFRESH_TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, digest_refresh_token(token)


def digest_refresh_token(token: str) -> str:
    # SHA-256 rather than argon2: the token has 256 bits of entropy, so a slow hash adds no
    # protection, and a deterministic digest can be looked up by index.
    return hashlib.sha256(token.encode()).hexdigest()
