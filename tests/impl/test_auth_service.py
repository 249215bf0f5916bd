from __future__ import annotations

import pytest
from sqlalchemy import select

from impl.db.engine import Database
from impl.db.models import RefreshToken, User
from impl.errors import Conflict, InvalidGrant
from impl.security.passwords import Passwords
from impl.security.tokens import AccessTokens, InvalidToken
from impl.services.api_keys import ApiKeyService
from impl.services.auth import InvalidScope, TokenPair
from impl.services.users import UserService
from tests.impl.conftest import PASSWORD, auth_service


async def _login(
    db: Database, passwords: Passwords, tokens: AccessTokens, scope: str | None = None
) -> TokenPair:
    async with db.transaction() as session:
        return await auth_service(session, passwords, tokens).token(
            grant_type="password", username="ADA@example.com", password=PASSWORD, scope=scope
        )


async def _refresh(
    db: Database, passwords: Passwords, tokens: AccessTokens, token: str
) -> TokenPair:
    async with db.transaction() as session:
        return await auth_service(session, passwords, tokens).token(
            grant_type="refresh_token", refresh_token=token
        )


async def test_register_stores_only_a_hash_and_rejects_taken_email(
    db: Database, passwords: Passwords, access_tokens: AccessTokens, ada: User
) -> None:
    async with db.session() as session:
        stored = await session.scalar(select(User.password_hash).where(User.id == ada.id))
    assert stored is not None and PASSWORD not in stored and stored.startswith("$argon2id$")
    with pytest.raises(Conflict):
        async with db.transaction() as session:
            await auth_service(session, passwords, access_tokens).register(
                email="Ada@Example.com", password=PASSWORD, display_name="Again"
            )


async def test_password_grant(
    db: Database, passwords: Passwords, access_tokens: AccessTokens, ada: User
) -> None:
    pair = await _login(db, passwords, access_tokens, scope="projects:read tasks:read")
    assert pair.scope == "projects:read tasks:read" and pair.expires_in == 900
    async with db.transaction() as session:
        principal = await auth_service(session, passwords, access_tokens).authenticate_bearer(
            pair.access_token
        )
    assert principal.user_id == ada.id and principal.scopes == {"projects:read", "tasks:read"}
    with pytest.raises(InvalidGrant):
        async with db.transaction() as session:
            await auth_service(session, passwords, access_tokens).token(
                grant_type="password", username="ada@example.com", password="wrong password!"
            )
    with pytest.raises(InvalidScope):
        await _login(db, passwords, access_tokens, scope="admin")


async def test_refresh_rotates_and_reuse_revokes_the_family(
    db: Database, passwords: Passwords, access_tokens: AccessTokens, ada: User
) -> None:
    first = await _login(db, passwords, access_tokens)
    second = await _refresh(db, passwords, access_tokens, first.refresh_token)
    assert second.refresh_token != first.refresh_token
    third = await _refresh(db, passwords, access_tokens, second.refresh_token)

    with pytest.raises(InvalidGrant, match="already used"):
        await _refresh(db, passwords, access_tokens, first.refresh_token)  # replayed by a thief

    # The revocation survived the failed request's rollback: the legitimate newest token is dead too.
    with pytest.raises(InvalidGrant):
        await _refresh(db, passwords, access_tokens, third.refresh_token)
    async with db.session() as session:
        tokens = (await session.scalars(select(RefreshToken))).all()
    assert len(tokens) == 3 and all(t.revoked_at is not None for t in tokens)
    assert all(t.token_hash not in (first.refresh_token, third.refresh_token) for t in tokens)

    # Another login is a separate family and keeps working.
    other = await _login(db, passwords, access_tokens)
    await _refresh(db, passwords, access_tokens, other.refresh_token)


async def test_logout_ends_the_login(
    db: Database, passwords: Passwords, access_tokens: AccessTokens, ada: User
) -> None:
    pair = await _login(db, passwords, access_tokens)
    rotated = await _refresh(db, passwords, access_tokens, pair.refresh_token)
    async with db.transaction() as session:
        service = auth_service(session, passwords, access_tokens)
        await service.logout(rotated.refresh_token)
        await service.logout("rt_unknown")  # not an error
    with pytest.raises(InvalidGrant):
        await _refresh(db, passwords, access_tokens, rotated.refresh_token)


async def test_deactivated_user_loses_tokens_and_keys(
    db: Database, passwords: Passwords, access_tokens: AccessTokens, ada: User, grace: User
) -> None:
    pair = await _login(db, passwords, access_tokens)
    async with db.transaction() as session:
        created = await ApiKeyService(session).create(ada.id, name="ci", scopes=["tasks:read"])
        principal = await auth_service(session, passwords, access_tokens).authenticate_api_key(
            created.plaintext
        )
    assert principal.method == "api_key" and principal.scopes == {"tasks:read"}

    async with db.transaction() as session:
        with pytest.raises(Conflict):
            await UserService(session, passwords=passwords).deactivate(grace.id, grace.id)
        await UserService(session, passwords=passwords).deactivate(grace.id, ada.id)

    async with db.transaction() as session:
        service = auth_service(session, passwords, access_tokens)
        with pytest.raises(InvalidToken):
            await service.authenticate_bearer(pair.access_token)
        with pytest.raises(InvalidToken):
            await service.authenticate_api_key(created.plaintext)
    with pytest.raises(InvalidGrant):
        await _refresh(db, passwords, access_tokens, pair.refresh_token)


async def test_api_key_revocation_and_scope_limits(
    db: Database, passwords: Passwords, access_tokens: AccessTokens, ada: User
) -> None:
    from impl.errors import UnprocessableContent

    async with db.transaction() as session:
        keys = ApiKeyService(session, max_per_user=2)
        with pytest.raises(UnprocessableContent):
            await keys.create(ada.id, name="too much", scopes=["admin"])
        created = await keys.create(ada.id, name="ci", scopes=["tasks:read", "tasks:read"])
        await keys.create(ada.id, name="ci2", scopes=["tasks:read"])
        with pytest.raises(Conflict):
            await keys.create(ada.id, name="ci3", scopes=["tasks:read"])
        assert [k.prefix for k in await keys.list(ada.id)][-1] == created.api_key.prefix
        assert created.api_key.key_hash != created.plaintext
        await keys.revoke(ada.id, created.api_key.id)
    async with db.transaction() as session:
        with pytest.raises(InvalidToken):
            await auth_service(session, passwords, access_tokens).authenticate_api_key(
                created.plaintext
            )
        with pytest.raises(InvalidToken):
            await auth_service(session, passwords, access_tokens).authenticate_api_key("sf_nope")
