"""Row locks for check-then-write sequences ("at most N keys", "the last owner stays").

`lock_row` makes every other transaction that locks the same row wait until this one ends, so
a count read after it cannot be stale by the time the write commits. PostgreSQL locks the row
(`SELECT … FOR UPDATE`). SQLite has no row locks; a no-op `UPDATE` takes its database write
lock instead (held until commit; other writers wait up to `busy_timeout`), which serializes the
same sequences (and every other write, as SQLite always does at commit).
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


async def get_for_update(session: AsyncSession, model: type[T], row_id: uuid.UUID) -> T | None:
    """The row, read fresh and locked until the transaction ends (PostgreSQL `FOR UPDATE`): a
    concurrent change or delete of it waits for this transaction, or this read waits for it
    and sees its outcome (None once deleted). SQLite serializes writers anyway; there a race
    lost at flush is a `StaleDataError` (see `flush_or_precondition_failed`)."""
    return await session.get(model, row_id, with_for_update=True, populate_existing=True)


async def lock_row(session: AsyncSession, model: Any, row_id: uuid.UUID) -> None:
    table = model.__table__
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(table.c.id).where(table.c.id == row_id).with_for_update())
        return
    # Set the key, and every column with an `onupdate` default, to itself: nothing changes
    # (no new ETag), but the statement is a write.
    unchanged = {c.name: c for c in table.columns if c.primary_key or c.onupdate is not None}
    await session.execute(update(table).where(table.c.id == row_id).values(unchanged))
