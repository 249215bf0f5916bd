from __future__ import annotations

import uuid

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from impl.db.models import Membership, Project
from impl.repositories.locks import get_for_update


async def add(
    session: AsyncSession, *, name: str, description: str | None, owner_id: uuid.UUID
) -> tuple[Project, Membership]:
    project = Project(name=name, description=description, created_by=owner_id)
    session.add(project)
    await session.flush()
    membership = Membership(project_id=project.id, user_id=owner_id, role="owner")
    session.add(membership)
    await session.flush()
    return project, membership


async def get(
    session: AsyncSession, project_id: uuid.UUID, *, for_update: bool = False
) -> Project | None:
    """`for_update`: for a change or a delete (`locks.get_for_update`)."""
    if for_update:
        return await get_for_update(session, Project, project_id)
    return await session.get(Project, project_id)


def visible_to(user_id: uuid.UUID, *, name_contains: str | None = None) -> Select[Project]:
    """Projects `user_id` is a member of."""
    statement = select(Project).join(
        Membership, (Membership.project_id == Project.id) & (Membership.user_id == user_id)
    )
    if name_contains:
        escaped = name_contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(func.lower(Project.name).contains(escaped.lower(), escape="\\"))
    return statement


async def delete(session: AsyncSession, project: Project) -> None:
    """Marks it deleted; the caller flushes (a row that changed or vanished meanwhile is a
    `StaleDataError` there)."""
    await session.delete(project)
