"""Generation benchmark on GitHub's REST API spec (13 MB, ~1,200 operations).

Runs ``specfirst generate`` as a user would, in fresh processes, and reports wall time and
peak memory (RSS of the process tree) for: a cold run (no caches), a warm run (spec content
changed in paths only, so the models cache applies), and a no-op run (nothing changed).
Then imports the generated package, builds the app and fetches /openapi.json.

    .venv/bin/python bench/generate_github.py [SPEC]

Needs the corpus: ``make corpus-fetch`` (or ``make corpus``).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = ROOT / ".cache/corpus/node_modules/@octokit/openapi/generated/api.github.com.json"
SPECFIRST = [sys.executable, "-m", "specfirst"]


def run(args: list[str], cwd: Path) -> tuple[float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, capture_output=True)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before)


def main() -> int:
    spec = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SPEC
    if not spec.is_file():
        print(f"{spec}: not found; run `make corpus-fetch` first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="specfirst-bench-") as tmp:
        work = Path(tmp)
        copy = work / "github.json"
        shutil.copyfile(spec, copy)
        cmd = [*SPECFIRST, "generate", str(copy), "--output", str(work / "github_api"), "--quiet"]
        env_note = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
        cold, cold_rss = run(cmd, work)
        doc = json.loads(copy.read_text())
        first_path = next(iter(doc["paths"].values()))
        next(iter(v for v in first_path.values() if isinstance(v, dict)))["summary"] = (
            "changed for the benchmark"
        )
        copy.write_text(json.dumps(doc))
        warm, _ = run(cmd, work)
        noop, _ = run(cmd, work)
        code = (
            "import time, asyncio, httpx, sys\n"
            "t = time.perf_counter(); import github_api; imp = time.perf_counter() - t\n"
            "t = time.perf_counter(); app = github_api.create_app(allow_unimplemented=True); build = time.perf_counter() - t\n"
            "async def get():\n"
            "    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url='http://t') as c:\n"
            "        r = await c.get('/openapi.json'); assert r.status_code == 200, r.status_code\n"
            "asyncio.run(get())\n"
            "routes = sum(1 for r in app.routes if getattr(r, 'methods', None) and r.path not in ('/openapi.json','/openapi.yaml','/docs','/redoc'))\n"
            "print(f'{imp:.2f} {build:.2f} {routes}')\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=work, check=True, capture_output=True, text=True
        ).stdout.split()
        operations = sum(
            1
            for item in doc["paths"].values()
            for m, v in item.items()
            if m in ("get", "put", "post", "delete", "patch", "head", "options", "trace")
        )
    print(f"GitHub REST spec: {operations} operations ({env_note})")
    print(f"  cold generate (no caches):        {cold:6.1f} s   peak RSS {cold_rss / 1024:.0f} MB")
    print(f"  warm generate (paths changed):    {warm:6.1f} s")
    print(f"  no-op generate (nothing changed): {noop:6.2f} s")
    print(
        f"  import package: {float(out[0]):.2f} s, create_app: {float(out[1]):.2f} s, routes: {out[2]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
