"""Tasks: CRUD with ETags, conditional GET, idempotent create, filters, sorting, cursors."""

from __future__ import annotations

import datetime
import uuid
from typing import Literal

from generated import models, responses
from impl.db.models import Task
from impl.handlers.common import Handler, location, next_link, page_body, reject_nulls
from impl.http.idempotency import run_once
from impl.security.principal import Principal
from impl.services.etag import if_none_match_hits
from impl.services.tasks import TaskDraft, TaskFilters, TaskService


def _model(task: Task) -> models.TaskResponse:
    return models.TaskResponse.model_validate(task, from_attributes=True)


class TasksHandlers(Handler):
    def _service(self) -> TaskService:
        return TaskService(self.session, jobs=self.runtime.jobs)

    async def list_tasks(
        self,
        *,
        project_id: uuid.UUID,
        cursor: str | None,
        limit: int,
        sort: Literal["title", "-title", "created_at", "-created_at", "updated_at", "-updated_at"],
        status: Literal["todo", "in_progress", "done"] | None,
        priority: Literal["low", "medium", "high", "urgent"] | None,
        assignee_id: uuid.UUID | None,
        due_before: datetime.date | None,
        principal: Principal,
    ) -> responses.ListTasks200Response:
        page = await self._service().list(
            principal.user_id,
            project_id,
            filters=TaskFilters(
                status=status, priority=priority, assignee_id=assignee_id, due_before=due_before
            ),
            cursor=cursor,
            limit=limit,
            sort=sort,
        )
        return responses.ListTasks200Response(
            body=page_body(models.TaskListResponse, page),
            link=next_link(self.request, page.next_cursor),
        )

    async def create_task(
        self,
        *,
        project_id: uuid.UUID,
        idempotency_key: str | None,
        body: models.TaskCreate,
        principal: Principal,
    ) -> responses.CreateTask201Response:
        reject_nulls(body, "status", "priority")
        draft = TaskDraft(
            title=body.title,
            description=body.description,
            status=(body.status or models.TaskStatus.todo).value,
            priority=(body.priority or models.TaskPriority.medium).value,
            assignee_id=body.assignee_id,
            due_date=body.due_date,
        )

        async def create() -> tuple[models.TaskResponse, dict[str, str]]:
            task = await self._service().create(principal.user_id, project_id, draft)
            return _model(task), {"Location": location("tasks", task.id), "ETag": task.etag}

        task, headers = await run_once(
            store=self.runtime.idempotency,
            session=self.session,
            response=self.response,
            key=idempotency_key,
            principal=principal,
            operation="createTask",
            target=self.request.url.path,
            payload=body.model_dump(mode="json", exclude_unset=True),
            model=models.TaskResponse,
            status=201,
            create=create,
        )
        return responses.CreateTask201Response(
            body=task, location=headers["Location"], etag=headers["ETag"]
        )

    async def get_task(
        self, *, task_id: uuid.UUID, if_none_match: str | None, principal: Principal
    ) -> responses.GetTask200Response | responses.GetTask304Response:
        task = await self._service().get(principal.user_id, task_id)
        if if_none_match_hits(if_none_match, task.etag):
            return responses.GetTask304Response(etag=task.etag)
        return responses.GetTask200Response(body=_model(task), etag=task.etag)

    async def update_task(
        self,
        *,
        task_id: uuid.UUID,
        if_match: str | None,
        body: models.TaskUpdate,
        principal: Principal,
    ) -> responses.UpdateTask200Response:
        task = await self._service().update(
            principal.user_id,
            task_id,
            body.model_dump(exclude_unset=True),
            if_match=if_match,
        )
        return responses.UpdateTask200Response(body=_model(task), etag=task.etag)

    async def delete_task(
        self, *, task_id: uuid.UUID, if_match: str | None, principal: Principal
    ) -> responses.DeleteTask204Response:
        await self._service().delete(principal.user_id, task_id, if_match=if_match)
        return responses.DeleteTask204Response()
