"""The outbox of file deletions (`FileDeletion`): one row per stored file to delete."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from impl.db.models import FileDeletion


async def add(session: AsyncSession, keys: Iterable[str]) -> list[uuid.UUID]:
    """Record these files for deletion in `session`'s transaction; returns the rows' ids."""
    rows = [FileDeletion(storage_key=key) for key in keys]
    session.add_all(rows)
    await session.flush()
    return [row.id for row in rows]


async def get(session: AsyncSession, deletion_id: uuid.UUID) -> FileDeletion | None:
    return await session.get(FileDeletion, deletion_id)


async def remove(session: AsyncSession, deletion_id: uuid.UUID) -> None:
    await session.execute(delete(FileDeletion).where(FileDeletion.id == deletion_id))


async def ids_before(
    session: AsyncSession, *, requested_before: datetime, limit: int = 1000
) -> Sequence[uuid.UUID]:
    """Deletions still to do that were requested before `requested_before`, oldest first."""
    return (
        await session.scalars(
            select(FileDeletion.id)
            .where(FileDeletion.requested_at < requested_before)
            .order_by(FileDeletion.requested_at)
            .limit(limit)
        )
    ).all()
