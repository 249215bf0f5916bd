"""Reaching the PostgreSQL and Redis the `postgres` tests run against.

Locally an unreachable server skips those tests; on CI (`CI=true`) it fails them, so a broken
service container can never turn the suite green by skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from impl.db.engine import Database

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def unavailable(what: str, error: BaseException) -> None:
    message = f"{what} is unreachable: {error}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@asynccontextmanager
async def scratch_postgres_database() -> AsyncIterator[str]:
    """A fresh, empty database on the test server, dropped afterwards (tests never share
    state, and a developer's `test` database is left alone)."""
    import asyncpg  # type: ignore[import-untyped]

    admin_url = make_url(TEST_DATABASE_URL).set(drivername="postgresql")
    dsn = admin_url.render_as_string(hide_password=False)
    try:
        admin = await asyncpg.connect(dsn, timeout=3)
    except (OSError, asyncpg.PostgresError) as error:
        unavailable("PostgreSQL", error)
        raise
    name = f"specfirst_test_{uuid.uuid4().hex[:12]}"
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield admin_url.set(database=name, drivername="postgresql+asyncpg").render_as_string(
            hide_password=False
        )
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@asynccontextmanager
async def migrated_postgres_database(**engine_options: Any) -> AsyncIterator[Database]:
    """A `Database` on a fresh scratch database, migrated to the latest revision."""
    from impl.db.engine import Database
    from impl.db.migrate import upgrade_engine

    async with scratch_postgres_database() as url:
        database = Database.from_url(url, **engine_options)
        try:
            await upgrade_engine(database.engine)
            yield database
        finally:
            await database.dispose()


@asynccontextmanager
async def redis_client() -> AsyncIterator[object]:
    from redis.asyncio import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    client = Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=3)
    try:
        await client.ping()  # type: ignore[misc]
    except (OSError, RedisConnectionError) as error:
        await client.aclose()
        unavailable("Redis", error)
        raise
    try:
        yield client
    finally:
        await client.aclose()
