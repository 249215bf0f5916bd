"""Tasks: CRUD with filters, sorting, ETags and merge patch."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from impl.db.models import Task
from impl.errors import Conflict, FieldError, Forbidden
from impl.repositories import attachments, memberships, tasks
from impl.services.access import MANAGERS, require_member, require_task
from impl.services.common import delete_files_with_commit, flush_or_precondition_failed
from impl.services.etag import require_if_match
from impl.services.merge_patch import patch_fields
from impl.services.pagination import (
    DEFAULT_LIMIT,
    Page,
    SortField,
    datetime_field,
    paginate,
    parse_sort,
)

if TYPE_CHECKING:
    from impl.queue import JobQueue

SORT_FIELDS = {
    "title": SortField(Task.title),
    "created_at": datetime_field(Task.created_at),
    "updated_at": datetime_field(Task.updated_at),
}
_PATCHABLE = frozenset({"title", "description", "status", "priority", "assignee_id", "due_date"})
_NULLABLE = frozenset({"description", "assignee_id", "due_date"})


@dataclass(frozen=True, slots=True)
class TaskDraft:
    """The contract's `TaskCreate`, as plain data."""

    title: str
    description: str | None = None
    status: str = "todo"
    priority: str = "medium"
    assignee_id: uuid.UUID | None = None
    due_date: date | None = None


@dataclass(frozen=True, slots=True)
class TaskFilters:
    status: str | None = None
    priority: str | None = None
    assignee_id: uuid.UUID | None = None
    due_before: date | None = None


def _plain(value: Any) -> Any:
    """Generated models hand over enums; the database stores their values."""
    return value.value if isinstance(value, enum.Enum) else value


class TaskService:
    def __init__(
        self,
        session: AsyncSession,
        *,
        jobs: JobQueue | None = None,
    ) -> None:
        self.session = session
        self.jobs = jobs  # deletes the files of what is deleted (unit tests may go without)

    async def create(self, user_id: uuid.UUID, project_id: uuid.UUID, draft: TaskDraft) -> Task:
        await require_member(self.session, project_id, user_id)
        values = {key: _plain(value) for key, value in asdict(draft).items()}
        await self._check_assignee(project_id, values["assignee_id"])
        return await tasks.add(self.session, project_id=project_id, created_by=user_id, **values)

    async def list(
        self,
        user_id: uuid.UUID,
        project_id: uuid.UUID,
        *,
        filters: TaskFilters | None = None,
        cursor: str | None = None,
        limit: int = DEFAULT_LIMIT,
        sort: str = "-created_at",
    ) -> Page[Task]:
        await require_member(self.session, project_id, user_id)
        criteria = {key: _plain(value) for key, value in asdict(filters or TaskFilters()).items()}
        return await paginate(
            self.session,
            tasks.of_project(project_id, **criteria),
            id_column=Task.id,
            sort=parse_sort(sort, SORT_FIELDS),
            cursor=cursor,
            limit=limit,
            filters=criteria,
        )

    async def get(self, user_id: uuid.UUID, task_id: uuid.UUID) -> Task:
        task, _ = await require_task(self.session, task_id, user_id)
        return task

    async def update(
        self,
        user_id: uuid.UUID,
        task_id: uuid.UUID,
        patch: Mapping[str, Any],
        *,
        if_match: str | None,
    ) -> Task:
        task, _ = await require_task(self.session, task_id, user_id, for_update=True)
        require_if_match(if_match, task.etag)
        changes = {
            k: _plain(v)
            for k, v in patch_fields(patch, allowed=_PATCHABLE, nullable=_NULLABLE).items()
        }
        if "assignee_id" in changes:
            await self._check_assignee(task.project_id, changes["assignee_id"])
        for field, value in changes.items():
            setattr(task, field, value)
        await flush_or_precondition_failed(self.session)
        return task

    async def delete(self, user_id: uuid.UUID, task_id: uuid.UUID, *, if_match: str | None) -> None:
        task, membership = await require_task(self.session, task_id, user_id, for_update=True)
        if task.created_by != user_id and membership.role not in MANAGERS:
            raise Forbidden("Only the task's creator or a project owner or admin can delete it.")
        require_if_match(if_match, task.etag)
        keys = list(await attachments.storage_keys_of_task(self.session, task.id))
        await tasks.delete(self.session, task)
        await flush_or_precondition_failed(self.session)
        await delete_files_with_commit(self.session, self.jobs, keys)

    async def _check_assignee(self, project_id: uuid.UUID, assignee_id: uuid.UUID | None) -> None:
        if (
            assignee_id is not None
            and await memberships.get(self.session, project_id, assignee_id) is None
        ):
            # A conflict with the project's membership (server state), not a malformed request.
            raise Conflict(
                "The assignee is not a member of the project.",
                code="assignee_not_member",
                errors=[FieldError("/assignee_id", "Not a member of this project.")],
            )
