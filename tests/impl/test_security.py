from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from impl.security.api_keys import digest_api_key, generate_api_key, parse_prefix, verify_api_key
from impl.security.passwords import Passwords
from impl.security.tokens import AccessTokens, InvalidToken
from impl.settings import Settings


def test_password_hash_is_argon2_and_never_the_plaintext(passwords: Passwords) -> None:
    hashed = passwords.hash("hunter2hunter2")
    assert hashed.startswith("$argon2id$")
    assert "hunter2" not in hashed
    assert passwords.verify(hashed, "hunter2hunter2").ok
    assert not passwords.verify(hashed, "hunter3hunter3").ok
    assert not passwords.verify(None, "anything").ok
    assert not passwords.verify("not a hash", "anything").ok


def test_outdated_parameters_are_rehashed_on_verify(passwords: Passwords) -> None:
    weak = passwords.hash("hunter2hunter2")
    strong = Passwords()
    result = strong.verify(weak, "hunter2hunter2")
    assert result.ok and result.new_hash is not None and result.new_hash != weak
    assert strong.verify(result.new_hash, "hunter2hunter2") == type(result)(ok=True)


def test_access_token_round_trip(access_tokens: AccessTokens) -> None:
    user_id = uuid.uuid4()
    claims = access_tokens.verify(access_tokens.issue(user_id, frozenset({"tasks:read"})))
    assert claims.user_id == user_id and claims.scopes == {"tasks:read"}


def _forge(settings: Settings, **overrides: object) -> str:
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "sub": str(uuid.uuid4()), "iat": now, "exp": now + timedelta(minutes=5),
        "iss": settings.jwt_issuer, "aud": settings.jwt_audience, "jti": "x", "scope": "",
    }  # fmt: skip
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, settings.jwt_secret_value, algorithm="HS256")


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": datetime.now(UTC) - timedelta(minutes=5)},
        {"aud": "someone-else"},
        {"iss": "someone-else"},
        {"sub": None},
        {"jti": None},
        {"iat": None},
        {"sub": "not-a-uuid"},
    ],
    ids=["expired", "audience", "issuer", "no-sub", "no-jti", "no-iat", "bad-sub"],
)
def test_access_token_verification_is_strict(
    settings: Settings, access_tokens: AccessTokens, overrides: dict[str, object]
) -> None:
    with pytest.raises(InvalidToken):
        access_tokens.verify(_forge(settings, **overrides))


def test_unsigned_and_foreign_tokens_are_rejected(
    settings: Settings, access_tokens: AccessTokens
) -> None:
    valid = _forge(settings)
    header, payload, _ = valid.split(".")
    unsigned = jwt.encode(
        jwt.decode(valid, options={"verify_signature": False}), None, algorithm="none"
    )
    for token in (
        unsigned,
        f"{header}.{payload}.",
        jwt.encode({"sub": "x"}, "k" * 40, algorithm="HS256"),
    ):
        with pytest.raises(InvalidToken):
            access_tokens.verify(token)


def test_api_keys_are_shown_once_and_stored_as_digest() -> None:
    generated = generate_api_key()
    assert generated.plaintext.startswith(generated.prefix + "_")
    assert parse_prefix(generated.plaintext) == generated.prefix
    assert generated.digest == digest_api_key(generated.plaintext)
    assert generated.plaintext not in generated.digest
    assert verify_api_key(generated.plaintext, generated.digest)
    assert not verify_api_key(generated.plaintext + "x", generated.digest)
    assert parse_prefix("sf_short_x") is None
    assert parse_prefix("Bearer abc") is None
