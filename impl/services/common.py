"""Helpers shared by several services."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from impl.background import Background, after_commit
from impl.errors import PreconditionFailed
from impl.storage import Storage


async def flush_or_precondition_failed(session: AsyncSession) -> None:
    """Flush; a concurrent update that won the race (version moved) becomes a 412."""
    try:
        await session.flush()
    except StaleDataError as exc:
        raise PreconditionFailed("The resource changed while this update ran; retry.") from exc


def delete_files_after_commit(
    session: AsyncSession,
    storage: Storage | None,
    background: Background | None,
    keys: list[str],
) -> None:
    """Delete stored files once the rows pointing at them are gone for good."""
    if not keys or storage is None or background is None:
        return

    async def delete_all() -> None:
        for key in keys:
            await storage.delete(key)

    def schedule() -> None:
        background.spawn(delete_all(), name="delete-files")

    after_commit(session, schedule)
