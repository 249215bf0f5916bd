"""Projects: the unit of access control."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from impl.db.models import Project
from impl.errors import NotFound
from impl.repositories import attachments, exports, memberships, projects
from impl.services.access import MANAGERS, require_member
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
    "name": SortField(Project.name),
    "created_at": datetime_field(Project.created_at),
    "updated_at": datetime_field(Project.updated_at),
}


@dataclass(frozen=True, slots=True)
class ProjectView:
    """A project as one member sees it (the contract's `Project`)."""

    id: uuid.UUID
    name: str
    description: str | None
    role: str
    created_at: datetime
    updated_at: datetime
    etag: str

    @classmethod
    def of(cls, project: Project, role: str) -> ProjectView:
        return cls(
            id=project.id,
            name=project.name,
            description=project.description,
            role=role,
            created_at=project.created_at,
            updated_at=project.updated_at,
            etag=project.etag,
        )


def _require(project: Project | None, project_id: uuid.UUID) -> Project:
    """The membership was read a moment before the project: a concurrent delete may have
    removed the project (and, with it, the membership) in between."""
    if project is None:
        raise NotFound(f"Project {project_id} does not exist.")
    return project


class ProjectService:
    def __init__(
        self,
        session: AsyncSession,
        *,
        jobs: JobQueue | None = None,
    ) -> None:
        self.session = session
        self.jobs = jobs  # deletes the files of what is deleted (unit tests may go without)

    async def create(
        self, user_id: uuid.UUID, *, name: str, description: str | None = None
    ) -> ProjectView:
        project, membership = await projects.add(
            self.session, name=name, description=description, owner_id=user_id
        )
        return ProjectView.of(project, membership.role)

    async def list(
        self,
        user_id: uuid.UUID,
        *,
        cursor: str | None = None,
        limit: int = DEFAULT_LIMIT,
        sort: str = "-created_at",
        name_contains: str | None = None,
    ) -> Page[ProjectView]:
        page = await paginate(
            self.session,
            projects.visible_to(user_id, name_contains=name_contains),
            id_column=Project.id,
            sort=parse_sort(sort, SORT_FIELDS),
            cursor=cursor,
            limit=limit,
            filters={"name_contains": name_contains},
        )
        roles = await memberships.roles_for(self.session, user_id, [p.id for p in page.items])
        return Page([ProjectView.of(p, roles[p.id]) for p in page.items], page.next_cursor)

    async def get(self, user_id: uuid.UUID, project_id: uuid.UUID) -> ProjectView:
        membership = await require_member(self.session, project_id, user_id)
        project = _require(await projects.get(self.session, project_id), project_id)
        return ProjectView.of(project, membership.role)

    async def update(
        self,
        user_id: uuid.UUID,
        project_id: uuid.UUID,
        patch: Mapping[str, Any],
        *,
        if_match: str | None,
    ) -> ProjectView:
        membership = await require_member(self.session, project_id, user_id, roles=MANAGERS)
        project = await projects.get(self.session, project_id, for_update=True)
        project = _require(project, project_id)
        require_if_match(if_match, project.etag)
        changes = patch_fields(
            patch, allowed=frozenset({"name", "description"}), nullable=frozenset({"description"})
        )
        for field, value in changes.items():
            setattr(project, field, value)
        await flush_or_precondition_failed(self.session)
        return ProjectView.of(project, membership.role)

    async def delete(
        self, user_id: uuid.UUID, project_id: uuid.UUID, *, if_match: str | None
    ) -> None:
        await require_member(self.session, project_id, user_id, roles={"owner"})
        project = await projects.get(self.session, project_id, for_update=True)
        project = _require(project, project_id)
        require_if_match(if_match, project.etag)
        keys = [
            *await attachments.storage_keys_of_project(self.session, project_id),
            *await exports.storage_keys_of_project(self.session, project_id),
        ]
        await projects.delete(self.session, project)
        await flush_or_precondition_failed(self.session)
        await delete_files_with_commit(self.session, self.jobs, keys)
