from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from impl.db.models import Comment


async def add(
    session: AsyncSession, *, task_id: uuid.UUID, author_id: uuid.UUID, body: str
) -> Comment:
    comment = Comment(task_id=task_id, author_id=author_id, body=body)
    session.add(comment)
    await session.flush()
    return comment


async def get(session: AsyncSession, comment_id: uuid.UUID) -> Comment | None:
    return await session.get(Comment, comment_id)


def of_task(task_id: uuid.UUID) -> Select[Comment]:
    return select(Comment).where(Comment.task_id == task_id)


async def delete(session: AsyncSession, comment: Comment) -> None:
    await session.delete(comment)
    await session.flush()
