"""A dependency that stops answering costs a bounded wait and a 503, never a hang or a 500.

PostgreSQL and Redis are reached through `FaultProxy`, which can black-hole them (a frozen
server or a dead route: connections stay open, nothing comes back) or refuse them (a crashed
server). Meanwhile every request answers 503 problem+json with `Retry-After` within the
configured timeouts, readiness says 503, the log holds one line when the outage starts and one
when it ends (no traceback per request), and once the dependency is back the service recovers
by itself, without a restart.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from impl.app import build_app
from impl.runtime import Runtime
from impl.security.passwords import Passwords
from impl.settings import Settings
from tests.impl.backends import TEST_REDIS_URL, redis_client, scratch_postgres_database
from tests.impl.conftest import GatedStorage, eventually
from tests.reliability.logscan import CollectingHandler, collecting_logs
from tests.reliability.proxy import FaultProxy
from tests.service.conftest import (
    PASSWORD,
    assert_declared,
    assert_problem,
    make_settings,
    register,
)

pytestmark = pytest.mark.postgres

# Far below the >3 minutes a request hung before; far above the timeouts configured here.
BOUND = 15.0
FAST = {
    "database_connect_timeout_seconds": 1.0,
    "database_statement_timeout_seconds": 1.0,
    "database_pool_timeout_seconds": 1.0,
    "redis_timeout_seconds": 0.5,
    "retry_after_seconds": 3,
}


@pytest.fixture
def log_lines() -> Iterator[CollectingHandler]:
    with collecting_logs() as handler:
        yield handler


@asynccontextmanager
async def serve(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, FastAPI]]:
    app = build_app(settings, passwords=Passwords.fast_for_tests())
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        yield client, app


async def login(client: httpx.AsyncClient) -> dict[str, str]:
    return (await register(client, "ada")).auth


async def timed(request: Any) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = await request
    return response, time.monotonic() - started


def assert_unavailable(response: httpx.Response, operation: str) -> None:
    assert_problem(response, 503, "unavailable")
    assert response.headers["retry-after"] == "3"
    assert_declared(response, operation)


def incident_lines(handler: CollectingHandler, dependency: str) -> tuple[list[str], list[str]]:
    entries = [json.loads(line) for line in handler.lines]
    ours = [e for e in entries if e.get("dependency") == dependency]
    starts = [e["message"] for e in ours if e.get("incident") == "start"]
    ends = [e["message"] for e in ours if e.get("incident") == "end"]
    return starts, ends


async def eventually_ok(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> None:
    deadline = time.monotonic() + BOUND
    while True:
        response = await client.get(url, headers=headers)
        if response.status_code == 200:
            return
        assert response.status_code == 503, response.text
        assert time.monotonic() < deadline, "the service did not recover by itself"
        await asyncio.sleep(0.2)


# -- PostgreSQL ---------------------------------------------------------------------------


@pytest.fixture
async def proxied_postgres(tmp_path: Path) -> AsyncIterator[tuple[Settings, FaultProxy]]:
    async with redis_client(), scratch_postgres_database() as url:
        parsed = make_url(url)
        with FaultProxy(parsed.host or "127.0.0.1", parsed.port or 5432) as proxy:
            proxied = parsed.set(host="127.0.0.1", port=proxy.port)
            settings = make_settings(
                tmp_path,
                database_url=proxied.render_as_string(hide_password=False),
                redis_url=TEST_REDIS_URL,
                database_pool_size=4,
                database_max_overflow=0,
                **FAST,
            )
            yield settings, proxy


async def test_a_black_holed_database_answers_503_in_bounded_time_then_recovers(
    proxied_postgres: tuple[Settings, FaultProxy], log_lines: CollectingHandler
) -> None:
    settings, proxy = proxied_postgres
    async with serve(settings) as (client, _):
        auth = await login(client)
        assert (await client.get("/v1/users/me", headers=auth)).status_code == 200
        proxy.blackhole()
        results = await asyncio.gather(
            *[timed(client.get("/v1/users/me", headers=auth)) for _ in range(6)],
            *[timed(client.post("/v1/projects", json={"name": "p"}, headers=auth)) for _ in range(6)],
        )  # fmt: skip
        for (response, elapsed), operation in zip(
            results, ["getCurrentUser"] * 6 + ["createProject"] * 6, strict=True
        ):
            assert_unavailable(response, operation)
            assert elapsed < BOUND, elapsed
        ready = await client.get("/v1/health/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"]["database"]["status"] == "unavailable"
        proxy.restore()
        await eventually_ok(client, "/v1/users/me", auth)
        created = await client.post("/v1/projects", json={"name": "after"}, headers=auth)
        assert created.status_code == 201, created.text
        assert (await client.get("/v1/health/ready")).status_code == 200
    starts, ends = incident_lines(log_lines, "database")
    assert len(starts) == 1 and len(ends) == 1, (starts, ends)
    assert not [line for line in log_lines.lines if "Traceback" in line]


async def test_a_refused_database_answers_503_then_recovers(
    proxied_postgres: tuple[Settings, FaultProxy],
) -> None:
    settings, proxy = proxied_postgres
    async with serve(settings) as (client, _):
        auth = await login(client)
        proxy.refuse()
        for _ in range(3):
            response, elapsed = await timed(client.get("/v1/users/me", headers=auth))
            assert_unavailable(response, "getCurrentUser")
            assert elapsed < BOUND
        proxy.restore()
        await eventually_ok(client, "/v1/users/me", auth)


async def test_a_statement_cancelled_by_the_statement_timeout_answers_503(
    proxied_postgres: tuple[Settings, FaultProxy], log_lines: CollectingHandler
) -> None:
    """A database that stalls a statement past `DATABASE_STATEMENT_TIMEOUT_SECONDS` (here a
    lock another client holds; under load, a slow disk) cancels it (SQLSTATE 57014). That
    answered 500 "unexpected error", with a traceback; it is the database not answering in
    time: 503 with Retry-After, like any other stall."""
    settings, _ = proxied_postgres
    async with serve(settings) as (client, _):
        auth = await login(client)
        url = make_url(settings.database_url).set(drivername="postgresql")
        locker = await asyncpg.connect(url.render_as_string(hide_password=False))
        try:
            async with locker.transaction():
                await locker.execute("LOCK TABLE projects IN ACCESS EXCLUSIVE MODE")
                stalled = await client.post("/v1/projects", json={"name": "p"}, headers=auth)
        finally:
            await locker.close()
        assert_unavailable(stalled, "createProject")
        created = await client.post("/v1/projects", json={"name": "after"}, headers=auth)
        assert created.status_code == 201, created.text
    assert not [line for line in log_lines.lines if "Traceback" in line]


# -- Redis ----------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the block ends: nothing listens


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    async with redis_client(), scratch_postgres_database() as url:
        yield url


async def _user_without_redis(app: FastAPI) -> dict[str, str]:
    """A user and a token made through the service layer: registration itself is rate-limited
    and so needs Redis."""
    runtime: Runtime = app.state.runtime
    async with runtime.database.transaction() as session:
        auth = runtime.auth_service(session)
        await auth.register(email="ada@example.com", password=PASSWORD, display_name="Ada")
        pair = await auth.token(
            grant_type="password", username="ada@example.com", password=PASSWORD
        )
    return {"Authorization": f"Bearer {pair.access_token}"}


@pytest.mark.parametrize("fail_open", [False, True])
async def test_redis_on_a_closed_port(
    tmp_path: Path, postgres_url: str, log_lines: CollectingHandler, fail_open: bool
) -> None:
    settings = make_settings(
        tmp_path,
        database_url=postgres_url,
        redis_url=f"redis://127.0.0.1:{_closed_port()}/0",
        rate_limit_fail_open=fail_open,
        **FAST,
    )
    async with serve(settings) as (client, app):
        auth = await _user_without_redis(app)
        me = [await client.get("/v1/users/me", headers=auth) for _ in range(5)]
        keyed, replayed = [
            await client.post(
                "/v1/projects", json={"name": "p"}, headers={**auth, "Idempotency-Key": "k1"}
            )
            for _ in range(2)
        ]
        ready = await client.get("/v1/health/ready")
    if fail_open:
        assert [r.status_code for r in me] == [200] * 5
        # Idempotency keys live in the database: Redis being down changes nothing for them.
        assert keyed.status_code == 201, keyed.text
        assert replayed.status_code == 201 and replayed.json()["id"] == keyed.json()["id"]
        assert replayed.headers["idempotent-replayed"] == "true"
    else:
        for response in me:
            assert_unavailable(response, "getCurrentUser")
        assert_unavailable(keyed, "createProject")  # rate-limited: 503 while Redis is down
    assert ready.status_code == 503
    assert ready.json()["checks"]["redis"]["status"] == "unavailable"
    messages = [json.loads(line)["message"] for line in log_lines.lines]
    assert any("Redis (REDIS_URL) is unreachable at start-up" in m for m in messages), messages
    starts, _ = incident_lines(log_lines, "redis")
    assert len(starts) == 1, starts
    assert not [line for line in log_lines.lines if "Traceback" in line]


async def test_a_black_holed_redis_answers_503_in_bounded_time_then_recovers(
    tmp_path: Path, postgres_url: str, log_lines: CollectingHandler
) -> None:
    redis = make_url(TEST_REDIS_URL)
    with FaultProxy(redis.host or "127.0.0.1", redis.port or 6379) as proxy:
        settings = make_settings(
            tmp_path,
            database_url=postgres_url,
            redis_url=f"redis://127.0.0.1:{proxy.port}/{redis.database or 0}",
            **FAST,
        )
        async with serve(settings) as (client, _):
            auth = await login(client)
            assert (await client.get("/v1/users/me", headers=auth)).status_code == 200
            proxy.blackhole()
            results = await asyncio.gather(
                *[timed(client.get("/v1/users/me", headers=auth)) for _ in range(8)]
            )
            for response, elapsed in results:
                assert_unavailable(response, "getCurrentUser")
                assert elapsed < BOUND, elapsed
            assert (await client.get("/v1/health/ready")).status_code == 503
            proxy.restore()
            await eventually_ok(client, "/v1/users/me", auth)
    starts, ends = incident_lines(log_lines, "redis")
    assert len(starts) == 1 and len(ends) == 1, (starts, ends)
    assert not [line for line in log_lines.lines if "Traceback" in line]


# -- Start-up --------------------------------------------------------------------------------


async def test_a_worker_started_during_a_database_outage_waits_instead_of_exiting(
    proxied_postgres: tuple[Settings, FaultProxy], log_lines: CollectingHandler
) -> None:
    """A replacement worker that starts while the database is unreachable (with the
    development migration on) used to fail its start-up, and uvicorn then stopped every
    worker. Now it stays up: liveness 200, readiness and requests 503, and it becomes ready
    by itself once the database answers."""
    settings, proxy = proxied_postgres
    settings = settings.model_copy(
        update={"migrate_on_startup": True, "startup_retry_max_seconds": 0.5}
    )
    proxy.refuse()
    async with serve(settings) as (client, _):
        assert (await client.get("/v1/health/live")).status_code == 200
        ready = await client.get("/v1/health/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"]["startup"]["status"] == "unavailable"
        body = {"email": "a@example.com", "password": PASSWORD, "display_name": "A"}
        assert_unavailable(await client.post("/v1/auth/register", json=body), "register")
        proxy.restore()
        deadline = time.monotonic() + BOUND
        while (await client.get("/v1/health/ready")).status_code != 200:
            assert time.monotonic() < deadline, "start-up did not finish by itself"
            await asyncio.sleep(0.2)
        auth = await login(client)  # migrated meanwhile: registration and login work
        created = await client.post("/v1/projects", json={"name": "after"}, headers=auth)
        assert created.status_code == 201, created.text
    starts, ends = incident_lines(log_lines, "database")
    assert len(starts) == 1 and len(ends) == 1, (starts, ends)
    assert not [line for line in log_lines.lines if "Traceback" in line]


# -- Jobs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["blackhole", "refuse"])
async def test_a_database_outage_mid_export_is_survived_without_tracebacks(
    proxied_postgres: tuple[Settings, FaultProxy],
    log_lines: CollectingHandler,
    monkeypatch: pytest.MonkeyPatch,
    fault: str,
) -> None:
    """The job worker holds a running export when the database goes away. PgQueuer's
    heartbeat flushes fail meanwhile (it keeps the heartbeats and retries them) and it logged
    each failure with a traceback. Now: one line each, no traceback; and once the database is
    back the export completes by itself."""
    settings, proxy = proxied_postgres
    settings = settings.model_copy(
        update={
            "jobs_in_process": True,
            "job_lease_seconds": 2.0,  # heartbeats every second, flushed every quarter second
            "export_retry_initial_seconds": 0.2,
            "export_retry_max_seconds": 1.0,
        }
    )
    storage = GatedStorage(settings.storage_dir)
    monkeypatch.setattr("impl.runtime.storage_from_settings", lambda _settings: storage)
    async with serve(settings) as (client, _):
        auth = await login(client)
        project = (await client.post("/v1/projects", json={"name": "p"}, headers=auth)).json()
        await client.post(f"/v1/projects/{project['id']}/tasks", json={"title": "t"}, headers=auth)
        started = await client.post(f"/v1/projects/{project['id']}/exports", headers=auth)
        assert started.status_code == 202, started.text
        await eventually(lambda: _true(storage.waiting == 1))  # the export is running
        getattr(proxy, fault)()

        def flush_failures() -> list[dict[str, Any]]:
            entries = [json.loads(line) for line in log_lines.lines]
            return [e for e in entries if e["logger"] == "pgqueuer" and "lush" in e["message"]]

        await eventually(lambda: _true(len(flush_failures()) >= 2))
        proxy.restore()
        storage.gate.set()

        async def export_done() -> bool:
            status = await client.get(f"/v1/exports/{started.json()['id']}", headers=auth)
            return status.status_code == 200 and status.json()["status"] == "done"

        await eventually(export_done, seconds=60)
    assert {e["level"] for e in flush_failures()} == {"WARNING"}
    tracebacks = [line for line in log_lines.lines if "Traceback" in line]
    assert not tracebacks, tracebacks[0]


async def _true(value: bool) -> bool:
    return value
