"""Projects: CRUD with ETags, conditional GET, idempotent create and cursor pagination."""

from __future__ import annotations

import uuid
from typing import Literal

from generated import models, responses
from impl.handlers.common import Handler, location, next_link, page_body
from impl.http.idempotency import run_once
from impl.security.principal import Principal
from impl.services.etag import if_none_match_hits
from impl.services.projects import ProjectService, ProjectView


def _model(view: ProjectView) -> models.ProjectResponse:
    return models.ProjectResponse.model_validate(view, from_attributes=True)


class ProjectsHandlers(Handler):
    def _service(self) -> ProjectService:
        return ProjectService(self.session, jobs=self.runtime.jobs)

    async def list_projects(
        self,
        *,
        cursor: str | None,
        limit: int,
        sort: Literal["name", "-name", "created_at", "-created_at", "updated_at", "-updated_at"],
        name_contains: str | None,
        principal: Principal,
    ) -> responses.ListProjects200Response:
        page = await self._service().list(
            principal.user_id, cursor=cursor, limit=limit, sort=sort, name_contains=name_contains
        )
        return responses.ListProjects200Response(
            body=page_body(models.ProjectListResponse, page),
            link=next_link(self.request, page.next_cursor),
        )

    async def create_project(
        self, *, idempotency_key: str | None, body: models.ProjectCreate, principal: Principal
    ) -> responses.CreateProject201Response:
        async def create() -> tuple[models.ProjectResponse, dict[str, str]]:
            view = await self._service().create(
                principal.user_id, name=body.name, description=body.description
            )
            return _model(view), {"Location": location("projects", view.id), "ETag": view.etag}

        project, headers = await run_once(
            store=self.runtime.idempotency,
            session=self.session,
            response=self.response,
            key=idempotency_key,
            principal=principal,
            operation="createProject",
            target=self.request.url.path,
            payload=body.model_dump(mode="json", exclude_unset=True),
            model=models.ProjectResponse,
            status=201,
            create=create,
        )
        return responses.CreateProject201Response(
            body=project, location=headers["Location"], etag=headers["ETag"]
        )

    async def get_project(
        self, *, project_id: uuid.UUID, if_none_match: str | None, principal: Principal
    ) -> responses.GetProject200Response | responses.GetProject304Response:
        view = await self._service().get(principal.user_id, project_id)
        if if_none_match_hits(if_none_match, view.etag):
            return responses.GetProject304Response(etag=view.etag)
        return responses.GetProject200Response(body=_model(view), etag=view.etag)

    async def update_project(
        self,
        *,
        project_id: uuid.UUID,
        if_match: str | None,
        body: models.ProjectUpdate,
        principal: Principal,
    ) -> responses.UpdateProject200Response:
        view = await self._service().update(
            principal.user_id,
            project_id,
            body.model_dump(exclude_unset=True),
            if_match=if_match,
        )
        return responses.UpdateProject200Response(body=_model(view), etag=view.etag)

    async def delete_project(
        self, *, project_id: uuid.UUID, if_match: str | None, principal: Principal
    ) -> responses.DeleteProject204Response:
        await self._service().delete(principal.user_id, project_id, if_match=if_match)
        return responses.DeleteProject204Response()
