"""Bodies and headers are bounded before the app reads them.

Six concurrent anonymous 50 MB registrations took a worker from 135 to 518 MB: nothing bounded
a JSON body, and validation ran before the rate limit. Each operation now has a body limit,
derived from its schema's bounds (`maxLength`, `maxItems`, ...) and capped by `MAX_BODY_BYTES`,
overridable per operation with `BODY_LIMITS`: a larger `Content-Length` is a 413 before a byte is
read, and a chunked body is cut off at the limit. Request headers past `MAX_HEADER_BYTES` are a
431.
"""

from __future__ import annotations

import json
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from impl.app import build_app
from impl.http.limits import body_limits, json_size_bound
from impl.security.passwords import Passwords
from impl.settings import Settings
from tests.service.conftest import PASSWORD, User, assert_declared, assert_problem, make_settings

SPEC = json.loads((Path(__file__).resolve().parents[2] / "generated" / "openapi.json").read_text())


async def _call(
    app: FastAPI, path: str, headers: list[tuple[bytes, bytes]], chunks: int, chunk: int
) -> tuple[list[MutableMapping[str, Any]], int]:
    """Drive the ASGI app directly; returns what it sent and how many body bytes it read."""
    read = 0
    remaining = chunks

    async def receive() -> dict[str, Any]:
        nonlocal read, remaining
        remaining -= 1
        read += chunk
        return {"type": "http.request", "body": b" " * chunk, "more_body": remaining > 0}

    sent: list[MutableMapping[str, Any]] = []

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": b"", "headers": headers, "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80), "app": app,
    }  # fmt: skip
    await app(scope, receive, send)
    return sent, read


async def test_an_announced_oversized_body_is_a_413_before_a_byte_is_read(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", b"52428800")]
    sent, read = await _call(app, "/v1/auth/register", headers, chunks=800, chunk=65536)
    assert sent[0]["status"] == 413
    assert read == 0


async def test_a_chunked_oversized_body_is_cut_off_at_the_limit(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    limit = body_limits(SPEC, ceiling=1 << 20, overrides={})["register"]
    headers = [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")]
    sent, read = await _call(app, "/v1/auth/register", headers, chunks=800, chunk=65536)
    assert sent[0]["status"] == 413
    assert read <= limit + 65536 < 800 * 65536


async def test_oversized_bodies_answer_the_declared_413(
    client: httpx.AsyncClient, ada: User
) -> None:
    big = {"email": "big@example.com", "password": PASSWORD, "display_name": "x" * 2_000_000}
    response = await client.post("/v1/auth/register", json=big)
    assert_problem(response, 413, "payload_too_large")
    assert_declared(response, "register")
    project = await ada.post("/v1/projects", json={"name": "p", "description": "d" * 2_000_000})
    assert_problem(project, 413, "payload_too_large")
    assert_declared(project, "createProject")


async def test_bodies_within_the_schema_bounds_pass(ada: User) -> None:
    # The longest valid description, every character escaped as a surrogate pair.
    project = await ada.project()
    body = '{"title": "t", "description": "' + "\\ud83d\\ude00" * 5000 + '"}'
    response = await ada.post(
        f"/v1/projects/{project['id']}/tasks",
        content=body.encode(),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text


def test_limits_follow_the_schema_bounds() -> None:
    limits = body_limits(SPEC, ceiling=1 << 20, overrides={"createExport": 999})
    assert limits["register"] < 64 * 1024  # three short strings
    assert limits["createTask"] < limits["createComment"] * 4
    assert limits["createExport"] == 999
    unbounded = {"type": "object", "properties": {"a": {"type": "string"}}}
    assert json_size_bound(unbounded, SPEC) is None
    bounded = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"a": {"type": "string", "maxLength": 3}, "b": {"enum": ["x", "yy"]}},
    }
    assert json_size_bound(bounded, SPEC) == 2 + (3 * 12 + 1 + 2 + 3 * 12 + 1) + (
        3 * 12 + 1 + 4 * 12 + 1
    )


async def test_body_limits_are_configurable_per_operation(
    tmp_path: Path, passwords: Passwords
) -> None:
    settings: Settings = make_settings(tmp_path, body_limits="createProject=1024")
    app = build_app(settings, passwords=passwords)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        response = await client.post(
            "/v1/projects",
            json={"name": "p", "description": "d" * 2000},
            headers={"Authorization": "Bearer x"},
        )
    assert_problem(response, 413, "payload_too_large")


async def test_oversized_headers_are_a_431(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/health/live", headers={"X-Padding": "p" * 20_000})
    assert_problem(response, 431, "headers_too_large")
    fine = await client.get("/v1/health/live", headers={"X-Padding": "p" * 4_000})
    assert fine.status_code == 200
