"""Comments on tasks."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from impl.db.models import Comment
from impl.errors import Forbidden, NotFound
from impl.repositories import comments, memberships, tasks
from impl.services.access import MANAGERS, require_task
from impl.services.pagination import DEFAULT_LIMIT, Page, datetime_field, paginate, parse_sort

_OLDEST_FIRST = parse_sort("created_at", {"created_at": datetime_field(Comment.created_at)})


class CommentService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(
        self,
        user_id: uuid.UUID,
        task_id: uuid.UUID,
        *,
        cursor: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> Page[Comment]:
        await require_task(self.session, task_id, user_id)
        return await paginate(
            self.session,
            comments.of_task(task_id),
            id_column=Comment.id,
            sort=_OLDEST_FIRST,
            cursor=cursor,
            limit=limit,
        )

    async def create(self, user_id: uuid.UUID, task_id: uuid.UUID, *, body: str) -> Comment:
        await require_task(self.session, task_id, user_id)
        return await comments.add(self.session, task_id=task_id, author_id=user_id, body=body)

    async def delete(self, user_id: uuid.UUID, comment_id: uuid.UUID) -> None:
        comment = await comments.get(self.session, comment_id)
        task = await tasks.get(self.session, comment.task_id) if comment else None
        membership = await memberships.get(self.session, task.project_id, user_id) if task else None
        if comment is None or membership is None:
            raise NotFound(f"Comment {comment_id} does not exist.")
        if comment.author_id != user_id and membership.role not in MANAGERS:
            raise Forbidden("Only the comment's author or a project owner or admin can delete it.")
        await comments.delete(self.session, comment)
