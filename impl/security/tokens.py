"""JWT access tokens (PyJWT) and opaque refresh tokens.

Access tokens are verified strictly: only the configured algorithm (no `none`, no algorithm
confusion), and `exp`, `iat`, `sub`, `aud`, `iss` and `jti` must all be present and valid.
Before any claim is used (by PyJWT's time checks or by us), every claim is checked by type and
range: a token signed with the real key but carrying `exp: 1e300` or an integer `sid` is an
invalid token (401), not an overflow (500).
Refresh tokens are random strings; only their SHA-256 digest is stored.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

import jwt
from jwt.types import Options
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictStr

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


_LAST_NUMERIC_DATE = 253_402_300_799  # 9999-12-31T23:59:59Z: what `datetime` can represent


def _uuid_text(value: object) -> uuid.UUID:
    if not isinstance(value, str):  # uuid.UUID(5) is an AttributeError, not a ValueError
        raise ValueError("expected a UUID string")
    return uuid.UUID(value)


# RFC 7519 §2: seconds since the epoch, possibly fractional; never a string or a boolean.
NumericDate = Annotated[float, Field(strict=True, ge=0, le=_LAST_NUMERIC_DATE, allow_inf_nan=False)]
UuidText = Annotated[uuid.UUID, BeforeValidator(_uuid_text)]


class _Claims(BaseModel):
    """The claims this service reads, by type and range. Checked on the signed payload before
    PyJWT validates times, audience and issuer, and before anything here converts them."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    sub: UuidText
    exp: NumericDate
    iat: NumericDate
    nbf: NumericDate | None = None
    sid: UuidText | None = None
    jti: Annotated[str, Field(strict=True, min_length=1, max_length=128)]
    scope: StrictStr = ""
    iss: StrictStr
    aud: StrictStr | list[StrictStr]


# The signature only: the claims' types come first (`_Claims`), their values after.
_SIGNATURE_ONLY: Options = {
    "verify_signature": True,
    "verify_exp": False,
    "verify_nbf": False,
    "verify_iat": False,
    "verify_aud": False,
    "verify_iss": False,
    "verify_sub": False,
    "verify_jti": False,
}


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
            signed = jwt.decode(
                token, self._secret, algorithms=[self._algorithm], options=_SIGNATURE_ONLY
            )
            claims = _Claims.model_validate(signed)
            jwt.decode(
                token,
                self._secret,
                algorithms=[self._algorithm],
                audience=self._audience,
                issuer=self._issuer,
                leeway=timedelta(seconds=10),
                options={"require": ["exp", "iat", "sub", "aud", "iss", "jti"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise InvalidToken("The access token has expired.") from exc
        except (jwt.InvalidTokenError, ValueError, TypeError, OverflowError) as exc:
            # ValueError includes pydantic's ValidationError
            raise InvalidToken("The access token is invalid.") from exc
        return AccessClaims(
            user_id=claims.sub,
            scopes=frozenset(claims.scope.split()),
            jti=claims.jti,
            expires_at=datetime.fromtimestamp(claims.exp, UTC),
            session_id=claims.sid,
        )


def new_refresh_token() -> tuple[str, str]:
    """A fresh refresh token and the digest to store for it."""
    token = REFRESH_TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, digest_refresh_token(token)


def digest_refresh_token(token: str) -> str:
    # SHA-256 rather than argon2: the token has 256 bits of entropy, so a slow hash adds no
    # protection, and a deterministic digest can be looked up by index.
    return hashlib.sha256(token.encode()).hexdigest()
