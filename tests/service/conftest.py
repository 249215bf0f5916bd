"""The reference service over HTTP: httpx against the ASGI app, lifespan included, on a
fresh database per test: SQLite, and PostgreSQL + Redis."""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from impl.app import build_app
from impl.runtime import Runtime
from impl.security.passwords import Passwords
from impl.settings import Settings
from tests.impl.backends import TEST_REDIS_URL, redis_client, scratch_postgres_database
from tests.impl.s3 import moto_endpoint, s3_url  # noqa: F401 (fixtures for the S3 backend)
from tests.reliability.logscan import SecretWatch, collecting_logs

PASSWORD = "correct horse battery staple"
ORIGIN = "https://app.example.com"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="session")
def passwords() -> Passwords:
    return Passwords.fast_for_tests()


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "jwt_secret": "service-test-secret-" + "x" * 40,
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'service.db'}",
        "storage_dir": tmp_path / "files",
        "migrate_on_startup": True,
        "rate_limit_api": "10000/minute",
        "rate_limit_login": "10000/minute",
        "cors_origins": [ORIGIN],
        "log_json": True,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def settings(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Settings]:
    """Every service test runs twice: on the embedded SQLite file, and scaled out on
    PostgreSQL + Redis (shared rate limits and idempotency keys), as several workers would."""
    if request.param == "sqlite":
        yield make_settings(tmp_path)
        return
    async with redis_client(), scratch_postgres_database() as database_url:
        yield make_settings(
            tmp_path,
            database_url=database_url,
            redis_url=TEST_REDIS_URL,
            jobs_in_process=True,  # the job worker's code, in the app's process for the test
        )


@pytest.fixture
def app(settings: Settings, passwords: Passwords) -> FastAPI:
    return build_app(settings, passwords=passwords)


@pytest.fixture(autouse=True)
def secret_watch() -> Iterator[SecretWatch]:
    """Every service test runs under it: no log line, at the level production logs, may hold
    a password, a password hash, a token or an API key."""
    watch = SecretWatch()
    with collecting_logs() as handler:
        yield watch
    leaks = watch.leaks(handler.lines)
    assert not leaks, "secrets in the log:\n" + "\n".join(leaks)


@pytest.fixture
async def client(app: FastAPI, secret_watch: SecretWatch) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://testserver",
            event_hooks={
                "request": [secret_watch.on_request],
                "response": [secret_watch.on_response],
            },
        ) as http,
    ):
        yield http


@pytest.fixture
def runtime(app: FastAPI, client: httpx.AsyncClient) -> Runtime:
    value = app.state.runtime
    assert isinstance(value, Runtime)
    return value


class User:
    """A registered user with a bearer token, for driving the API."""

    def __init__(self, client: httpx.AsyncClient, email: str, body: dict[str, Any]) -> None:
        self.client = client
        self.email = email
        self.id = body["id"]
        self.access_token = ""
        self.refresh_token = ""

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}

    async def login(self, scope: str | None = None) -> httpx.Response:
        data = {"grant_type": "password", "username": self.email, "password": PASSWORD}
        if scope:
            data["scope"] = scope
        response = await self.client.post("/v1/auth/token", data=data)
        assert response.status_code == 200, response.text
        self.access_token = response.json()["access_token"]
        self.refresh_token = response.json()["refresh_token"]
        return response

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.auth, **kwargs.pop("headers", {})}
        return await self.client.request(method, url, headers=headers, **kwargs)

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", url, **kwargs)

    async def patch(self, url: str, body: Any, **kwargs: Any) -> httpx.Response:
        headers = {"Content-Type": "application/merge-patch+json", **kwargs.pop("headers", {})}
        return await self.request("PATCH", url, content=_json(body), headers=headers, **kwargs)

    async def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("DELETE", url, **kwargs)

    async def project(self, name: str = "Website relaunch") -> dict[str, Any]:
        response = await self.post("/v1/projects", json={"name": name})
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    async def task(self, project_id: str, **fields: Any) -> dict[str, Any]:
        response = await self.post(
            f"/v1/projects/{project_id}/tasks", json={"title": "A task", **fields}
        )
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]


def _json(body: Any) -> bytes:
    import json

    return json.dumps(body).encode()


async def register(client: httpx.AsyncClient, name: str | None = None) -> User:
    email = f"{name or uuid.uuid4().hex[:10]}@example.com"
    response = await client.post(
        "/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": (name or "someone").title()},
    )
    assert response.status_code == 201, response.text
    user = User(client, email, response.json())
    await user.login()
    return user


@pytest.fixture
def new_user(client: httpx.AsyncClient) -> Callable[..., Any]:
    async def make(name: str | None = None) -> User:
        return await register(client, name)

    return make


@pytest.fixture
async def ada(client: httpx.AsyncClient) -> User:
    return await register(client, "ada")


@pytest.fixture
async def grace(client: httpx.AsyncClient) -> User:
    return await register(client, "grace")


async def make_admin(runtime: Runtime, user: User) -> None:
    from impl.db.models import User as UserRow

    async with runtime.database.transaction() as session:
        row = await session.get(UserRow, uuid.UUID(user.id))
        assert row is not None
        row.is_admin = True
    await user.login()


@functools.cache
def declared_statuses(operation_id: str) -> frozenset[str]:
    """The response statuses the contract (the spec bundled in `generated/`) declares."""
    spec = json.loads(files("generated").joinpath("openapi.json").read_bytes())
    for item in spec["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                return frozenset(operation["responses"])
    raise KeyError(operation_id)


def assert_declared(response: httpx.Response, operation_id: str) -> None:
    """The answer's status is one the operation declares (or its `NXX` range, or `default`)."""
    declared = declared_statuses(operation_id)
    status = str(response.status_code)
    assert {status, f"{status[0]}XX", "default"} & declared, (
        f"{operation_id} answered {status}, which it does not declare ({', '.join(sorted(declared))})"
    )


def assert_problem(
    response: httpx.Response, status: int, code: str | None = None
) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["type"]
    if code is not None:
        assert body.get("code") == code, body
    return body
