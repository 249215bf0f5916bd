"""Helpers shared by several services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from impl.errors import PreconditionFailed

if TYPE_CHECKING:
    from impl.queue import JobQueue


async def flush_or_precondition_failed(session: AsyncSession) -> None:
    """Flush; an update or delete whose row a concurrent request changed or deleted meanwhile
    (versioned rows: the statement matched nothing) becomes a 412, never a 500."""
    try:
        await session.flush()
    except StaleDataError as exc:
        raise PreconditionFailed(
            "The resource changed or was deleted while this request ran; fetch it again."
        ) from exc


async def delete_files_with_commit(
    session: AsyncSession, jobs: JobQueue | None, keys: Sequence[str]
) -> None:
    """Delete stored files once the rows pointing at them are gone for good: the deletion is
    recorded in `session`'s transaction (commits with the rows' deletion, or not at all) and
    carried out by a job (`JobQueue.delete_files`), never by a task of this process alone."""
    if keys and jobs is not None:
        await jobs.delete_files(session, keys)
