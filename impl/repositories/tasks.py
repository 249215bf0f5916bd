from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from impl.db.models import Task
from impl.repositories.locks import get_for_update


async def add(session: AsyncSession, **values: Any) -> Task:
    task = Task(**values)
    session.add(task)
    await session.flush()
    return task


async def get(
    session: AsyncSession, task_id: uuid.UUID, *, for_update: bool = False
) -> Task | None:
    """`for_update`: for a change or a delete (`locks.get_for_update`)."""
    if for_update:
        return await get_for_update(session, Task, task_id)
    return await session.get(Task, task_id)


def of_project(
    project_id: uuid.UUID,
    *,
    status: str | None = None,
    priority: str | None = None,
    assignee_id: uuid.UUID | None = None,
    due_before: date | None = None,
) -> Select[Task]:
    statement = select(Task).where(Task.project_id == project_id)
    if status is not None:
        statement = statement.where(Task.status == status)
    if priority is not None:
        statement = statement.where(Task.priority == priority)
    if assignee_id is not None:
        statement = statement.where(Task.assignee_id == assignee_id)
    if due_before is not None:
        statement = statement.where(Task.due_date < due_before)
    return statement


async def stream_project(
    session: AsyncSession, project_id: uuid.UUID, *, batch: int = 500
) -> AsyncIterator[Task]:
    """Every task of a project in creation order, fetched in batches (for exports)."""
    result = await session.stream_scalars(
        of_project(project_id).order_by(Task.created_at, Task.id).execution_options(yield_per=batch)
    )
    async for task in result:
        yield task


async def delete(session: AsyncSession, task: Task) -> None:
    """Marks it deleted; the caller flushes (a row that changed or vanished meanwhile is a
    `StaleDataError` there)."""
    await session.delete(task)
