"""Background exports of a project's tasks as CSV.

`ExportService.create` inserts a pending export and, once the transaction commits, hands its
id to the `ExportRunner`, which runs it as a tracked asyncio task in this process (drained on
graceful shutdown). The row's status is the source of truth, so any worker can answer status
and download requests.
"""

from __future__ import annotations

import csv
import io
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from impl.background import Background, after_commit
from impl.db.engine import Database
from impl.db.models import Export, Task
from impl.errors import Conflict, FieldError, NotFound, UnprocessableContent
from impl.repositories import exports, memberships, tasks
from impl.services.access import require_member
from impl.storage import LocalStorage

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
    path: Path

    @property
    def filename(self) -> str:
        return f"tasks-{self.export.project_id}-{self.export.created_at:%Y%m%d-%H%M%S}.csv"


class ExportRunner:
    """Runs exports in the background, each in its own transactions."""

    def __init__(self, database: Database, storage: LocalStorage, background: Background) -> None:
        self.database = database
        self.storage = storage
        self.background = background

    def submit(self, export_id: uuid.UUID) -> None:
        self.background.spawn(self.run(export_id), name=f"export-{export_id}")

    async def run(self, export_id: uuid.UUID) -> None:
        async with self.database.transaction() as session:
            if not await exports.claim(session, export_id, datetime.now(UTC)):
                return
        try:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180
            writer.writerow(CSV_COLUMNS)
            rows = 0
            async with self.database.session() as session:
                export = await exports.get(session, export_id)
                assert export is not None
                async for task in tasks.stream_project(session, export.project_id):
                    writer.writerow(task_row(task))
                    rows += 1
            blob = await self.storage.save_bytes(buffer.getvalue().encode("utf-8"))
        except Exception as exc:
            log.exception("export %s failed", export_id)
            await self._finish(
                export_id, status="failed", error=f"{type(exc).__name__}: export failed"
            )
            return
        await self._finish(export_id, status="done", row_count=rows, storage_key=blob.key)

    async def _finish(
        self,
        export_id: uuid.UUID,
        *,
        status: str,
        row_count: int | None = None,
        storage_key: str | None = None,
        error: str | None = None,
    ) -> None:
        async with self.database.transaction() as session:
            export = await exports.get(session, export_id)
            if export is None:  # the project was deleted meanwhile
                if storage_key:
                    await self.storage.delete(storage_key)
                return
            export.status = status
            export.row_count = row_count
            export.storage_key = storage_key
            export.error = error
            export.finished_at = datetime.now(UTC)


class ExportService:
    def __init__(
        self, session: AsyncSession, *, storage: LocalStorage, runner: ExportRunner | None = None
    ) -> None:
        self.session = session
        self.storage = storage
        self.runner = runner

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
        if self.runner is not None:
            runner, export_id = self.runner, export.id
            after_commit(self.session, lambda: runner.submit(export_id))
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
        return ExportContent(export, self.storage.path(export.storage_key))
