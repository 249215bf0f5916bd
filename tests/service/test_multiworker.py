"""The same service on PostgreSQL + Redis, served by two uvicorn worker processes.

State that must be shared lives in PostgreSQL (rows) and Redis (rate limits, idempotency
keys), so a client sees one service whichever worker answers. Skipped when PostgreSQL or
Redis is unreachable, except on CI (`CI=true`), where that fails.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.impl.backends import TEST_REDIS_URL, redis_client, scratch_postgres_database
from tests.reliability.logscan import SecretWatch
from tests.reliability.servers import Server, running, service_env
from tests.service.conftest import PASSWORD

pytestmark = pytest.mark.postgres


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Server]:
    async with redis_client(), scratch_postgres_database() as database_url:
        env = service_env({
            "DATABASE_URL": database_url,
            "REDIS_URL": TEST_REDIS_URL,
            "STORAGE_DIR": str(tmp_path / "files"),
            "RATE_LIMIT_API": "15/minute",
            "RATE_LIMIT_STRATEGY": "fixed-window",
        })  # fmt: skip
        with running(env, tmp_path / "server.log", workers=2) as started:
            yield started
        watch = SecretWatch()
        watch.learn(env["JWT_SECRET"])
        leaks = watch.leaks(started.log.read_text(errors="replace").splitlines())
        assert not leaks, "secrets in the server log:\n" + "\n".join(leaks)


def _fresh(url: str) -> httpx.AsyncClient:
    """A client without keep-alive: each request is a new connection, so the kernel spreads
    them over both workers."""
    return httpx.AsyncClient(base_url=url, limits=httpx.Limits(max_keepalive_connections=0))


async def _login(client: httpx.AsyncClient) -> dict[str, str]:
    email = f"{uuid.uuid4().hex[:10]}@example.com"
    registered = await client.post(
        "/v1/auth/register", json={"email": email, "password": PASSWORD, "display_name": "W"}
    )
    assert registered.status_code == 201, registered.text
    token = await client.post(
        "/v1/auth/token", data={"grant_type": "password", "username": email, "password": PASSWORD}
    )
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


async def test_register_to_list_across_workers(server: Server) -> None:
    async with _fresh(server.url) as client:
        auth = await _login(client)
        key = {"Idempotency-Key": uuid.uuid4().hex}
        created = [
            await client.post("/v1/projects", json={"name": "Shared"}, headers={**auth, **key})
            for _ in range(4)
        ]
        assert {r.status_code for r in created} == {201}
        assert len({r.json()["id"] for r in created}) == 1  # replayed from Redis by any worker
        project = created[0].json()
        for title in ("one", "two", "three"):
            task = await client.post(
                f"/v1/projects/{project['id']}/tasks", json={"title": title}, headers=auth
            )
            assert task.status_code == 201, task.text
        listed = await client.get(
            f"/v1/projects/{project['id']}/tasks",
            params={"sort": "title", "limit": 2},
            headers=auth,
        )
        assert [t["title"] for t in listed.json()["items"]] == ["one", "three"]
        after = await client.get(listed.headers["link"][1:].split(">")[0], headers=auth)
        assert [t["title"] for t in after.json()["items"]] == ["two"]
        ready = (await client.get("/v1/health/ready")).json()
        assert set(ready["checks"]) == {"database", "redis"}


async def test_rate_limit_is_shared_by_the_workers(server: Server, tmp_path: Path) -> None:
    # A second host of the same service (one more process, same PostgreSQL and Redis):
    # alternating requests between the two proves the budget is shared, whichever
    # process the kernel would have picked inside one `--workers` server.
    with running(server.env, tmp_path / "second.log", workers=1) as second:
        async with _fresh(server.url) as first_client, _fresh(second.url) as second_client:
            auth = await _login(first_client)
            responses = []
            for i in range(24):
                client = first_client if i % 2 == 0 else second_client
                responses.append(await client.get("/v1/users/me", headers=auth))
    codes = [r.status_code for r in responses]
    assert codes == [200] * 15 + [429] * 9, codes
    assert all(
        r.headers["ratelimit-remaining"] == "0" and "retry-after" in r.headers
        for r in responses[15:]
    )
    served_by_second = [r for r in responses[1::2] if r.status_code == 200]
    assert served_by_second, "the second host answered nothing: the test proved nothing"


async def test_workers_shut_down_gracefully(server: Server) -> None:
    server.process.terminate()
    assert server.process.wait(timeout=30) == 0
    messages = [line.get("message") for line in server.lines()]
    assert messages.count("stopped") == 2, messages[-10:]
