"""Rate limits, security headers, request ids and logs, CORS, errors, health."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import httpx
import pytest

from impl.app import build_app
from impl.logging import JsonFormatter, RequestIdFilter
from impl.runtime import Runtime
from impl.security.passwords import Passwords
from tests.service.conftest import ORIGIN, PASSWORD, User, assert_problem, make_settings, register


async def test_rate_limit_per_principal(tmp_path: Path, passwords: Passwords) -> None:
    app = build_app(make_settings(tmp_path, rate_limit_api="3/minute"), passwords=passwords)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        ada, grace = await register(client, "ada"), await register(client, "grace")
        responses = [await ada.get("/v1/users/me") for _ in range(4)]
        assert [r.status_code for r in responses] == [200, 200, 200, 429]
        assert [r.headers["ratelimit-remaining"] for r in responses] == ["2", "1", "0", "0"]
        assert all(r.headers["ratelimit-limit"] == "3" for r in responses)
        blocked = assert_problem(responses[-1], 429, "rate_limited")
        assert "3 per minute" in blocked["detail"]
        assert 0 < int(responses[-1].headers["retry-after"]) <= 60
        assert int(responses[-1].headers["ratelimit-reset"]) > 0
        # Another principal has its own budget; health probes are never limited.
        assert (await grace.get("/v1/users/me")).status_code == 200
        for _ in range(5):
            assert (await client.get("/v1/health/live")).status_code == 200


async def test_rate_limit_on_login(tmp_path: Path, passwords: Passwords) -> None:
    app = build_app(make_settings(tmp_path, rate_limit_login="2/minute"), passwords=passwords)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        form = {"grant_type": "password", "username": "nobody@example.com", "password": PASSWORD}
        codes = [(await client.post("/v1/auth/token", data=form)).status_code for _ in range(3)]
        assert codes == [400, 400, 429]
        last = await client.post("/v1/auth/token", data=form)
        assert_problem(last, 429, "rate_limited")
        assert last.headers["ratelimit-limit"] == "2" and "retry-after" in last.headers


async def test_security_headers_and_request_id(client: httpx.AsyncClient, ada: User) -> None:
    response = await ada.get("/v1/users/me")
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["referrer-policy"] == "no-referrer"
    assert "strict-transport-security" not in headers  # plain http
    assert len(headers["x-request-id"]) == 32
    echoed = await client.get("/v1/health/live", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    forged = await client.get("/v1/health/live", headers={"X-Request-ID": "bad id\x7f"})
    assert forged.headers["x-request-id"] != "bad id\x7f"
    https = httpx.AsyncClient(transport=client._transport, base_url="https://testserver")
    async with https:
        assert (
            "max-age" in (await https.get("/v1/health/live")).headers["strict-transport-security"]
        )


async def test_every_log_line_of_a_request_carries_its_id(client: httpx.AsyncClient) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    access = logging.getLogger("impl.access")
    access.addHandler(handler)
    previous = access.level
    access.setLevel(logging.INFO)
    try:
        response = await client.get("/v1/health/live", headers={"X-Request-ID": "trace-me"})
    finally:
        access.removeHandler(handler)
        access.setLevel(previous)
    [line] = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert line["request_id"] == "trace-me" == response.headers["x-request-id"]
    assert line["status"] == 200 and line["path"] == "/v1/health/live" and line["level"] == "INFO"


async def test_cors_preflight_and_simple_requests(client: httpx.AsyncClient) -> None:
    preflight = await client.options(
        "/v1/projects",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Idempotency-Key",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "idempotency-key" in preflight.headers["access-control-allow-headers"].lower()
    assert "x-request-id" in preflight.headers
    other = await client.options(
        "/v1/projects",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert other.status_code == 400 and "access-control-allow-origin" not in other.headers
    simple = await client.get("/v1/health/live", headers={"Origin": ORIGIN})
    assert simple.headers["access-control-allow-origin"] == ORIGIN
    assert "etag" in simple.headers["access-control-expose-headers"].lower()


async def test_errors_are_problem_json(client: httpx.AsyncClient, ada: User) -> None:
    not_allowed = await client.put("/v1/projects")
    assert_problem(not_allowed, 405)
    assert not_allowed.headers["allow"] == "GET, POST"
    assert_problem(await client.get("/v1/nowhere"), 404)
    assert_problem(await ada.get("/v1/projects/not-a-uuid"), 422)
    assert_problem(
        await client.post(
            "/v1/auth/register", content=b"{", headers={"Content-Type": "application/json"}
        ),
        422,
    )


async def test_unexpected_errors_are_500_problems_with_the_request_id(
    client: httpx.AsyncClient,
    ada: User,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from impl.services.projects import ProjectService

    async def boom(*_args: object, **kwargs: object) -> None:
        raise RuntimeError(f"database on fire near {kwargs['name_contains']}")

    monkeypatch.setattr(ProjectService, "list", boom)
    with caplog.at_level(logging.ERROR, logger="impl.errors"):
        response = await ada.get("/v1/projects", params={"name_contains": "request-marker"})
    body = assert_problem(response, 500, "internal_error")
    assert "fire" not in response.text and "Traceback" not in response.text
    assert response.headers["x-request-id"] and body["instance"] == "/v1/projects"
    errors = [r for r in caplog.records if r.exc_info]
    assert errors
    # As production logs it: the type and the stack, not the message (it may quote the request).
    logged = json.loads(JsonFormatter().format(errors[0]))
    assert "RuntimeError" in logged["exception"] and "in boom" in logged["exception"]
    assert "request-marker" not in json.dumps(logged)


async def test_health_live_and_ready(
    client: httpx.AsyncClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = await client.get("/v1/health/live")
    assert live.status_code == 200 and live.json() == {"status": "ok", "checks": {}}
    ready = await client.get("/v1/health/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"]["status"] == "ok"

    async def down() -> float:
        raise ConnectionRefusedError("no database")

    monkeypatch.setattr(runtime.database, "ping", down)
    unready = await client.get("/v1/health/ready")
    body = assert_problem(unready, 503, "unavailable")
    assert body["checks"]["database"]["status"] == "unavailable"
    assert (await client.get("/v1/health/live")).status_code == 200


def test_a_missing_jwt_secret_stops_start_up_with_one_clear_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("JWT_SECRET",)}
    env.update(ENVIRONMENT="production", PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    done = subprocess.run(
        [sys.executable, "-c", "import impl.main"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "JWT_SECRET is not set" in lines[0], done.stderr
