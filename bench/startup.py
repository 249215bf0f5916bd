"""Start-up of a generated app: process start to its first ``/openapi.json``, and its memory.

Runs a fresh interpreter that imports the package, builds the app with every service
unimplemented (``allow_unimplemented=True``), fetches ``/openapi.json`` through ASGI and
reports its resident memory; the wall time is measured from outside, process start included.

    .venv/bin/python bench/startup.py DIR PACKAGE [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PROBE = r"""
import asyncio, importlib, sys, time
import httpx
started = time.perf_counter()
package = importlib.import_module(sys.argv[1])
imported = time.perf_counter()
app = package.create_app(allow_unimplemented=True)
built = time.perf_counter()
async def get():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        r = await c.get("/openapi.json")
        assert r.status_code == 200, r.status_code
asyncio.run(get())
served = time.perf_counter()
rss = next(l for l in open("/proc/self/status") if l.startswith("VmRSS")).split()[1]
print(imported - started, built - imported, served - built, int(rss) // 1024)
"""


def startup(directory: Path, package: str) -> dict[str, Any]:
    began = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", PROBE, package],
        cwd=directory,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    wall = time.perf_counter() - began
    return {
        "first_openapi_s": round(wall, 2),
        "import_s": round(float(out[0]), 2),
        "create_app_s": round(float(out[1]), 2),
        "openapi_s": round(float(out[2]), 3),
        "rss_mb": int(out[3]),
    }


def median_startup(directory: Path, package: str, runs: int) -> dict[str, Any]:
    results = [startup(directory, package) for _ in range(runs)]
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("package")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(median_startup(args.directory, args.package, args.runs)))


if __name__ == "__main__":
    main()
