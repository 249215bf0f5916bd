"""The database handle: one async engine and session factory per process."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}


def normalize_url(url: str | URL) -> URL:
    """Accept the URLs people paste (`postgresql://`, `postgres://`, `sqlite:///`) and pick
    the async driver this service uses for each backend."""
    if isinstance(url, str) and url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    driver = _ASYNC_DRIVERS.get(parsed.get_backend_name())
    if driver is None:
        raise ValueError(
            f"unsupported database {parsed.get_backend_name()!r}; use SQLite or PostgreSQL"
        )
    if "+" not in parsed.drivername:
        parsed = parsed.set(drivername=driver)
    return parsed


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable enough with WAL, much faster
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _invalidate_on_timeout(context: ExceptionContext) -> None:
    """A statement that timed out on the client side leaves its connection mid-protocol:
    treat it as a disconnect, so the pool discards that connection (and, as for any
    disconnect, the others that are as old) instead of handing it out again."""
    if isinstance(context.original_exception, TimeoutError):
        context.is_disconnect = True


def create_engine(
    url: str | URL,
    *,
    pool_size: int = 10,
    max_overflow: int = 10,
    echo: bool = False,
    connect_timeout: float = 5.0,
    statement_timeout: float = 10.0,
    pool_timeout: float = 5.0,
) -> AsyncEngine:
    """An async engine for SQLite (file created on first use) or PostgreSQL (pooled asyncpg).

    Every wait is bounded: opening a connection (`connect_timeout`), a statement
    (`statement_timeout`: PostgreSQL cancels it, and the client gives up shortly after in case
    the server itself stopped answering) and a pool checkout (`pool_timeout`). Bound
    parameters never appear in errors or logs (`hide_parameters`): they hold password hashes,
    token digests and user text."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            parsed, echo=echo, hide_parameters=True, connect_args={"timeout": connect_timeout}
        )
        event.listen(engine.sync_engine, "connect", _set_sqlite_pragmas)
        return engine
    engine = create_async_engine(
        parsed,
        echo=echo,
        hide_parameters=True,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=pool_timeout,
        pool_pre_ping=True,
        pool_recycle=1800,
        connect_args={
            "timeout": connect_timeout,
            "command_timeout": statement_timeout + 1,
            "server_settings": {"statement_timeout": str(int(statement_timeout * 1000))},
        },
    )
    event.listen(engine.sync_engine, "handle_error", _invalidate_on_timeout)
    return engine


class Database:
    """Owns the engine and hands out sessions.

    `transaction()` is the unit of work: commit on success, roll back on any exception.
    Sessions do not expire objects on commit, so a service can return ORM objects that the
    HTTP layer serializes after the transaction ended.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessionmaker = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)

    @classmethod
    def from_url(cls, url: str | URL, **engine_options: Any) -> Database:
        return cls(create_engine(url, **engine_options))

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        async with self.sessionmaker() as session, session.begin():
            yield session

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session without an implicit transaction block, for read-only work."""
        async with self.sessionmaker() as session:
            yield session

    async def ping(self) -> float:
        """Round-trip `SELECT 1`; returns the latency in milliseconds."""
        started = time.perf_counter()
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return (time.perf_counter() - started) * 1000

    async def dispose(self) -> None:
        await self.engine.dispose()
