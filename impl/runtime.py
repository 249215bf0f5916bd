"""The process-wide collaborators of the HTTP layer, built at start-up and closed at shutdown.

One `Runtime` per app: the database, the rate limiter, the idempotency store (over the
database), file storage, background tasks and the export runner. Handlers reach it through `impl.http.deps`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from impl.background import Background
from impl.db.engine import Database
from impl.db.migrate import upgrade_engine
from impl.idempotency import IdempotencyStore
from impl.outages import DATABASE, OutageLog
from impl.ratelimit import RateLimiter
from impl.repositories import exports
from impl.security.passwords import Passwords
from impl.security.tokens import AccessTokens
from impl.services.auth import AuthService
from impl.services.exports import ExportRunner
from impl.settings import Settings
from impl.storage import LocalStorage

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Runtime:
    settings: Settings
    database: Database
    limiter: RateLimiter
    idempotency: IdempotencyStore
    storage: LocalStorage
    background: Background
    passwords: Passwords
    access_tokens: AccessTokens
    exports: ExportRunner
    outages: OutageLog

    @classmethod
    async def start(cls, settings: Settings, *, passwords: Passwords | None = None) -> Runtime:
        """Connect everything; migrate (development) and sweep interrupted exports."""
        database = Database.from_url(
            settings.database_url,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
            echo=settings.database_echo,
            connect_timeout=settings.database_connect_timeout_seconds,
            statement_timeout=settings.database_statement_timeout_seconds,
            pool_timeout=settings.database_pool_timeout_seconds,
        )
        if settings.should_migrate_on_startup:
            await upgrade_engine(database.engine)
            log.info("database migrated", extra={"backend": database.backend})
        outages = OutageLog()
        event.listen(database.engine.sync_engine, "connect", lambda *_: outages.recovered(DATABASE))
        limiter = RateLimiter.from_settings(
            settings.redis_url,
            settings.rate_limit_strategy,
            timeout=settings.redis_timeout_seconds,
            fail_open=settings.rate_limit_fail_open,
            outages=outages,
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
        storage = LocalStorage(settings.storage_dir)
        background = Background()
        runtime = cls(
            settings=settings,
            database=database,
            limiter=limiter,
            idempotency=idempotency,
            storage=storage,
            background=background,
            passwords=passwords or Passwords(),
            access_tokens=AccessTokens(settings),
            exports=ExportRunner(database, storage, background),
            outages=outages,
        )
        await runtime.sweep_interrupted_exports()
        return runtime

    async def sweep_interrupted_exports(self) -> int:
        now = datetime.now(UTC)
        # One SQLite process: nothing else can be running an export right now.
        grace = (
            0
            if self.database.backend == "sqlite"
            else self.settings.export_interrupted_after_seconds
        )
        async with self.database.transaction() as session:
            count = await exports.fail_interrupted(
                session, started_before=now - timedelta(seconds=grace), now=now
            )
        if count:
            log.warning("marked %d interrupted export(s) as failed", count)
        return count

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
        await self.background.drain(timeout=self.settings.shutdown_grace_seconds)
        await self.limiter.aclose()
        await self.database.dispose()
