"""Access tokens signed with the real key but carrying odd claims are a 401, never a 500.

The review found `exp` of 1e20 or 1e300 (an `OverflowError` turning it into a datetime) and an
integer `sid` (an `AttributeError` parsing it as a UUID) answering 500. Every claim is now
checked by type and range before it is used: NumericDates are finite numbers between 1970 and
9999 (never strings or booleans), `sub` and `sid` are UUID strings, `jti` and `scope` strings.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest

from impl.security.tokens import AccessTokens, InvalidToken
from impl.settings import Settings
from tests.service.conftest import User, assert_problem, make_settings

ODD_CLAIMS: dict[str, dict[str, Any]] = {
    "exp 1e20": {"exp": 1e20},
    "exp 1e300": {"exp": 1e300},
    "exp 10**30": {"exp": 10**30},
    "exp infinite": {"exp": float("inf")},
    "exp NaN": {"exp": float("nan")},
    "exp a string": {"exp": "4102444800"},
    "exp true": {"exp": True},
    "exp null": {"exp": None},
    "exp a list": {"exp": [4102444800]},
    "iat 1e300": {"iat": 1e300},
    "iat -1e300": {"iat": -1e300},
    "iat a string": {"iat": "0"},
    "nbf -1e300": {"nbf": -1e300},
    "nbf 1e300": {"nbf": 1e300},
    "nbf a string": {"nbf": "0"},
    "sid an integer": {"sid": 5},
    "sid a list": {"sid": ["x"]},
    "sid not a uuid": {"sid": "session"},
    "sub an integer": {"sub": 5},
    "sub a lone surrogate": {"sub": "\ud800"},
    "jti an integer": {"jti": 5},
    "jti an object": {"jti": {}},
    "scope an integer": {"scope": 5},
    "scope a list": {"scope": ["projects:read"]},
    "iss an integer": {"iss": 5},
    "aud an object": {"aud": {}},
}


def _claims(settings: Settings, user_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    now = int(datetime.now(UTC).timestamp())
    claims: dict[str, Any] = {
        "sub": str(user_id), "scope": "projects:read", "iat": now, "nbf": now, "exp": now + 300,
        "iss": settings.jwt_issuer, "aud": settings.jwt_audience, "jti": uuid.uuid4().hex,
        "sid": str(uuid.uuid4()),
    }  # fmt: skip
    claims.update(overrides)
    return claims


def _sign(settings: Settings, claims: dict[str, Any]) -> str:
    """Signed with the service's own key; the payload is any JSON (`jwt.encode` would refuse
    some of these claims before signing them)."""
    payload = json.dumps(claims).encode()
    return jwt.api_jws.encode(payload, settings.jwt_secret_value, algorithm=settings.jwt_algorithm)


@pytest.fixture
def local(tmp_path: Path) -> Settings:
    """The service's settings without a database: these checks need only the key."""
    return make_settings(tmp_path)


@pytest.fixture
def tokens(local: Settings) -> AccessTokens:
    return AccessTokens(local)


@pytest.mark.parametrize("overrides", ODD_CLAIMS.values(), ids=ODD_CLAIMS.keys())
def test_odd_claims_are_an_invalid_token(
    local: Settings, tokens: AccessTokens, overrides: dict[str, Any]
) -> None:
    with pytest.raises(InvalidToken):
        tokens.verify(_sign(local, _claims(local, uuid.uuid4(), **overrides)))


def test_a_well_formed_token_still_verifies(local: Settings, tokens: AccessTokens) -> None:
    user_id = uuid.uuid4()
    claims = tokens.verify(_sign(local, _claims(local, user_id)))
    assert claims.user_id == user_id and claims.scopes == {"projects:read"}
    # RFC 7519 NumericDates may carry fractions of a second.
    now = datetime.now(UTC).timestamp()
    fractional = _claims(local, user_id, iat=now, nbf=now, exp=now + 300.5)
    assert tokens.verify(_sign(local, fractional)).expires_at > datetime.now(UTC)


def test_a_token_from_the_future_is_refused(local: Settings, tokens: AccessTokens) -> None:
    later = int((datetime.now(UTC) + timedelta(hours=1)).timestamp())
    for claim in ("iat", "nbf"):
        with pytest.raises(InvalidToken):
            tokens.verify(_sign(local, _claims(local, uuid.uuid4(), **{claim: later})))


@pytest.mark.parametrize("name", ["exp 1e20", "exp 1e300", "sid an integer", "iat -1e300"])
async def test_odd_claims_answer_401_over_http(
    client: httpx.AsyncClient, ada: User, settings: Settings, name: str
) -> None:
    scope = jwt.decode(ada.access_token, options={"verify_signature": False})["scope"]
    claims = _claims(settings, uuid.UUID(ada.id), scope=scope)
    token = _sign(settings, {**claims, **ODD_CLAIMS[name]})
    response = await client.get("/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
