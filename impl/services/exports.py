"""CSV exports of a project's tasks, run as durable jobs.

`ExportService.create` inserts a pending export and enqueues its job through the `JobQueue`
(`impl.queue`): on PostgreSQL in the same transaction, so the row and its job commit together
or not at all. A job worker (`python -m impl.worker`, or in-process) runs `ExportJob`, which
streams the CSV to storage and marks the row done; a failed attempt is retried with backoff
and the last one marks the row failed with a reason. The row's status is the truth: any
worker answers status and download requests, and a soak counts done / failed / unfinished.

Files: an attempt records the key it writes to in the row before it writes, so whatever an
attempt wrote is known to the next one (which deletes it), to the last one (which deletes it
with the failure), and to a project's deletion (which deletes it with the project). Each of
those deletions is recorded in the transaction that lets go of the file and carried out by a
job (`JobQueue.delete_files`), so a worker that dies after the commit leaves no orphan.

Attempts are counted in the row as they start (`exports.attempts`): one whose worker died
counts too, so an export that keeps killing its worker ends `failed` past the maximum.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from impl.db.engine import Database
from impl.db.models import Export, Task
from impl.errors import Conflict, FieldError, NotFound, UnprocessableContent
from impl.outages import unavailable_dependency
from impl.repositories import exports, memberships, tasks
from impl.services.access import require_member
from impl.storage import BlobMissing, Chunks, Storage, StorageUnavailable

if TYPE_CHECKING:
    from impl.queue import JobQueue

log = logging.getLogger(__name__)

CSV_COLUMNS = (
    "id",
    "title",
    "status",
    "priority",
    "assignee_id",
    "due_date",
    "created_at",
    "updated_at",
)
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = value.isoformat().replace("+00:00", "Z") if isinstance(value, datetime) else str(value)
    # Spreadsheets execute cells starting with these characters (CSV injection, OWASP).
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def task_row(task: Task) -> list[str]:
    return [_cell(getattr(task, column)) for column in CSV_COLUMNS]


@dataclass(frozen=True, slots=True)
class ExportContent:
    export: Export
    chunks: Chunks
    """The CSV, streamed in bounded chunks (already opened: errors surfaced before)."""

    @property
    def filename(self) -> str:
        return f"tasks-{self.export.project_id}-{self.export.created_at:%Y%m%d-%H%M%S}.csv"


_CSV_CHUNK_BYTES = 64 * 1024


def failure_reason(exc: BaseException) -> str:
    """What went wrong, for the row and the client: a category, never a value or a secret."""
    if isinstance(exc, StorageUnavailable):
        return "file storage unavailable"
    if isinstance(exc, TimeoutError):
        return "timed out"
    if unavailable_dependency(exc) is not None:
        return "database unavailable"
    return "internal error"


@dataclass(frozen=True, slots=True)
class ExportPolicy:
    max_attempts: int = 5
    """Attempts in all; the last failure marks the export failed."""
    attempt_timeout: float = 120.0
    deadline: float = 900.0
    """An export still unfinished this long after its request is marked failed (sweep)."""


class ExportJob:
    """One attempt at one export, run by a job worker with its own database engine. A file
    that no row points at any more (an earlier attempt's, a failed export's) is deleted
    through `jobs.delete_files`, recorded in the transaction that lets go of it."""

    def __init__(
        self, database: Database, storage: Storage, policy: ExportPolicy, jobs: JobQueue
    ) -> None:
        self.database = database
        self.storage = storage
        self.policy = policy
        self.jobs = jobs

    async def run(self, export_id: uuid.UUID) -> None:
        """Run the export's next attempt. Raises on a failure that should be retried; on the
        last attempt records the failure in the row instead.

        Attempts are counted in the row as each one starts: an attempt whose worker died (it
        crashed, was killed, ran out of memory) counts too, so an export that keeps killing
        its worker is failed once the count passes the maximum, with a reason."""
        started = await self._start(export_id)
        if started is None:
            return
        try:
            async with asyncio.timeout(self.policy.attempt_timeout):
                await self._write(export_id, started)
        except Exception as exc:
            reason = failure_reason(exc)
            attempt = started.attempt
            if reason == "internal error":
                log.error("export %s attempt %d failed", export_id, attempt, exc_info=exc)
            else:
                log.warning(
                    "export %s attempt %d failed: %s", export_id, attempt, reason,
                    extra={"export_id": str(export_id), "attempt": attempt},
                )  # fmt: skip
            if attempt < self.policy.max_attempts:
                raise
            await self.fail(export_id, f"failed after {attempt} attempt(s): {reason}")

    async def _start(self, export_id: uuid.UUID) -> _Started | None:
        """Count the attempt and record the key it will write to, before anything is written;
        whatever an earlier attempt wrote is deleted. None: nothing (more) to do."""
        key = self.storage.new_key()
        started: _Started | None = None
        async with self.database.transaction() as session:
            export = await exports.get_for_update(session, export_id)
            if export is None or export.status not in exports.UNFINISHED:
                return None  # the project was deleted, or another attempt already finished it
            leftover = export.storage_key  # written by an attempt that died or failed
            export.attempts += 1
            if export.attempts > self.policy.max_attempts:  # the last one never came back
                _mark_failed(
                    export,
                    f"failed after {export.attempts - 1} attempt(s): the last one never "
                    "finished (its worker stopped during it)",
                )
            else:
                export.status = "running"
                export.started_at = export.started_at or datetime.now(UTC)
                export.storage_key = key  # recorded before anything is written under it
                started = _Started(export.attempts, key, export.project_id)
            if leftover:
                await self.jobs.delete_files(session, [leftover])
        if started is None:
            log.warning(
                "export %s failed: its last attempt never finished", export_id,
                extra={"export_id": str(export_id)},
            )  # fmt: skip
        return started

    async def _write(self, export_id: uuid.UUID, started: _Started) -> None:
        key = started.key
        counter = _RowCounter()
        await self.storage.save(self._csv(started.project_id, counter), key=key)
        async with self.database.transaction() as session:
            export = await exports.get_for_update(session, export_id)
            if export is None or export.status != "running" or export.storage_key != key:
                # Deleted with its project, failed by the sweep, or taken over by another
                # attempt after a lost lease: this file belongs to nobody.
                await self.jobs.delete_files(session, [key])
                return
            export.status = "done"
            export.row_count = counter.rows
            export.error = None
            export.finished_at = datetime.now(UTC)

    async def _csv(self, project_id: uuid.UUID, counter: _RowCounter) -> AsyncIterator[bytes]:
        """The CSV in chunks of about 64 KiB, rows read from the database in batches."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180
        writer.writerow(CSV_COLUMNS)
        async with self.database.session() as session:
            async for task in tasks.stream_project(session, project_id):
                writer.writerow(task_row(task))
                counter.rows += 1
                if buffer.tell() >= _CSV_CHUNK_BYTES:
                    yield buffer.getvalue().encode("utf-8")
                    buffer.seek(0)
                    buffer.truncate()
        yield buffer.getvalue().encode("utf-8")

    async def fail(self, export_id: uuid.UUID, reason: str) -> None:
        """Mark the export failed (unless it finished meanwhile) and delete its file."""
        async with self.database.transaction() as session:
            export = await exports.get_for_update(session, export_id)
            if export is None or export.status not in exports.UNFINISHED:
                return
            key = export.storage_key
            _mark_failed(export, reason)
            if key:
                await self.jobs.delete_files(session, [key])

    async def fail_overdue(self, now: datetime | None = None) -> int:
        """Mark exports older than the deadline that are still unfinished as failed."""
        now = now or datetime.now(UTC)
        async with self.database.transaction() as session:
            keys = await exports.fail_overdue(
                session,
                created_before=now - timedelta(seconds=self.policy.deadline),
                now=now,
                reason=f"did not finish within {self.policy.deadline:g} s; start a new export",
            )
            await self.jobs.delete_files(session, [key for key in keys if key])
        if keys:
            log.warning("marked %d overdue export(s) as failed", len(keys))
        return len(keys)


def _mark_failed(export: Export, reason: str) -> None:
    export.status = "failed"
    export.error = reason
    export.storage_key = None
    export.finished_at = datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class _Started:
    attempt: int
    """1-based, from the row's count."""
    key: str
    project_id: uuid.UUID


class _RowCounter:
    __slots__ = ("rows",)

    def __init__(self) -> None:
        self.rows = 0


class ExportService:
    def __init__(
        self, session: AsyncSession, *, storage: Storage, jobs: JobQueue | None = None
    ) -> None:
        self.session = session
        self.storage = storage
        self.jobs = jobs

    async def create(
        self, user_id: uuid.UUID, project_id: uuid.UUID, *, format: str = "csv"
    ) -> Export:
        await require_member(self.session, project_id, user_id)
        if format != "csv":
            raise UnprocessableContent(
                "Unsupported export format.", errors=[FieldError("/format", "Only csv.")]
            )
        export = await exports.add(
            self.session, project_id=project_id, requested_by=user_id, format=format
        )
        if self.jobs is not None:  # in this transaction (PostgreSQL) or once it commits
            await self.jobs.enqueue_export(self.session, export.id)
        return export

    async def get(self, user_id: uuid.UUID, export_id: uuid.UUID) -> Export:
        export = await exports.get(self.session, export_id)
        if (
            export is None
            or await memberships.get(self.session, export.project_id, user_id) is None
        ):
            raise NotFound(f"Export {export_id} does not exist.")
        return export

    async def content(self, user_id: uuid.UUID, export_id: uuid.UUID) -> ExportContent:
        export = await self.get(user_id, export_id)
        if export.status != "done" or export.storage_key is None:
            raise Conflict(f"The export is {export.status}, not done.", code="export_not_ready")
        try:
            chunks = await self.storage.open(export.storage_key)
        except BlobMissing as exc:  # deleted with its project since the row was read
            raise NotFound(f"Export {export_id} does not exist.") from exc
        return ExportContent(export, chunks)
