"""Durable background jobs (exports) on PgQueuer.

Why PgQueuer (>= 1.6): the queue lives in the PostgreSQL this service already runs, and it is
asyncpg-native like our driver, so a job is inserted on the request's own connection, in the
request's transaction: the export row and its job commit together or not at all (no outbox,
no job lost between a commit and a hand-off). Its workers heartbeat the jobs they hold; a
job whose worker died is picked up again once its heartbeat is older than the lease
(`JOB_LEASE_SECONDS`). `DatabaseRetryEntrypointExecutor` re-queues a failed job in the
database with exponential backoff. Per-entrypoint concurrency limits are enforced by the
dequeue query across all workers, and each worker caps the jobs it holds. Dedupe keys make
re-enqueueing idempotent. Its in-memory adapter (`InMemoryQueries`) runs the same
`QueueManager` and the same job code inside the API process on SQLite (`make run`). These
claims were checked against the 1.6 source before building on them. procrastinate (psycopg 3,
a second driver and its own migrations), SAQ and arq (Redis: a second store whose enqueue
cannot share the database transaction) were the alternatives.

Two kinds of jobs: exports (`EXPORT`, the payload is the export's id) and file deletions
(`DELETE_FILE`, the payload is the id of a `file_deletions` row). A stored file that no row
points at any more (an attachment, task or project deleted; an export failed or retried) is
recorded in `file_deletions` in the transaction that lets go of it, and deleted by a job:
never by a task that only this process knows about, which a crash would lose.

Two sides:

- `JobQueue` (`impl.queue`), used by request handlers and jobs: `enqueue_export(session, id)` and
  `delete_files(session, keys)`. On PostgreSQL the job is inserted in the session's
  transaction. On SQLite the queue is in memory and the job is handed over once the
  transaction commits; the rows are the outbox: the worker re-enqueues every unfinished
  export and every recorded deletion when it starts, and its sweep re-enqueues any whose
  job is gone (on PostgreSQL too: a job that ran out of retries during a long outage).
- `JobWorker`, which runs jobs: its own small database engine (`JOB_CONCURRENCY`
  connections for the jobs, one for the sweep, plus the queue's own), so a burst of exports
  never takes the connections that requests need. `python -m impl.worker` runs one as its
  own process (any number, on any hosts); on SQLite the API process runs one in-process; on
  PostgreSQL the API processes run one only with `JOBS_IN_PROCESS=true`.

The bounds: an export is done or failed within `EXPORT_DEADLINE_SECONDS` (+ one sweep
interval) of its request, as long as one worker runs; and after at most `EXPORT_MAX_ATTEMPTS`
attempts, counted in the row as each starts, so attempts that kill their worker count too.
Each worker sweeps every `EXPORT_SWEEP_SECONDS`: it marks exports older than the deadline
failed ("did not finish within ..."), and re-enqueues unfinished exports and recorded file
deletions whose job no longer exists (e.g. the job's last failure could not be recorded
because the database was down).

PgQueuer logs through the standard `pgqueuer` logger. While the database is away its
heartbeat and status flushes fail (it keeps the items and retries them) and it logs each
failure with a traceback; `OutageTracebacks` turns those records into one line each (the
outage itself is logged once by `OutageLog`). Any other error keeps its traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from pgqueuer import (
    AsyncpgDriver,
    DatabaseRetryEntrypointExecutor,
    Job,
    Queries,
    QueueManager,
)
from pgqueuer.executors import EntrypointExecutorParameters

from impl.db.engine import Database, normalize_url
from impl.outages import DATABASE, OutageLog, describe, unavailable_dependency
from impl.queue import DELETE_FILE, EXPORT, JobQueue, MemoryJobQueue
from impl.repositories import exports, file_deletions
from impl.services.exports import ExportJob, ExportPolicy
from impl.storage import Storage

if TYPE_CHECKING:
    from impl.settings import Settings

log = logging.getLogger(__name__)


def export_policy(settings: Settings) -> ExportPolicy:
    return ExportPolicy(
        max_attempts=settings.export_max_attempts,
        attempt_timeout=settings.export_attempt_timeout_seconds,
        deadline=settings.export_deadline_seconds,
    )


class Swept(NamedTuple):
    failed: int
    """Exports failed past the deadline."""
    exports: int
    """Unfinished exports whose job was gone, re-enqueued."""
    deletions: int
    """Recorded file deletions whose job was gone, re-enqueued."""


class JobWorker:
    """Runs jobs until `stop()`: PgQueuer's `QueueManager` on a connection of its own,
    reconnecting with backoff when the database goes away, and the sweep beside it."""

    def __init__(self, settings: Settings, storage: Storage, queue: JobQueue) -> None:
        self.settings = settings
        self.queue = queue
        self.storage = storage
        OutageTracebacks.install()
        self.database = Database.from_url(
            settings.database_url,
            # One connection per job it runs at once (each holds at most one at a time), and
            # one for the sweep, so neither waits for the other.
            pool_size=settings.job_concurrency + 1,
            max_overflow=0,
            connect_timeout=settings.database_connect_timeout_seconds,
            statement_timeout=settings.database_statement_timeout_seconds,
            pool_timeout=settings.database_pool_timeout_seconds,
        )
        self.exports = ExportJob(self.database, storage, export_policy(settings), queue)
        self.outages = OutageLog()
        self._stopping = asyncio.Event()
        self._manager: QueueManager | None = None

    # -- running ----------------------------------------------------------------------------

    async def run(self) -> None:
        """Process jobs and sweep until `stop()`; then let running jobs finish."""
        sweeper = asyncio.create_task(self._sweep_forever(), name="export-sweep")
        try:
            await self._process_forever()
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper

    def stop(self) -> None:
        self._stopping.set()
        if self._manager is not None:
            self._manager.shutdown.set()

    async def stopped(self) -> None:
        """Return once `stop()` was called."""
        await self._stopping.wait()

    async def aclose(self) -> None:
        await self.database.dispose()

    async def _process_forever(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                async with self._queries() as queries:
                    manager = self._manager = self._queue_manager(queries)
                    if self._stopping.is_set():
                        return
                    failures = 0
                    self.outages.recovered(DATABASE)
                    await manager.run(
                        dequeue_timeout=timedelta(seconds=5),
                        batch_size=max(1, self.settings.job_concurrency // 2),
                        max_concurrent_tasks=self.settings.job_concurrency,
                        heartbeat_timeout=timedelta(seconds=self.settings.job_lease_seconds),
                        shutdown_on_listener_failure=True,
                    )
            except Exception as exc:  # the queue's connection failed: reconnect
                self.outages.failed(DATABASE, exc)
                failures += 1
            finally:
                self._manager = None
            if not self._stopping.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._stopping.wait(), timeout=min(0.5 * 2**failures, 10.0)
                    )

    @contextlib.asynccontextmanager
    async def _queries(self) -> AsyncIterator[Any]:
        if isinstance(self.queue, MemoryJobQueue):
            yield self.queue.queries
            return
        import asyncpg  # type: ignore[import-untyped]

        url = normalize_url(self.settings.database_url).set(drivername="postgresql")
        connection = await asyncpg.connect(
            url.render_as_string(hide_password=False),
            timeout=self.settings.database_connect_timeout_seconds,
            command_timeout=self.settings.database_statement_timeout_seconds + 1,
        )
        try:
            yield Queries(AsyncpgDriver(connection))
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(connection.close(), timeout=2)
            if not connection.is_closed():
                connection.terminate()

    def _queue_manager(self, queries: Any) -> QueueManager:
        manager = QueueManager(queries)
        settings = self.settings

        def executor(parameters: EntrypointExecutorParameters) -> DatabaseRetryEntrypointExecutor:
            return DatabaseRetryEntrypointExecutor(
                parameters,
                # PgQueuer counts retries; the last of `export_max_attempts` attempts records
                # its failure in the row itself (ExportJob.run) instead of raising.
                max_attempts=max(0, settings.export_max_attempts - 1),
                initial_delay=timedelta(seconds=settings.export_retry_initial_seconds),
                max_delay=timedelta(seconds=settings.export_retry_max_seconds),
            )

        @manager.entrypoint(
            EXPORT,
            concurrency_limit=settings.export_concurrency_limit,
            executor_factory=executor,
        )
        async def run_export(job: Job) -> None:
            await self.exports.run(uuid.UUID((job.payload or b"").decode()))

        @manager.entrypoint(DELETE_FILE, executor_factory=executor)
        async def delete_file(job: Job) -> None:
            await self.delete_file(uuid.UUID((job.payload or b"").decode()))

        return manager

    async def delete_file(self, deletion_id: uuid.UUID) -> None:
        """Delete a recorded file, then its record (a retry after a failure in between
        deletes a file that is already gone: nothing)."""
        async with self.database.session() as session:
            deletion = await file_deletions.get(session, deletion_id)
            key = deletion.storage_key if deletion is not None else None
        if key is None:
            return  # done already
        await self.storage.delete(key)
        async with self.database.transaction() as session:
            await file_deletions.remove(session, deletion_id)

    # -- the sweep ----------------------------------------------------------------------------

    async def sweep(self, *, orphans_older_than: float | None = None) -> Swept:
        """Fail overdue exports; re-enqueue unfinished exports and recorded file deletions
        older than `orphans_older_than` seconds (default: the lease) whose job is gone."""
        failed = await self.exports.fail_overdue()
        grace = (
            self.settings.job_lease_seconds if orphans_older_than is None else orphans_older_than
        )
        before = datetime.now(UTC) - timedelta(seconds=grace)
        async with self.database.transaction() as session:
            ids = await exports.unfinished_ids(session, created_before=before)
            requeued = await self.queue.requeue(session, EXPORT, ids)
            ids = await file_deletions.ids_before(session, requested_before=before)
            deletions = await self.queue.requeue(session, DELETE_FILE, ids)
        if requeued or deletions:
            log.warning(
                "re-enqueued %d export(s) and %d file deletion(s) whose job was gone",
                requeued,
                deletions,
            )
        return Swept(failed, requeued, deletions)

    async def _sweep_forever(self) -> None:
        # SQLite: one process, so every unfinished export and recorded deletion is this
        # process's outbox now.
        first_grace: float | None = 0.0 if isinstance(self.queue, MemoryJobQueue) else None
        while not self._stopping.is_set():
            try:
                await self.sweep(orphans_older_than=first_grace)
                first_grace = None
            except Exception as exc:
                if (dependency := unavailable_dependency(exc)) is None:
                    log.exception("export sweep failed")
                else:
                    self.outages.failed(dependency, exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._stopping.wait(), timeout=self.settings.export_sweep_seconds
                )


def _lost(exc: BaseException) -> bool:
    """asyncpg's "cannot perform operation: connection is closed": the queue's connection was
    lost earlier in the outage (SQLAlchemy wraps this one for requests; PgQueuer does not)."""
    from asyncpg.exceptions import InterfaceError  # type: ignore[import-untyped]

    return isinstance(exc, InterfaceError) and "connection is closed" in str(exc)


class OutageTracebacks(logging.Filter):
    """On the `pgqueuer` logger: a record whose exception says the database (or storage) is
    unavailable keeps its line, as a warning with the error's type and message, without the
    traceback; PgQueuer logs one per failed flush while the database is away. Every other
    record passes unchanged."""

    @classmethod
    def install(cls) -> None:
        logger = logging.getLogger("pgqueuer")
        if not any(isinstance(existing, cls) for existing in logger.filters):
            logger.addFilter(cls())

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and (unavailable_dependency(exc) is not None or _lost(exc)):
            record.msg = f"{record.getMessage()}: {describe(exc)}"
            record.args = None
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
