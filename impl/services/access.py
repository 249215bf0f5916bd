"""Project membership checks.

A caller who is not a member of a project gets 404 for it and everything in it, exactly as
if it did not exist, so ids cannot be probed. A member whose role is too low gets 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession

from impl.db.models import Membership, Task
from impl.errors import Forbidden, NotFound
from impl.repositories import memberships, tasks

MANAGERS = frozenset({"owner", "admin"})


async def require_member(
    session: AsyncSession,
    project_id: uuid.UUID,
    user_id: uuid.UUID,
    *,
    roles: Collection[str] | None = None,
) -> Membership:
    membership = await memberships.get(session, project_id, user_id)
    if membership is None:
        raise NotFound(f"Project {project_id} does not exist.")
    if roles is not None and membership.role not in roles:
        needed = " or ".join(sorted(roles))
        raise Forbidden(f"This needs the {needed} role in the project.")
    return membership


async def require_task(
    session: AsyncSession, task_id: uuid.UUID, user_id: uuid.UUID, *, for_update: bool = False
) -> tuple[Task, Membership]:
    """The task and the caller's membership of its project; `for_update` locks the task row
    (see `tasks.get`) before anything is checked, for a change or a delete."""
    task = await tasks.get(session, task_id, for_update=for_update)
    membership = await memberships.get(session, task.project_id, user_id) if task else None
    if task is None or membership is None:
        raise NotFound(f"Task {task_id} does not exist.")
    return task, membership
