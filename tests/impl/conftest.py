"""Fixtures for the service layer: a migrated SQLite database per test, fast password
hashing, and a few ready-made users and projects."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from impl.background import Background
from impl.db.engine import Database
from impl.db.migrate import upgrade_engine
from impl.db.models import User
from impl.jobs import JobWorker
from impl.queue import JobQueue, MemoryJobQueue
from impl.security.passwords import Passwords
from impl.security.tokens import AccessTokens
from impl.services.auth import AuthService
from impl.services.projects import ProjectService, ProjectView
from impl.settings import Settings
from impl.storage import LocalStorage, StoredBlob
from tests.impl.s3 import moto_endpoint, s3_url  # noqa: F401 (fixtures for the S3 backend)

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def passwords() -> Passwords:
    return Passwords.fast_for_tests()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        environment="test",
        jwt_secret="test-secret-" + "x" * 40,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'test.db'}",
        storage_dir=tmp_path / "files",
    )


@pytest.fixture
def jobs(background: Background) -> JobQueue:
    """The SQLite (in-memory) job queue; jobs run only inside `RunningWorker`."""
    return MemoryJobQueue(background)


class RunningWorker:
    """A job worker in this process for the block: `async with RunningWorker(...) as w`."""

    def __init__(self, worker: JobWorker) -> None:
        self.worker = worker
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> JobWorker:
        self.task = asyncio.create_task(self.worker.run())
        return self.worker

    async def __aexit__(self, *_: object) -> None:
        self.worker.stop()
        assert self.task is not None
        await asyncio.wait_for(self.task, timeout=15)
        await self.worker.aclose()


class GatedStorage(LocalStorage):
    """Local storage whose `save` takes the first chunk of what it writes (an export then
    holds its database connection, streaming the project's rows), then waits for `gate`."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.gate = asyncio.Event()
        self.waiting = 0

    async def save(
        self,
        chunks: AsyncIterable[bytes],
        *,
        key: str | None = None,
        max_bytes: int | None = None,
    ) -> StoredBlob:
        iterator = aiter(chunks)
        first = await anext(iterator)
        self.waiting += 1
        try:
            await self.gate.wait()
        finally:
            self.waiting -= 1

        async def whole() -> AsyncIterator[bytes]:
            yield first
            async for chunk in iterator:
                yield chunk

        return await super().save(whole(), key=key, max_bytes=max_bytes)


async def eventually(check: Callable[[], Awaitable[Any]], seconds: float = 30) -> Any:
    """Poll `check` until it returns something true. `seconds` only guards against a hang;
    it is no assertion about speed."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        value = await check()
        if value:
            return value
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting"
        await asyncio.sleep(0.05)


@pytest.fixture
def access_tokens(settings: Settings) -> AccessTokens:
    return AccessTokens(settings)


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    database = Database.from_url(settings.database_url)
    await upgrade_engine(database.engine)
    yield database
    await database.dispose()


@pytest.fixture
def storage(settings: Settings) -> LocalStorage:
    return LocalStorage(settings.storage_dir)


@pytest.fixture
async def background() -> AsyncIterator[Background]:
    tasks = Background()
    yield tasks
    await tasks.drain(timeout=5)


def auth_service(session: object, passwords: Passwords, access_tokens: AccessTokens) -> AuthService:
    return AuthService(
        session,  # type: ignore[arg-type]
        passwords=passwords,
        access_tokens=access_tokens,
        refresh_ttl=timedelta(days=14),
    )


async def make_user(
    db: Database, passwords: Passwords, name: str = "ada", *, is_admin: bool = False
) -> User:
    async with db.transaction() as session:
        user = await AuthService(
            session,
            passwords=passwords,
            access_tokens=None,  # type: ignore[arg-type]
            refresh_ttl=timedelta(days=1),
        ).register(email=f"{name}@example.com", password=PASSWORD, display_name=name.title())
        user.is_admin = is_admin
        return user


@pytest.fixture
async def ada(db: Database, passwords: Passwords) -> User:
    return await make_user(db, passwords, "ada")


@pytest.fixture
async def grace(db: Database, passwords: Passwords) -> User:
    return await make_user(db, passwords, "grace")


@pytest.fixture
async def project(db: Database, ada: User) -> ProjectView:
    async with db.transaction() as session:
        return await ProjectService(session).create(ada.id, name="Website relaunch")


def new_id() -> uuid.UUID:
    return uuid.uuid4()
