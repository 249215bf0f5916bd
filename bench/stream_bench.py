"""Streamed responses (OpenAPI 3.2 ``itemSchema``): the generated app against hand-written FastAPI.

The generated route checks and serializes every item the implementation yields, then frames
it (JSON Lines, server-sent events); the hand-written baseline streams
``item.model_dump_json()`` lines from the same model instances, unchecked. Both apps run in
this process, driven through raw ASGI calls (``serve_bench.call``); reported as ratios
(generated time / hand-written time).

    .venv/bin/python bench/stream_bench.py [--rounds 5] [--requests 200] [--items 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import statistics
import sys
import tempfile
import textwrap
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel
from starlette.responses import StreamingResponse

from specfirst.pipeline import generate

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from serve_bench import ASGIApp, call  # noqa: E402

SPEC = """
openapi: 3.2.0
info: {title: Streams, version: "1"}
paths:
  /pets.jsonl:
    get:
      operationId: exportPets
      responses:
        "200":
          description: One pet per line
          content:
            application/jsonl:
              itemSchema: {$ref: "#/components/schemas/Pet"}
  /events:
    get:
      operationId: petEvents
      responses:
        "200":
          description: One event per pet
          content:
            text/event-stream:
              itemSchema: {$ref: "#/components/schemas/PetEvent"}
components:
  schemas:
    Pet:
      type: object
      required: [id, name, tags]
      properties:
        id: {type: integer}
        name: {type: string, maxLength: 40}
        tags: {type: array, items: {type: string}}
    PetEvent:
      type: object
      required: [data]
      properties:
        event: {type: string}
        id: {type: string}
        data: {type: string}
"""


class Pet(BaseModel):
    id: int
    name: str
    tags: list[str]


class PetEvent(BaseModel):
    event: str | None = None
    id: str | None = None
    data: str


def _pet(i: int) -> dict[str, Any]:
    return {"id": i, "name": f"pet {i}", "tags": ["a", "b"]}


def handwritten(items: int) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    pets = [Pet(**_pet(i)) for i in range(items)]
    events = [PetEvent(event="pet", id=str(p.id), data=p.model_dump_json()) for p in pets]

    @app.get("/pets.jsonl")
    async def export_pets() -> StreamingResponse:
        async def lines() -> AsyncIterator[bytes]:
            for pet in pets:
                yield pet.model_dump_json().encode() + b"\n"

        return StreamingResponse(lines(), media_type="application/jsonl")

    @app.get("/events")
    async def pet_events() -> StreamingResponse:
        async def frames() -> AsyncIterator[bytes]:
            for e in events:
                yield f"event: {e.event}\nid: {e.id}\ndata: {e.data}\n\n".encode()

        return StreamingResponse(frames(), media_type="text/event-stream")

    return app


def generated(tmp: Path, items: int) -> Any:
    spec = tmp / "streams.yaml"
    spec.write_text(textwrap.dedent(SPEC), encoding="utf-8")
    result = generate(spec, tmp / "stream_api", cache_dir=None)
    assert result.ok, [d.format() for d in result.diagnostics]
    sys.path.insert(0, str(tmp))
    package = importlib.import_module("stream_api")
    models = importlib.import_module("stream_api.models")
    pets = [models.Pet(**_pet(i)) for i in range(items)]
    events = [models.PetEvent(event="pet", id=str(p.id), data=p.model_dump_json()) for p in pets]

    class Service:
        async def export_pets(self) -> AsyncIterator[Any]:
            for pet in pets:
                yield pet

        async def pet_events(self) -> AsyncIterator[Any]:
            for event in events:
                yield event

    return package.create_app(default=Service(), docs=False)


async def timed(app: ASGIApp, path: str, n: int) -> float:
    for _ in range(5):
        assert await call(app, "GET", path) == 200
    started = time.perf_counter()
    for _ in range(n):
        await call(app, "GET", path)
    return (time.perf_counter() - started) / n


async def main(rounds: int, requests: int, items: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        builders: dict[str, Callable[[], Any]] = {
            "generated": lambda: generated(Path(tmp), items),
            "hand-written": lambda: handwritten(items),
        }
        apps = {label: build() for label, build in builders.items()}
        print(f"{items} items per response")
        print(f"{'stream':<14} {'hand-written':>14} {'generated':>14} {'ratio':>7}")
        for name, path in (("JSON Lines", "/pets.jsonl"), ("SSE", "/events")):
            times: dict[str, list[float]] = {k: [] for k in apps}
            for _ in range(rounds):  # interleaved rounds: both see the same machine noise
                for label, app in apps.items():
                    times[label].append(await timed(app, path, requests))
            hand = statistics.median(times["hand-written"])
            gen = statistics.median(times["generated"])
            print(f"{name:<14} {hand * 1e3:11.2f} ms {gen * 1e3:11.2f} ms {gen / hand:7.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--items", type=int, default=1000)
    options = parser.parse_args()
    asyncio.run(main(options.rounds, options.requests, options.items))
