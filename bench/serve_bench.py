"""Serving overhead: the generated app against the same API hand-written in FastAPI.

Both apps run in this process and are driven through raw ASGI calls (no sockets, no HTTP
client), so the numbers compare the frameworks' per-request work only. Reported as ratios
(generated time / hand-written time; below 1.0 means the generated app is faster).

    .venv/bin/python bench/serve_bench.py [--rounds 5] [--requests 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import importlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from specfirst.pipeline import generate

HERE = Path(__file__).resolve().parent
NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
ASGIApp = Callable[
    [
        dict[str, Any],
        Callable[[], Awaitable[dict[str, Any]]],
        Callable[[dict[str, Any]], Awaitable[None]],
    ],
    Awaitable[None],
]


# ---------------------------------------------------------------- the hand-written baseline


class TaskCreate(BaseModel):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    description: Annotated[str | None, Field(max_length=2000)] = None
    priority: Annotated[int | None, Field(ge=1, le=5)] = None


class Task(BaseModel):
    id: int
    title: str
    description: str | None = None
    priority: int | None = None
    done: bool
    tags: list[str]
    created_at: datetime.datetime


def _task(i: int) -> dict[str, Any]:
    return {
        "id": i,
        "title": f"task {i}",
        "description": "x" * 40,
        "priority": 3,
        "done": i % 2 == 0,
        "tags": ["a", "b"],
        "created_at": NOW,
    }


def handwritten() -> FastAPI:
    app = FastAPI()
    tasks = [Task(**_task(i)) for i in range(1, 501)]

    @app.get("/tasks", response_model=list[Task])
    async def list_tasks(limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[Task]:
        return tasks[:limit]

    @app.post("/tasks", response_model=Task, status_code=201)
    async def create_task(body: TaskCreate) -> Task:
        return Task(
            id=501,
            title=body.title,
            description=body.description,
            priority=body.priority,
            done=False,
            tags=[],
            created_at=NOW,
        )

    @app.get("/tasks/{task_id}", response_model=Task)
    async def get_task(task_id: Annotated[int, PathParam(ge=1)]) -> Task:
        return tasks[task_id - 1]

    return app


# ---------------------------------------------------------------- the generated app


def generated(tmp: Path) -> Any:
    result = generate(HERE / "serve" / "api.yaml", tmp / "bench_api", cache_dir=None)
    assert result.ok, [d.format() for d in result.diagnostics]
    sys.path.insert(0, str(tmp))
    package = importlib.import_module("bench_api")
    models = importlib.import_module("bench_api.models")
    responses = importlib.import_module("bench_api.responses")
    tasks = [models.Task(**_task(i)) for i in range(1, 501)]

    class Service:
        async def list_tasks(self, *, limit: int) -> Any:
            return responses.ListTasks200Response(body=tasks[:limit])

        async def create_task(self, *, body: Any) -> Any:
            return models.Task(
                id=501, done=False, tags=[], created_at=NOW, **body.model_dump(exclude_unset=True)
            )

        async def get_task(self, *, task_id: int) -> Any:
            return tasks[task_id - 1]

    return package.create_app(default=Service(), docs=False)


# ---------------------------------------------------------------- the driver


async def call(app: ASGIApp, method: str, path: str, query: bytes = b"", body: bytes = b"") -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [
            (b"host", b"bench"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


SCENARIOS: dict[str, tuple[str, str, bytes, bytes, int]] = {
    "list 100": ("GET", "/tasks", b"limit=100", b"", 200),
    "get one": ("GET", "/tasks/7", b"", b"", 200),
    "create": ("POST", "/tasks", b"", json.dumps({"title": "hello", "priority": 2}).encode(), 201),
    "invalid body": ("POST", "/tasks", b"", json.dumps({"title": ""}).encode(), 422),
}


async def timed(app: ASGIApp, scenario: tuple[str, str, bytes, bytes, int], n: int) -> float:
    method, path, query, body, expected = scenario
    for _ in range(50):
        status = await call(app, method, path, query, body)
        assert status == expected, (path, status)
    started = time.perf_counter()
    for _ in range(n):
        await call(app, method, path, query, body)
    return (time.perf_counter() - started) / n


async def main(rounds: int, requests: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        apps = {"generated": generated(Path(tmp)), "hand-written": handwritten()}
        print(f"{'scenario':<14} {'hand-written':>14} {'generated':>14} {'ratio':>7}")
        for name, scenario in SCENARIOS.items():
            times: dict[str, list[float]] = {k: [] for k in apps}
            for _ in range(rounds):  # interleaved rounds: both see the same machine noise
                for label, app in apps.items():
                    times[label].append(await timed(app, scenario, requests))
            hand = statistics.median(times["hand-written"])
            gen = statistics.median(times["generated"])
            print(f"{name:<14} {hand * 1e6:11.1f} µs {gen * 1e6:11.1f} µs {gen / hand:7.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=2000)
    options = parser.parse_args()
    asyncio.run(main(options.rounds, options.requests))
