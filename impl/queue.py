"""The enqueue side of the durable jobs (`impl.jobs` runs them): used by request handlers and
by jobs, so it depends on no job's code.

`JobQueue`: `enqueue_export(session, id)` and `delete_files(session, keys)`. On PostgreSQL
(`PostgresJobQueue`) the PgQueuer job is inserted on the session's own connection, in its
transaction: the row and its job commit together or not at all. On SQLite (`MemoryJobQueue`)
the queue is PgQueuer's in-memory adapter and the job is handed over once the transaction
commits; the rows are the outbox (the worker re-enqueues unfinished ones when it starts and on
each sweep). Dedupe keys make re-enqueueing idempotent.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pgqueuer import AsyncpgDriver, InMemoryDriver, InMemoryQueries, Queries
from sqlalchemy.ext.asyncio import AsyncSession

from impl.background import Background, after_commit
from impl.db.engine import normalize_url
from impl.repositories import file_deletions

if TYPE_CHECKING:
    from impl.settings import Settings

EXPORT = "export"
"""The PgQueuer entrypoint that runs exports; the job's payload is the export id."""
DELETE_FILE = "delete_file"
"""The PgQueuer entrypoint that deletes a stored file; the payload is a `file_deletions` id."""


def dedupe_key(entrypoint: str, row_id: uuid.UUID) -> str:
    """At most one queued or running job per row: re-enqueueing is idempotent."""
    return f"{entrypoint}:{row_id}"


def export_dedupe_key(export_id: uuid.UUID) -> str:
    return dedupe_key(EXPORT, export_id)


async def _enqueue_missing(
    queries: Queries | InMemoryQueries, entrypoint: str, ids: Sequence[uuid.UUID]
) -> int:
    """Enqueue a job per row, skipping rows whose job is queued or running (dedupe keys)."""
    if not ids:
        return 0
    enqueued = await queries.enqueue(
        [entrypoint] * len(ids),
        [str(row_id).encode() for row_id in ids],
        [0] * len(ids),
        dedupe_key=[dedupe_key(entrypoint, row_id) for row_id in ids],
        on_conflict="skip",
    )
    return sum(1 for job_id in enqueued if job_id is not None)


class JobQueue(ABC):
    """The enqueue side, used while handling requests (and by jobs)."""

    async def enqueue_export(self, session: AsyncSession, export_id: uuid.UUID) -> None:
        """Enqueue the export's job atomically with `session`'s transaction."""
        await self._enqueue(session, EXPORT, [export_id])

    async def delete_files(self, session: AsyncSession, keys: Sequence[str]) -> None:
        """Delete these stored files once `session`'s transaction commits, durably: recorded
        in `file_deletions` in the transaction, and a job enqueued with it (or, on SQLite,
        handed over once it commits; a crash before that leaves the rows, which the worker
        re-enqueues when it starts)."""
        if keys:
            await self._enqueue(session, DELETE_FILE, await file_deletions.add(session, keys))

    @abstractmethod
    async def _enqueue(
        self, session: AsyncSession, entrypoint: str, ids: Sequence[uuid.UUID]
    ) -> None:
        """Enqueue jobs for these rows atomically with `session`'s transaction."""

    @abstractmethod
    async def requeue(
        self, session: AsyncSession, entrypoint: str, ids: Sequence[uuid.UUID]
    ) -> int:
        """Enqueue jobs for these (committed) rows unless one is queued or running already;
        returns how many were enqueued."""


class PostgresJobQueue(JobQueue):
    """Jobs in PostgreSQL, inserted on the session's own connection and transaction."""

    async def _queries(self, session: AsyncSession) -> Queries:
        connection = await session.connection()  # begins the transaction if needed
        raw = await connection.get_raw_connection()
        return Queries(AsyncpgDriver(raw.driver_connection))

    async def _enqueue(
        self, session: AsyncSession, entrypoint: str, ids: Sequence[uuid.UUID]
    ) -> None:
        await _enqueue_missing(await self._queries(session), entrypoint, ids)

    async def requeue(
        self, session: AsyncSession, entrypoint: str, ids: Sequence[uuid.UUID]
    ) -> int:
        return await _enqueue_missing(await self._queries(session), entrypoint, ids) if ids else 0


class MemoryJobQueue(JobQueue):
    """Jobs in this process's memory (SQLite, one process): handed over after the commit.
    A process that dies before its worker ran them loses only the hand-over: the export rows
    are still pending and the file deletions still recorded, and the worker re-enqueues them
    when it starts."""

    def __init__(self, background: Background) -> None:
        self.queries = InMemoryQueries(InMemoryDriver())
        self.background = background

    async def _enqueue(
        self, session: AsyncSession, entrypoint: str, ids: Sequence[uuid.UUID]
    ) -> None:
        ids = list(ids)

        async def hand_over() -> None:
            await _enqueue_missing(self.queries, entrypoint, ids)

        def committed() -> None:
            self.background.spawn(hand_over(), name=f"enqueue-{entrypoint}")

        after_commit(session, committed)

    async def requeue(
        self, session: AsyncSession, entrypoint: str, ids: Sequence[uuid.UUID]
    ) -> int:
        return await _enqueue_missing(self.queries, entrypoint, ids)


def job_queue(settings: Settings, background: Background) -> JobQueue:
    if normalize_url(settings.database_url).get_backend_name() == "postgresql":
        return PostgresJobQueue()
    return MemoryJobQueue(background)
