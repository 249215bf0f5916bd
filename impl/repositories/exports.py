from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from impl.db.models import Export

UNFINISHED = ("pending", "running")


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


async def get_for_update(session: AsyncSession, export_id: uuid.UUID) -> Export | None:
    """The export, locked until the transaction ends (PostgreSQL; SQLite has one writer)."""
    return (
        await session.scalars(
            select(Export)
            .where(Export.id == export_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).one_or_none()


async def storage_keys_of_project(session: AsyncSession, project_id: uuid.UUID) -> Sequence[str]:
    return (
        await session.scalars(
            select(Export.storage_key).where(
                Export.project_id == project_id, Export.storage_key.is_not(None)
            )
        )
    ).all()  # type: ignore[return-value]


async def unfinished_ids(
    session: AsyncSession, *, created_before: datetime, limit: int = 1000
) -> Sequence[uuid.UUID]:
    """Exports still pending or running that were requested before `created_before`."""
    return (
        await session.scalars(
            select(Export.id)
            .where(Export.status.in_(UNFINISHED), Export.created_at < created_before)
            .order_by(Export.created_at)
            .limit(limit)
        )
    ).all()


async def fail_overdue(
    session: AsyncSession, *, created_before: datetime, now: datetime, reason: str
) -> list[str | None]:
    """Mark exports still unfinished that were requested before `created_before` as failed
    with `reason`; returns, for each, the storage key its attempts may have written."""
    overdue = (
        await session.scalars(
            select(Export)
            .where(Export.status.in_(UNFINISHED), Export.created_at < created_before)
            .with_for_update(skip_locked=True)  # one being finished right now is left to it
        )
    ).all()
    keys = [export.storage_key for export in overdue]
    for export in overdue:
        export.status = "failed"
        export.error = reason
        export.storage_key = None
        export.finished_at = now
    await session.flush()
    return keys


async def count_by_status(session: AsyncSession) -> dict[str, int]:
    """Exports per status (the row's status is the truth: a soak counts done, failed and
    unfinished ones with it)."""
    rows = await session.execute(select(Export.status, func.count()).group_by(Export.status))
    return {status: int(count) for status, count in rows.all()}
