from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from impl.db.models import Membership


async def get(
    session: AsyncSession, project_id: uuid.UUID, user_id: uuid.UUID
) -> Membership | None:
    return await session.get(Membership, (project_id, user_id))


async def roles_for(
    session: AsyncSession, user_id: uuid.UUID, project_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    if not project_ids:
        return {}
    rows = await session.execute(
        select(Membership.project_id, Membership.role).where(
            Membership.user_id == user_id, Membership.project_id.in_(project_ids)
        )
    )
    return {project_id: role for project_id, role in rows}


def of_project(project_id: uuid.UUID) -> Select[Membership]:
    return select(Membership).where(Membership.project_id == project_id)


async def add(
    session: AsyncSession, *, project_id: uuid.UUID, user_id: uuid.UUID, role: str
) -> Membership:
    membership = Membership(project_id=project_id, user_id=user_id, role=role)
    session.add(membership)
    await session.flush()
    await session.refresh(membership, ["user"])
    return membership


async def count_owners(session: AsyncSession, project_id: uuid.UUID) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.project_id == project_id, Membership.role == "owner")
        )
        or 0
    )


async def delete(session: AsyncSession, membership: Membership) -> None:
    await session.delete(membership)
    await session.flush()
