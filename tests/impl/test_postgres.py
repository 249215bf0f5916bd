"""The service layer on PostgreSQL: migrations, token rotation with reuse detection, and
keyset pagination, against a scratch database on TEST_DATABASE_URL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from impl.db.engine import Database
from impl.errors import InvalidGrant
from impl.security.passwords import Passwords
from impl.security.tokens import AccessTokens
from impl.services.projects import ProjectService
from tests.impl.backends import migrated_postgres_database
from tests.impl.conftest import PASSWORD, auth_service, make_user

pytestmark = pytest.mark.postgres


@pytest.fixture
async def pg() -> AsyncIterator[Database]:
    async with migrated_postgres_database(pool_size=2, max_overflow=0) as database:
        yield database


async def test_token_reuse_revokes_family_on_postgres(
    pg: Database, passwords: Passwords, access_tokens: AccessTokens
) -> None:
    assert pg.backend == "postgresql"
    await make_user(pg, passwords, "ada")
    async with pg.transaction() as session:
        first = await auth_service(session, passwords, access_tokens).token(
            grant_type="password", username="ada@example.com", password=PASSWORD
        )
    async with pg.transaction() as session:
        second = await auth_service(session, passwords, access_tokens).token(
            grant_type="refresh_token", refresh_token=first.refresh_token
        )
    for token in (first.refresh_token, second.refresh_token):
        with pytest.raises(InvalidGrant):
            async with pg.transaction() as session:
                await auth_service(session, passwords, access_tokens).token(
                    grant_type="refresh_token", refresh_token=token
                )


async def test_cursor_pagination_on_postgres(pg: Database, passwords: Passwords) -> None:
    ada = await make_user(pg, passwords, "ada")
    async with pg.transaction() as session:
        for i in range(5):
            await ProjectService(session).create(ada.id, name=f"p{i}")
    names: list[str] = []
    cursor = None
    async with pg.session() as session:
        while True:
            page = await ProjectService(session).list(
                ada.id, cursor=cursor, limit=2, sort="-created_at"
            )
            names += [p.name for p in page.items]
            if (cursor := page.next_cursor) is None:
                break
    assert names == [f"p{i}" for i in reversed(range(5))]
