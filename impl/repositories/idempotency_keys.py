"""The `idempotency_keys` table: each write is one statement, conditional where it must be.

`version` changes with every write to a row, and every write that depends on what was read is
conditioned on the version read (optimistic concurrency): on PostgreSQL a second writer waits
for the first's row lock, then re-checks its condition against the committed row and matches
nothing; SQLite runs one writer at a time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Table, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from impl.db.models import IdempotencyKey

_table = cast("Table", IdempotencyKey.__table__)  # Core statements: no ORM bookkeeping


async def _rowcount(session: AsyncSession, statement: Any) -> int:
    result = cast("CursorResult[Any]", await session.execute(statement))  # a DML result
    return int(result.rowcount or 0)


async def insert_new(
    session: AsyncSession,
    *,
    key: str,
    fingerprint: str,
    locked_until: datetime,
    expires_at: datetime,
    now: datetime,
) -> bool:
    """Reserve a key nobody holds (`INSERT ... ON CONFLICT DO NOTHING`): False if a row for it
    exists, however concurrent the other insert was (the primary key decides)."""
    values = {
        "key": key, "fingerprint": fingerprint, "version": 1, "locked_until": locked_until,
        "created_at": now, "expires_at": expires_at,
    }  # fmt: skip
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(_table).values(values).on_conflict_do_nothing()
    return await _rowcount(session, statement) == 1


async def get(session: AsyncSession, key: str) -> IdempotencyKey | None:
    """The row as committed now (not a copy the session may hold)."""
    return await session.scalar(
        select(IdempotencyKey)
        .where(IdempotencyKey.key == key)
        .execution_options(populate_existing=True)
    )


async def _write_if_version(
    session: AsyncSession, key: str, version: int, **values: object
) -> bool:
    """Update the row if its version is still `version`, and move the version on."""
    statement = (
        update(_table)
        .where(_table.c.key == key, _table.c.version == version)
        .values(version=version + 1, **values)
    )
    return await _rowcount(session, statement) == 1


async def take_over(
    session: AsyncSession,
    *,
    key: str,
    read_version: int,
    fingerprint: str,
    locked_until: datetime,
    expires_at: datetime,
    now: datetime,
) -> bool:
    """Reserve a key whose lease or record expired, if it is still as it was read."""
    return await _write_if_version(
        session, key, read_version,
        fingerprint=fingerprint, locked_until=locked_until, response_status=None,
        response_headers=None, response_body=None, created_at=now, expires_at=expires_at,
    )  # fmt: skip


async def store_response(
    session: AsyncSession,
    *,
    key: str,
    version: int,
    status: int,
    headers: dict[str, str],
    body: bytes,
    expires_at: datetime,
) -> bool:
    """Store the response, if the reservation `version` still holds the key."""
    return await _write_if_version(
        session, key, version,
        locked_until=None, response_status=status, response_headers=headers,
        response_body=body, expires_at=expires_at,
    )  # fmt: skip


async def delete_reservation(session: AsyncSession, *, key: str, version: int) -> None:
    """Give the key back (the request failed), if this reservation still holds it."""
    await session.execute(
        delete(_table).where(
            _table.c.key == key, _table.c.version == version, _table.c.response_status.is_(None)
        )
    )


async def prune(session: AsyncSession, *, now: datetime, limit: int) -> int:
    """Delete up to `limit` expired rows, oldest first. Rows another transaction holds are
    skipped (PostgreSQL `SKIP LOCKED`), so concurrent prunes never wait for each other."""
    expired = (
        select(_table.c.key)
        .where(_table.c.expires_at < now)
        .order_by(_table.c.expires_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return await _rowcount(session, delete(_table).where(_table.c.key.in_(expired)))
