"""Idempotency keys survive failures (issue 20, item 2).

Before, the record lived in Redis (or one process's memory) and the reservation lasted the
whole TTL: Redis dropping after the database commit, or `kill -9` of the worker mid-request,
left the key answering 409 "still being processed" for 24 hours. Now the record is a row in the
service's database: the reservation is a lease of a few seconds, and the response commits in
the same transaction as the row it created. Checked here on SQLite and on PostgreSQL:

- a request that died mid-way (its reservation's lease passed, no response, nothing written)
  does not wedge its key: the retry creates the resource, exactly once;
- a failure while storing the response rolls the created row back with it: the retry creates
  it once (at once if the key could be given back, after the lease if not);
- the same key from two app instances (two workers) at once creates one resource;
- a replay has the first answer's status, headers and body;
- and for real: a uvicorn worker killed with SIGKILL while its create is blocked leaves a
  key that the next server takes over once the lease has passed, creating once.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.exc import OperationalError

from impl.app import build_app
from impl.db.base import utcnow
from impl.idempotency import Reservation, fingerprint, scope_key
from impl.repositories import idempotency_keys
from impl.runtime import Runtime
from impl.security.passwords import Passwords
from impl.services.projects import ProjectService
from impl.settings import ConfigurationError, Settings
from tests.impl.backends import TEST_REDIS_URL, redis_client, scratch_postgres_database
from tests.reliability.servers import running, service_env
from tests.service.conftest import User, assert_declared, assert_problem, make_settings, register

# Headers that differ between any two responses, replayed or not.
VOLATILE = {"date", "x-request-id", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"}


def later(runtime: Runtime, delta: timedelta) -> None:
    """Move the idempotency store's clock forward (a lease or TTL passing)."""
    runtime.idempotency.clock = lambda: utcnow() + delta


async def projects_named(user: User, name: str) -> list[dict[str, Any]]:
    listed = await user.get("/v1/projects", params={"limit": 100})
    assert listed.status_code == 200, listed.text
    return [p for p in listed.json()["items"] if p["name"] == name]


async def test_a_replay_is_the_first_answer(ada: User) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await ada.post("/v1/projects", json={"name": "Once"}, headers=key)
    again = await ada.post("/v1/projects", json={"name": "Once"}, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers.pop("idempotent-replayed") == "true"
    same = {k: v for k, v in first.headers.items() if k not in VOLATILE}
    assert {k: v for k, v in again.headers.items() if k not in VOLATILE} == same


async def test_a_request_that_died_mid_way_holds_its_key_only_for_the_lease(
    runtime: Runtime, ada: User
) -> None:
    """As `kill -9` leaves it: a committed reservation, no response, no project."""
    key, body = "died-mid-way", {"name": "Survivor"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    async with runtime.database.transaction() as session:
        dead = await runtime.idempotency.reserve(
            session,
            scope_key(ada.id, "createProject", key),
            fingerprint("POST", "/v1/projects", canonical),
        )
    assert isinstance(dead, Reservation)
    headers = {"Idempotency-Key": key}
    in_use = await ada.post("/v1/projects", json=body, headers=headers)
    assert_problem(in_use, 409, "idempotency_key_in_use")  # the lease is live: it may still run
    later(runtime, runtime.idempotency.lease + timedelta(seconds=1))
    retried = await ada.post("/v1/projects", json=body, headers=headers)
    assert retried.status_code == 201, retried.text
    replayed = await ada.post("/v1/projects", json=body, headers=headers)
    assert replayed.status_code == 201 and replayed.json() == retried.json()
    assert [p["id"] for p in await projects_named(ada, "Survivor")] == [retried.json()["id"]]


def _connection_lost(*_args: object, **_kwargs: object) -> Any:
    raise OperationalError("UPDATE idempotency_keys", None, ConnectionResetError("reset"))


@pytest.mark.parametrize("key_given_back", [True, False])
async def test_a_failure_storing_the_response_takes_the_write_with_it(
    runtime: Runtime, ada: User, monkeypatch: pytest.MonkeyPatch, key_given_back: bool
) -> None:
    """The old failure: Redis dropped between the database commit and storing the response;
    the task existed, and its key answered 409 for a day. Now the response and the row are one
    commit: if one fails, neither exists, and the retry creates the project once."""
    project = await ada.project("Parent")
    url, body = f"/v1/projects/{project['id']}/tasks", {"title": "Exactly once"}
    headers = {"Idempotency-Key": f"store-fails-{key_given_back}"}
    with monkeypatch.context() as patched:
        patched.setattr(idempotency_keys, "store_response", _connection_lost)
        if not key_given_back:  # the database is gone for the clean-up too
            patched.setattr(idempotency_keys, "delete_reservation", _connection_lost)
        failed = await ada.post(url, json=body, headers=headers)
    assert_problem(failed, 503, "unavailable")
    assert_declared(failed, "createTask")
    assert (await ada.get(url)).json()["items"] == []  # rolled back with the response
    if not key_given_back:
        assert_problem(await ada.post(url, json=body, headers=headers), 409)
        later(runtime, runtime.idempotency.lease + timedelta(seconds=1))
    retried = await ada.post(url, json=body, headers=headers)
    assert retried.status_code == 201, retried.text
    again = await ada.post(url, json=body, headers=headers)
    assert again.status_code == 201 and again.json()["id"] == retried.json()["id"]
    assert [t["id"] for t in (await ada.get(url)).json()["items"]] == [retried.json()["id"]]


@pytest.fixture
async def two_workers(
    settings: Settings, passwords: Passwords
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """Two instances of the service on one database, as two workers (or hosts) are."""
    async with AsyncExitStack() as stack:
        clients = []
        for _ in range(2):
            app: FastAPI = build_app(settings, passwords=passwords)
            await stack.enter_async_context(app.router.lifespan_context(app))
            transport = httpx.ASGITransport(app=app)
            clients.append(
                await stack.enter_async_context(
                    httpx.AsyncClient(transport=transport, base_url="http://testserver")
                )
            )
        yield clients[0], clients[1]


async def test_the_same_key_from_two_workers_at_once_creates_once(
    two_workers: tuple[httpx.AsyncClient, httpx.AsyncClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two_workers
    ada = await register(first, "ada")
    create = ProjectService.create

    async def slow_create(self: ProjectService, *args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(0.05)  # widen the window in which both run
        return await create(self, *args, **kwargs)

    monkeypatch.setattr(ProjectService, "create", slow_create)
    for attempt in range(5):
        headers = {**ada.auth, "Idempotency-Key": f"both-workers-{attempt}"}
        body = {"name": f"Shared {attempt}"}
        answers = await asyncio.gather(
            *[
                client.post("/v1/projects", json=body, headers=headers)
                for client in (first, second, first, second)
            ]
        )
        created = [r for r in answers if r.status_code == 201]
        assert created, [r.text for r in answers]
        assert len({r.json()["id"] for r in created}) == 1
        for response in answers:
            if response.status_code != 201:
                assert_problem(response, 409, "idempotency_key_in_use")
        assert len(await projects_named(ada, body["name"])) == 1


def test_the_lease_must_be_shorter_than_the_ttl(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="IDEMPOTENCY_LEASE_SECONDS"):
        make_settings(tmp_path, idempotency_lease_seconds=3600, idempotency_ttl_seconds=60)


async def _until_not_in_use(request: Any) -> httpx.Response:
    """Retry while the key is in use (a 409 until the dead worker's lease passes); bounded."""
    for _ in range(60):
        response: httpx.Response = await request()
        if response.status_code != 409:
            return response
        assert_problem(response, 409, "idempotency_key_in_use")
        await asyncio.sleep(0.25)
    raise AssertionError("the key stayed in use")


@pytest.mark.postgres
async def test_a_worker_killed_mid_request_holds_its_key_only_for_the_lease(
    tmp_path: Path,
) -> None:
    import asyncpg  # type: ignore[import-untyped]

    async with redis_client(), scratch_postgres_database() as database_url:
        env = service_env({
            "DATABASE_URL": database_url, "REDIS_URL": TEST_REDIS_URL,
            "STORAGE_DIR": str(tmp_path / "files"), "IDEMPOTENCY_LEASE_SECONDS": "2",
        })  # fmt: skip
        dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
        body = {"name": "Killed"}
        with running(env, tmp_path / "first.log", workers=1) as first:
            async with httpx.AsyncClient(base_url=first.url) as client:
                auth = (await register(client, "ada")).auth
                headers = {**auth, "Idempotency-Key": "killed-mid-request"}
                blocker = await asyncpg.connect(dsn)
                try:
                    # The create waits on this lock, after its reservation has committed.
                    hold = blocker.transaction()
                    await hold.start()
                    await blocker.execute("LOCK TABLE projects IN ACCESS EXCLUSIVE MODE")
                    pending = asyncio.create_task(
                        client.post("/v1/projects", json=body, headers=headers)
                    )
                    for _ in range(100):
                        if await blocker.fetchval("SELECT count(*) FROM idempotency_keys"):
                            break
                        await asyncio.sleep(0.05)
                    else:
                        raise AssertionError("the request never reserved its key")
                    first.process.kill()  # SIGKILL: no clean-up of any kind
                    first.process.wait()
                    with pytest.raises(httpx.TransportError):
                        await pending
                    await hold.rollback()
                finally:
                    await blocker.close()
        with running(env, tmp_path / "second.log", workers=1) as second:
            async with httpx.AsyncClient(base_url=second.url) as client:
                created = await _until_not_in_use(
                    lambda: client.post("/v1/projects", json=body, headers=headers)
                )
                assert created.status_code == 201, created.text
                again = await client.post("/v1/projects", json=body, headers=headers)
                assert again.status_code == 201 and again.json()["id"] == created.json()["id"]
                listed = await client.get("/v1/projects", headers=auth)
                assert [p["id"] for p in listed.json()["items"]] == [created.json()["id"]]
