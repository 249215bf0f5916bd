from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from impl.db.models import Attachment, Task


async def add(session: AsyncSession, **values: Any) -> Attachment:
    attachment = Attachment(**values)
    session.add(attachment)
    await session.flush()
    return attachment


async def get(session: AsyncSession, attachment_id: uuid.UUID) -> Attachment | None:
    return await session.get(Attachment, attachment_id)


def of_task(task_id: uuid.UUID) -> Select[Attachment]:
    return select(Attachment).where(Attachment.task_id == task_id)


async def storage_keys_of_task(session: AsyncSession, task_id: uuid.UUID) -> Sequence[str]:
    return (
        await session.scalars(select(Attachment.storage_key).where(Attachment.task_id == task_id))
    ).all()


async def storage_keys_of_project(session: AsyncSession, project_id: uuid.UUID) -> Sequence[str]:
    return (
        await session.scalars(
            select(Attachment.storage_key)
            .join(Task, Task.id == Attachment.task_id)
            .where(Task.project_id == project_id)
        )
    ).all()


async def delete(session: AsyncSession, attachment: Attachment) -> None:
    await session.delete(attachment)
    await session.flush()
