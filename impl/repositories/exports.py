from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from impl.db.models import Export


async def add(
    session: AsyncSession, *, project_id: uuid.UUID, requested_by: uuid.UUID, format: str
) -> Export:
    export = Export(
        project_id=project_id, requested_by=requested_by, format=format, status="pending"
    )
    session.add(export)
    await session.flush()
    return export


async def get(session: AsyncSession, export_id: uuid.UUID) -> Export | None:
    return await session.get(Export, export_id)


async def claim(session: AsyncSession, export_id: uuid.UUID, now: datetime) -> bool:
    """Move a pending export to running; False if someone else already did."""
    result = await session.execute(
        update(Export)
        .where(Export.id == export_id, Export.status == "pending")
        .values(status="running", started_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def storage_keys_of_project(session: AsyncSession, project_id: uuid.UUID) -> Sequence[str]:
    return (
        await session.scalars(
            select(Export.storage_key).where(
                Export.project_id == project_id, Export.storage_key.is_not(None)
            )
        )
    ).all()  # type: ignore[return-value]


async def fail_interrupted(
    session: AsyncSession, *, started_before: datetime, now: datetime
) -> int:
    """Mark exports that were pending or running before `started_before` as failed: the
    process that ran them is gone. Returns how many were marked."""
    result = await session.execute(
        update(Export)
        .where(
            Export.status.in_(("pending", "running")),
            func.coalesce(Export.started_at, Export.created_at) < started_before,
        )
        .values(
            status="failed", error="interrupted by a restart; start a new export", finished_at=now
        )
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
