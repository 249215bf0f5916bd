"""The process-wide collaborators of the HTTP layer, built at start-up and closed at shutdown.

One `Runtime` per app: the database, the rate limiter, the idempotency store (over the
database), file storage, background tasks, the job queue (and, on SQLite or with
`JOBS_IN_PROCESS`, a job worker). Handlers reach it through `impl.http.deps`.

Start-up survives a database outage: nothing here needs the database to construct, and the
one step that does (the migration, in development) is retried in the background with backoff
while the process answers liveness 200, readiness 503 and every other request 503. Migrations
belong to the deploy (`make migrate`, once, before the new version starts); the process
never exits because the database is away, so uvicorn never stops its other workers for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from impl.background import Background
from impl.db.engine import Database
from impl.db.migrate import upgrade_engine
from impl.idempotency import IdempotencyStore
from impl.jobs import JobWorker
from impl.outages import DATABASE, OutageLog, unavailable_dependency
from impl.queue import JobQueue, job_queue
from impl.ratelimit import RateLimiter
from impl.security.passwords import Passwords
from impl.security.tokens import AccessTokens
from impl.services.auth import AuthService
from impl.settings import Settings
from impl.storage import Storage, storage_from_settings

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Runtime:
    settings: Settings
    database: Database
    limiter: RateLimiter
    idempotency: IdempotencyStore
    storage: Storage
    background: Background
    passwords: Passwords
    access_tokens: AccessTokens
    jobs: JobQueue
    outages: OutageLog
    worker: JobWorker | None = None
    ready: bool = False
    """Start-up finished (the migration, when configured): requests may use the database."""
    _startup: asyncio.Task[None] | None = field(default=None, repr=False)
    _worker_task: asyncio.Task[None] | None = field(default=None, repr=False)

    @classmethod
    async def start(cls, settings: Settings, *, passwords: Passwords | None = None) -> Runtime:
        """Connect everything; migrate (development). Never fails because the database is
        unreachable: the migration is then retried in the background (see the module doc)."""
        database = Database.from_url(
            settings.database_url,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
            echo=settings.database_echo,
            connect_timeout=settings.database_connect_timeout_seconds,
            statement_timeout=settings.database_statement_timeout_seconds,
            pool_timeout=settings.database_pool_timeout_seconds,
        )
        outages = OutageLog()
        event.listen(database.engine.sync_engine, "connect", lambda *_: outages.recovered(DATABASE))
        limiter = RateLimiter.from_settings(
            settings.redis_url,
            settings.rate_limit_strategy,
            timeout=settings.redis_timeout_seconds,
            fail_open=settings.rate_limit_fail_open,
            outages=outages,
            key_prefix=settings.rate_limit_key_prefix,
        )
        idempotency = IdempotencyStore(
            ttl=timedelta(seconds=settings.idempotency_ttl_seconds),
            lease=timedelta(seconds=settings.idempotency_lease_seconds),
        )
        if settings.redis_url and not await limiter.ping():
            # Not fatal: the service starts, answers 503 where it needs Redis (readiness too)
            # and recovers by itself once Redis answers.
            log.warning(
                "Redis (REDIS_URL) is unreachable at start-up; requests that need it answer "
                "503%s until it answers",
                "" if not settings.rate_limit_fail_open else " (rate limits fail open)",
            )
        storage = storage_from_settings(settings)
        background = Background()
        jobs = job_queue(settings, background)
        runtime = cls(
            settings=settings,
            database=database,
            limiter=limiter,
            idempotency=idempotency,
            storage=storage,
            background=background,
            passwords=passwords or Passwords(),
            access_tokens=AccessTokens(settings),
            jobs=jobs,
            outages=outages,
            worker=JobWorker(settings, storage, jobs) if settings.runs_jobs_in_process else None,
        )
        if not await runtime._prepare():
            runtime._startup = asyncio.get_running_loop().create_task(
                runtime._prepare_until_ready(), name="start-up"
            )
        return runtime

    async def _prepare(self) -> bool:
        """The start-up steps that need the database; True once they are done."""
        try:
            if self.settings.should_migrate_on_startup:
                await upgrade_engine(self.database.engine)
                log.info("database migrated", extra={"backend": self.database.backend})
        except Exception as exc:  # readiness and requests answer 503 meanwhile
            if unavailable_dependency(exc) is None and not self.outages.is_down(DATABASE):
                log.exception("start-up failed (the migration?); retrying")
            self.outages.failed(DATABASE, exc)  # logged once per outage
            return False
        self.outages.recovered(DATABASE)
        self.ready = True
        if self.worker is not None:
            self._worker_task = asyncio.get_running_loop().create_task(
                self.worker.run(), name="job-worker"
            )
        return True

    async def _prepare_until_ready(self) -> None:
        failures = 0
        while True:
            failures += 1
            await asyncio.sleep(min(0.25 * 2**failures, self.settings.startup_retry_max_seconds))
            if await self._prepare():
                log.info("start-up finished after the database came back")
                return

    def auth_service(self, session: AsyncSession) -> AuthService:
        return AuthService(
            session,
            passwords=self.passwords,
            access_tokens=self.access_tokens,
            refresh_ttl=timedelta(seconds=self.settings.refresh_token_ttl_seconds),
            admin_emails=self.settings.admin_emails,
        )

    async def aclose(self) -> None:
        """Graceful shutdown: finish background work, then close connections."""
        if self._startup is not None:
            self._startup.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._startup
        if self.worker is not None:
            self.worker.stop()  # running jobs finish; queued ones wait for the next worker
            if self._worker_task is not None:
                _, pending = await asyncio.wait(
                    {self._worker_task}, timeout=self.settings.shutdown_grace_seconds
                )
                for task in pending:  # picked up again by a worker after the lease
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            await self.worker.aclose()
        await self.background.drain(timeout=self.settings.shutdown_grace_seconds)
        await self.limiter.aclose()
        await self.database.dispose()
