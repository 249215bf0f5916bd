"""Where a request's CPU goes, in process: the petstore apps of ``run.py`` called as ASGI apps.

No server and no client: each app is called with a raw ASGI scope, so the figures are the
app's own CPU per request (``time.process_time``), without uvicorn's HTTP parsing and
writing, which every server pays alike. Per round, the like-for-like pairs of ``run.py`` and
the cost of building the 20 models of a list page (hand-written FastAPI ``Pet`` against the
generated ``models.Pet``), so that a miss can be split into framework and model work.

    .venv/bin/python bench/http/inprocess.py [--requests 3000] [--rounds 3] [--cprofile APP:REQ]

``--cprofile app_specfirst:app_per_request:list`` prints a cProfile of that app and request.
It serves the packages ``run.py`` generated last (generating them when there are none).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib
import json
import pstats
import sys
import time
import timeit
from typing import Any

from run import BUILD, HERE, prepare

REQUESTS = {
    "list": ("GET", "/pets", b"limit=20", b""),
    "get": ("GET", "/pets/7", b"", b""),
    "create": ("POST", "/pets", b"", json.dumps({"name": "Rex", "tag": "dog", "age": 3}).encode()),
}
PAIRS = [
    ("models per request", "app_specfirst:app_per_request", "app_fastapi:app_per_request"),
    ("models at start", "app_specfirst:app", "app_fastapi:app_models"),
    ("dicts", "app_specfirst:app_dicts", "app_fastapi:app"),
    ("class + yield session", "app_specfirst:app_class", "app_fastapi:app_depends"),
]


def load(name: str) -> Any:
    module, attribute = name.split(":")
    return getattr(importlib.import_module(module), attribute)


async def call(app: Any, request: str) -> None:
    method, path, query, body = REQUESTS[request]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query,
        "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
        "headers": [(b"host", b"bench"), (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode())],
    }  # fmt: skip

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start" and message["status"] >= 300:
            sys.exit(f"{path}: {message['status']}")

    await app(scope, receive, send)


def cpu_per_request(app: Any, request: str, count: int) -> float:
    async def run() -> float:
        for _ in range(200):
            await call(app, request)
        started = time.process_time()
        for _ in range(count):
            await call(app, request)
        return (time.process_time() - started) / count * 1e6

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cprofile", help="APP_MODULE:APP:REQUEST, e.g. app_specfirst:app:list")
    args = parser.parse_args()
    if not (BUILD / "sf_petstore").is_dir() or not (BUILD / "dcg").is_dir():
        prepare(with_connexion=False)  # else what run.py generated last
    sys.path[:0] = [str(HERE), str(BUILD), str(BUILD / "dcg")]
    if args.cprofile:
        module, attribute, request = args.cprofile.split(":")
        app = load(f"{module}:{attribute}")
        cpu_per_request(app, request, 200)
        profile = cProfile.Profile()
        profile.runcall(cpu_per_request, app, request, args.requests)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        return
    from app_fastapi import Pet
    from data import PETS
    from sf_petstore import models  # type: ignore[import-not-found]

    page = PETS[:20]
    for round_ in range(args.rounds):
        print(f"round {round_ + 1}: CPU µs per request in process, FastAPI / specfirst = ratio")
        for name, ours, theirs in PAIRS:
            cells = []
            for request in REQUESTS:
                theirs_us = cpu_per_request(load(theirs), request, args.requests)
                ours_us = cpu_per_request(load(ours), request, args.requests)
                cells.append(f"{request} {theirs_us:.0f}/{ours_us:.0f} = {theirs_us / ours_us:.2f}")
            print(f"  {name:22s} " + "   ".join(cells))
        for label, model in (("hand-written Pet", Pet), ("generated models.Pet", models.Pet)):
            seconds = min(
                timeit.repeat(
                    lambda model=model: [model(**p) for p in page],
                    number=1000,
                    repeat=3,
                    timer=time.process_time,
                )
            )
            print(f"  building 20 {label}: {seconds * 1e3:.0f} µs")


if __name__ == "__main__":
    main()
