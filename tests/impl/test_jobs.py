"""Exports and file deletions as durable jobs on PostgreSQL (PgQueuer): the job commits with
the row, failures are retried with backoff and then recorded, a dead worker's job is picked up
again after the lease, an export that keeps killing its worker is failed past the maximum,
the sweep bounds how long an export stays unfinished, no attempt leaves a file behind, a
burst of exports never takes the connections requests need, and workers run as their own
processes."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text

from impl.app import build_app
from impl.db.engine import Database
from impl.db.migrate import upgrade_engine
from impl.db.models import Export, FileDeletion, User
from impl.jobs import JobWorker, Swept
from impl.queue import DELETE_FILE, EXPORT, PostgresJobQueue, dedupe_key, export_dedupe_key
from impl.repositories import exports
from impl.runtime import Runtime
from impl.security.passwords import Passwords
from impl.services.attachments import AttachmentService
from impl.services.exports import ExportService
from impl.services.projects import ProjectService, ProjectView
from impl.services.tasks import TaskDraft, TaskService
from impl.settings import Settings
from impl.storage import LocalStorage, StorageUnavailable, StoredBlob
from tests.impl.backends import scratch_postgres_database
from tests.impl.conftest import GatedStorage, RunningWorker, eventually, make_user
from tests.service.conftest import make_settings, register

pytestmark = pytest.mark.postgres

FAST: dict[str, Any] = {
    "job_concurrency": 2,
    "job_lease_seconds": 1.0,
    "export_max_attempts": 3,
    "export_retry_initial_seconds": 0.05,
    "export_retry_max_seconds": 0.2,
    "export_sweep_seconds": 0.5,
}


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    async with scratch_postgres_database() as url:
        yield url


@pytest.fixture
def pg_settings(pg_url: str, tmp_path: Path) -> Settings:
    return make_settings(tmp_path, database_url=pg_url, **FAST)


@pytest.fixture
async def pg(pg_settings: Settings) -> AsyncIterator[Database]:
    database = Database.from_url(pg_settings.database_url, pool_size=4, max_overflow=0)
    await upgrade_engine(database.engine)
    yield database
    await database.dispose()


@pytest.fixture
async def ada(pg: Database, passwords: Passwords) -> User:
    return await make_user(pg, passwords, "ada")


@pytest.fixture
async def project(pg: Database, ada: User) -> ProjectView:
    async with pg.transaction() as session:
        view = await ProjectService(session).create(ada.id, name="Jobs")
        await TaskService(session).create(ada.id, view.id, TaskDraft(title="one"))
        return view


class FlakyStorage(LocalStorage):
    """Local storage whose `save` writes a little, then fails, the first `failures` times."""

    def __init__(self, root: Path, failures: int) -> None:
        super().__init__(root)
        self.failures = failures
        self.saves = 0
        self.gate: asyncio.Event | None = None

    async def save(
        self,
        chunks: AsyncIterable[bytes],
        *,
        key: str | None = None,
        max_bytes: int | None = None,
    ) -> StoredBlob:
        self.saves += 1
        if self.gate is not None:
            await self.gate.wait()
        if self.saves > self.failures:
            return await super().save(chunks, key=key, max_bytes=max_bytes)

        async def breaks() -> AsyncIterator[bytes]:
            async for chunk in chunks:
                yield chunk
                break
            raise StorageUnavailable("storage error: simulated outage")

        return await super().save(breaks(), key=key, max_bytes=max_bytes)


def files_in(storage: LocalStorage) -> list[Path]:
    return [p for p in storage.root.rglob("*") if p.is_file()] if storage.root.exists() else []


async def create_export(
    pg: Database, storage: LocalStorage, user: User, project_id: uuid.UUID
) -> uuid.UUID:
    async with pg.transaction() as session:
        export = await ExportService(session, storage=storage, jobs=PostgresJobQueue()).create(
            user.id, project_id
        )
        return export.id


async def export_row(pg: Database, export_id: uuid.UUID) -> Export | None:
    async with pg.session() as session:
        return await session.get(Export, export_id)


async def finished(pg: Database, export_id: uuid.UUID, seconds: float = 20) -> Export:
    async def check() -> Export | None:
        row = await export_row(pg, export_id)
        return row if row is not None and row.status in ("done", "failed") else None

    return await eventually(check, seconds)  # type: ignore[no-any-return]


@contextlib.asynccontextmanager
async def worker_process(
    settings: Settings, *, code: str | None = None
) -> AsyncIterator[subprocess.Popen[bytes]]:
    """`python -m impl.worker` (or `python -c code`) with these settings; SIGTERM when the
    block ends."""
    env = {
        **os.environ,
        "ENVIRONMENT": "test",
        "JWT_SECRET": settings.jwt_secret_value,
        "DATABASE_URL": settings.database_url,
        "STORAGE_DIR": str(settings.storage_dir),
        "JOB_CONCURRENCY": str(settings.job_concurrency),
        "JOB_LEASE_SECONDS": "2",
        "EXPORT_MAX_ATTEMPTS": str(settings.export_max_attempts),
        "EXPORT_RETRY_INITIAL_SECONDS": str(settings.export_retry_initial_seconds),
        "EXPORT_RETRY_MAX_SECONDS": str(settings.export_retry_max_seconds),
    }
    log_path = settings.storage_dir.parent / f"worker-{uuid.uuid4().hex[:8]}.log"
    command = ["-m", "impl.worker"] if code is None else ["-c", code]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, *command],
            env=env,
            cwd=Path(__file__).resolve().parents[2],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    process.log_path = log_path  # type: ignore[attr-defined]
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.to_thread(process.wait, timeout=30)
        finally:
            if process.returncode is None:
                process.kill()
                process.wait()


def worker(settings: Settings, storage: LocalStorage) -> RunningWorker:
    return RunningWorker(JobWorker(settings, storage, PostgresJobQueue()))


async def jobs_of(pg: Database, export_id: uuid.UUID) -> list[tuple[str, str]]:
    return await jobs_with(pg, export_dedupe_key(export_id))


async def jobs_with(pg: Database, key: str) -> list[tuple[str, str]]:
    async with pg.session() as session:
        rows = await session.execute(
            text("SELECT entrypoint, status::text FROM pgqueuer WHERE dedupe_key = :key"),
            {"key": key},
        )
        return [(row[0], row[1]) for row in rows]


async def recorded_deletions(pg: Database) -> list[FileDeletion]:
    async with pg.session() as session:
        return list((await session.scalars(select(FileDeletion))).all())


async def test_the_job_commits_with_the_export_row_or_not_at_all(
    pg: Database, ada: User, project: ProjectView, tmp_path: Path
) -> None:
    storage = LocalStorage(tmp_path / "files")
    rolled_back: uuid.UUID | None = None
    with pytest.raises(RuntimeError):
        async with pg.transaction() as session:
            export = await ExportService(session, storage=storage, jobs=PostgresJobQueue()).create(
                ada.id, project.id
            )
            rolled_back = export.id
            raise RuntimeError("the request failed after the insert")
    assert rolled_back is not None
    assert await export_row(pg, rolled_back) is None and await jobs_of(pg, rolled_back) == []
    committed = await create_export(pg, storage, ada, project.id)
    assert await jobs_of(pg, committed) == [(EXPORT, "queued")]


async def test_transient_failures_are_retried_with_backoff_then_done(
    pg: Database, pg_settings: Settings, ada: User, project: ProjectView, tmp_path: Path
) -> None:
    storage = FlakyStorage(tmp_path / "files", failures=2)
    export_id = await create_export(pg, storage, ada, project.id)
    async with worker(pg_settings, storage):
        row = await finished(pg, export_id)
    assert row.status == "done" and row.row_count == 1, row.error
    assert storage.saves == 3
    assert [p.relative_to(storage.root).as_posix() for p in files_in(storage)] == [row.storage_key]
    assert await jobs_of(pg, export_id) == []  # the job is done with


async def test_an_export_that_keeps_failing_is_failed_with_a_reason_and_no_file(
    pg: Database, pg_settings: Settings, ada: User, project: ProjectView, tmp_path: Path
) -> None:
    storage = FlakyStorage(tmp_path / "files", failures=99)
    export_id = await create_export(pg, storage, ada, project.id)
    async with worker(pg_settings, storage):
        row = await finished(pg, export_id)
    assert row.status == "failed" and row.storage_key is None
    assert row.error == "failed after 3 attempt(s): file storage unavailable"
    assert storage.saves == 3 and files_in(storage) == []


async def test_a_job_whose_worker_died_is_picked_up_after_the_lease(
    pg: Database, pg_settings: Settings, ada: User, project: ProjectView, tmp_path: Path
) -> None:
    storage = FlakyStorage(tmp_path / "files", failures=0)
    export_id = await create_export(pg, storage, ada, project.id)
    # A worker took the job, started the export, wrote part of a file, and was killed.
    leftover = await storage.save_bytes(b"id,title\r\n")
    async with pg.transaction() as session:
        await session.execute(
            text(
                "UPDATE pgqueuer SET status = 'picked', queue_manager_id = gen_random_uuid(), "
                "heartbeat = now() - interval '1 hour' WHERE dedupe_key = :key"
            ),
            {"key": export_dedupe_key(export_id)},
        )
        row = await session.get(Export, export_id)
        assert row is not None
        row.status, row.storage_key = "running", leftover.key
    async with worker(pg_settings, storage):
        row = await finished(pg, export_id)
    assert row.status == "done" and row.storage_key != leftover.key
    assert [p.relative_to(storage.root).as_posix() for p in files_in(storage)] == [row.storage_key]


# A worker whose every export kills it at once (e.g. a file that makes it run out of memory).
KILLED_BY_EVERY_EXPORT = """
import os, signal
from impl.storage import LocalStorage

async def dies(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

LocalStorage.save = dies
from impl.worker import main
main()
"""


async def test_an_export_that_keeps_killing_its_worker_is_failed_past_the_maximum(
    pg: Database, pg_settings: Settings, ada: User, project: ProjectView
) -> None:
    """A killed worker sends no failure, so PgQueuer's attempt count stays where it was and
    the lease hands the job to the next worker, which it kills too: only the 900 s deadline
    ended that. Attempts are now counted in the row as they start."""
    settings = pg_settings.model_copy(update={"export_max_attempts": 2})
    storage = LocalStorage(settings.storage_dir)
    export_id = await create_export(pg, storage, ada, project.id)
    deaths = 0
    for _ in range(settings.export_max_attempts + 2):  # one round more than needed
        async with worker_process(settings, code=KILLED_BY_EVERY_EXPORT) as process:

            async def died_or_finished(process: subprocess.Popen[bytes] = process) -> bool:
                row = await export_row(pg, export_id)
                assert row is not None
                return process.poll() is not None or row.status in ("done", "failed")

            await eventually(died_or_finished, seconds=120)
            deaths += process.poll() == -signal.SIGKILL
        row = await export_row(pg, export_id)
        assert row is not None
        if row.status in ("done", "failed"):
            break
    assert deaths == 2
    assert row.status == "failed" and row.attempts == 3 and row.storage_key is None
    assert row.error == (
        "failed after 2 attempt(s): the last one never finished (its worker stopped during it)"
    )
    assert await jobs_of(pg, export_id) == []
    assert not files_in(storage)


async def test_file_deletions_commit_with_the_rows_and_need_no_task_of_the_process(
    pg: Database, pg_settings: Settings, ada: User, project: ProjectView
) -> None:
    """Deleting an attachment deletes its file after the commit. That was an asyncio task
    of the request's process: a crash right after the commit left the file forever. Now the
    deletion is recorded, and its job enqueued, in the transaction: rolled back, nothing is
    recorded; committed, any worker deletes the file later, whatever became of the process."""
    storage = LocalStorage(pg_settings.storage_dir)

    def attachments(session: Any) -> AttachmentService:
        return AttachmentService(
            session,
            storage=storage,
            jobs=PostgresJobQueue(),
            max_bytes=100,
            allowed_media_types=(),
        )

    async def one_chunk() -> AsyncIterator[bytes]:
        yield b"hello"

    async with pg.transaction() as session:
        task = await TaskService(session).create(ada.id, project.id, TaskDraft(title="t"))
        attachment = await attachments(session).upload(
            ada.id, task.id, filename="a.txt", content_type="text/plain", chunks=one_chunk()
        )
    with pytest.raises(RuntimeError):
        async with pg.transaction() as session:
            await attachments(session).delete(ada.id, attachment.id)
            raise RuntimeError("the request failed after the delete")
    assert await recorded_deletions(pg) == [] and await storage.exists(attachment.storage_key)

    async with pg.transaction() as session:
        await attachments(session).delete(ada.id, attachment.id)
    # The process "died" here: nothing of it runs any more.
    [deletion] = await recorded_deletions(pg)
    assert deletion.storage_key == attachment.storage_key
    assert await jobs_with(pg, dedupe_key(DELETE_FILE, deletion.id)) == [(DELETE_FILE, "queued")]
    assert await storage.exists(attachment.storage_key)

    async with worker(pg_settings, storage):  # any worker, on any host, later

        async def done() -> bool:
            return not files_in(storage) and not await recorded_deletions(pg)

        await eventually(done)


async def test_the_sweep_requeues_orphans_and_fails_overdue_exports(
    pg: Database, pg_settings: Settings, ada: User, project: ProjectView, tmp_path: Path
) -> None:
    storage = FlakyStorage(tmp_path / "files", failures=0)
    orphan = await create_export(pg, storage, ada, project.id)
    overdue = await create_export(pg, storage, ada, project.id)
    async with pg.transaction() as session:
        await session.execute(text("DELETE FROM pgqueuer"))  # e.g. a last failure not recorded
        await session.execute(
            text("UPDATE exports SET created_at = now() - interval '1 minute' WHERE id = :id"),
            {"id": orphan},
        )
        await session.execute(
            text("UPDATE exports SET created_at = now() - interval '2 hours' WHERE id = :id"),
            {"id": overdue},
        )
    job_worker = JobWorker(pg_settings, storage, PostgresJobQueue())
    try:
        assert await job_worker.sweep() == Swept(failed=1, exports=1, deletions=0)
        assert await jobs_of(pg, orphan) == [(EXPORT, "queued")]
        assert await job_worker.sweep() == (0, 0, 0)  # idempotent: the job exists now
    finally:
        await job_worker.aclose()
    failed = await export_row(pg, overdue)
    assert failed is not None and failed.status == "failed"
    assert failed.error == "did not finish within 900 s; start a new export"
    async with worker(pg_settings, storage):
        assert (await finished(pg, orphan)).status == "done"


async def test_a_project_deleted_meanwhile_leaves_no_file(
    pg: Database, pg_settings: Settings, ada: User, project: ProjectView, tmp_path: Path
) -> None:
    storage = FlakyStorage(tmp_path / "files", failures=0)
    storage.gate = asyncio.Event()
    export_id = await create_export(pg, storage, ada, project.id)
    async with worker(pg_settings, storage):
        await eventually(lambda: _true(storage.saves == 1))  # the export is being written
        async with pg.transaction() as session:
            await ProjectService(session, jobs=PostgresJobQueue()).delete(
                ada.id, project.id, if_match=project.etag
            )
        storage.gate.set()
        await eventually(lambda: _true(not files_in(storage) and storage.saves == 1))
        await asyncio.sleep(0.3)
    assert await export_row(pg, export_id) is None and files_in(storage) == []


async def _true(value: bool) -> bool:
    return value


async def statuses(database: Database) -> dict[str, int]:
    async with database.session() as session:
        return await exports.count_by_status(session)


async def test_a_burst_of_64_exports_never_starves_requests(
    pg_settings: Settings, passwords: Passwords, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worst case: the job worker runs inside the API process. The API's pool has 2
    connections; the worker has its own (2 for jobs, 1 for the sweep). 64 exports are
    requested at once, and the running ones hold their job connections for as long as the
    test likes (their storage waits on a gate). Meanwhile requests keep answering: their pool
    is untouched. Nothing here depends on speed: were the exports on the API's pool (as they
    were: asyncio tasks on the request engine), the two held connections would leave none for
    requests, and every request would answer 503 after the pool timeout, however fast the
    machine. (It used to fail on a loaded machine for another reason: 64 requests at once on
    a 5-connection pool with a 5 s checkout timeout, which is request against request.)"""
    settings = pg_settings.model_copy(
        update={
            "jobs_in_process": True,
            "job_concurrency": 2,
            "job_lease_seconds": 30.0,
            "database_pool_size": 2,
            "database_max_overflow": 0,
            "database_pool_timeout_seconds": 10.0,
            "export_sweep_seconds": 3600.0,  # the sweep runs at start, and below
        }
    )
    storage = GatedStorage(settings.storage_dir)
    monkeypatch.setattr("impl.runtime.storage_from_settings", lambda _settings: storage)
    app = build_app(settings, passwords=passwords)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        runtime: Runtime = app.state.runtime
        assert runtime.worker is not None and runtime.worker.database is not runtime.database
        ada = await register(client, "ada")
        project = await ada.project()
        async with runtime.database.transaction() as session:
            await session.execute(
                text(
                    "INSERT INTO tasks (id, project_id, title, status, priority, created_by, "
                    "created_at, updated_at, version) SELECT gen_random_uuid(), :project, "
                    "'task ' || n, 'todo', 'medium', :user, now(), now(), 1 "
                    "FROM generate_series(1, 1000) AS n"
                ),
                {"project": uuid.UUID(project["id"]), "user": uuid.UUID(ada.id)},
            )
        api = runtime.database.engine.pool
        jobs = runtime.worker.database.engine.pool
        slots = asyncio.Semaphore(settings.database_pool_size)  # requests never queue for
        # their own pool here: only the exports could take it from them

        async def request(method: str, url: str) -> int:
            async with slots:
                return (await ada.request(method, url)).status_code

        exports_url = f"/v1/projects/{project['id']}/exports"
        burst = await asyncio.gather(*[request("POST", exports_url) for _ in range(64)])
        assert burst == [202] * 64
        # Two exports run (the worker's concurrency), each holding a job connection (the
        # sweep's connection may be out too, for the sweep at start).
        await eventually(lambda: _true(storage.waiting == settings.job_concurrency))
        held = jobs.checkedout()  # type: ignore[attr-defined]
        assert settings.job_concurrency <= held <= settings.job_concurrency + 1
        assert await statuses(runtime.database) == {"running": 2, "pending": 62}

        urls = [f"/v1/projects/{project['id']}", f"/v1/projects/{project['id']}/tasks?limit=50"]
        answers = await asyncio.gather(
            *[request("GET", urls[n % 2]) for n in range(40)],
            *[request("POST", exports_url) for _ in range(4)],
            request("GET", "/v1/health/ready"),
        )
        assert answers == [200] * 40 + [202] * 4 + [200]
        assert api.checkedout() == 0  # type: ignore[attr-defined]
        assert await runtime.worker.sweep() == (0, 0, 0)  # the sweep has its connection too
        assert storage.waiting == 2 and await statuses(runtime.database) == {
            "running": 2,
            "pending": 66,
        }

        storage.gate.set()

        async def all_done() -> bool:
            return await statuses(runtime.database) == {"done": 68}

        await eventually(all_done, seconds=600)
        async with runtime.database.session() as session:
            counts = set((await session.scalars(select(Export.row_count))).all())
        assert counts == {1000}


async def test_the_worker_runs_as_its_own_process(
    pg_settings: Settings, passwords: Passwords, tmp_path: Path
) -> None:
    """`python -m impl.worker` takes the jobs that an API process (running none itself)
    enqueued, and stops cleanly on SIGTERM."""
    app = build_app(pg_settings, passwords=passwords)
    assert not pg_settings.runs_jobs_in_process
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        ada = await register(client, "ada")
        project = await ada.project()
        started = await ada.post(f"/v1/projects/{project['id']}/exports")
        export_id = uuid.UUID(started.json()["id"])
        await asyncio.sleep(0.5)
        assert (await export_row(app.state.runtime.database, export_id)).status == "pending"  # type: ignore[union-attr]
        async with worker_process(pg_settings) as process:
            row = await finished(app.state.runtime.database, export_id)
            assert row.status == "done", row.error
            download = await ada.get(f"/v1/exports/{export_id}/content")
            assert download.status_code == 200 and download.text.startswith("id,title")
        output = process.log_path.read_text()  # type: ignore[attr-defined]
        assert process.returncode == 0, output
        assert "job worker stopped" in output
