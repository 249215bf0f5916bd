"""Generation and start-up benchmark on GitHub's REST API spec (13 MB, ~1,200 operations).

Runs, in fresh processes and one after the other on the same machine:

- datamodel-code-generator alone, models only (``--formatters builtin``): the yardstick;
- ``specfirst generate`` cold (no caches), then after one operation's description changed,
  then again with nothing changed (no-op);
- the generated app's start-up: process start to its first ``/openapi.json``, and its RSS
  (``bench/startup.py``).

Wall time and peak RSS (``ru_maxrss`` of the process, children included) per run; the
figures that count are the ratios within one run. Results go to ``bench/results.json``
("generation") for ``bench/chart.py``.

    .venv/bin/python bench/generate_github.py [SPEC] [--skip-dcg]

Needs the corpus: ``make corpus-fetch`` (or ``make corpus``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import median_startup

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = ROOT / ".cache/corpus/node_modules/@octokit/openapi/generated/api.github.com.json"
RESULTS = Path(__file__).resolve().parent / "results.json"
SPECFIRST = [sys.executable, "-m", "specfirst"]


def run(args: list[str], cwd: Path) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in MB and stderr of one command, in a fresh process."""
    wrapped = [
        sys.executable,
        "-c",
        "import resource, subprocess, sys;"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "sys.stderr.write(done.stderr);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
        "sys.exit(done.returncode)",
        *args,
    ]
    started = time.perf_counter()
    done = subprocess.run(wrapped, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(args[:4])} … failed:\n{done.stderr[-2000:]}")
    return elapsed, int(done.stdout.split()[-1]) // 1024, done.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", nargs="?", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("--skip-dcg", action="store_true", help="leave out the yardstick run")
    args = parser.parse_args()
    spec: Path = args.spec
    if not spec.is_file():
        print(f"{spec}: not found; run `make corpus-fetch` first", file=sys.stderr)
        return 2
    results: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": " ".join(["bench/generate_github.py", *sys.argv[1:]]),
        "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"load average {os.getloadavg()[0]:.1f} at start",
    }
    with tempfile.TemporaryDirectory(prefix="specfirst-bench-") as tmp:
        work = Path(tmp)
        copy = work / "github.json"
        shutil.copyfile(spec, copy)
        if not args.skip_dcg:
            dcg = str(Path(sys.executable).parent / "datamodel-codegen")
            wall, rss, _ = run(
                [dcg, "--input", str(copy), "--input-file-type", "openapi",
                 "--output", str(work / "dcg_models.py"), "--formatters", "builtin"],
                work,
            )  # fmt: skip
            results["dcg_models_only"] = {"wall_s": round(wall, 1), "peak_rss_mb": rss}
        cmd = [*SPECFIRST, "generate", str(copy), "--output", str(work / "github_api")]
        wall, rss, _ = run([*cmd, "--quiet"], work)
        results["cold"] = {"wall_s": round(wall, 1), "peak_rss_mb": rss}
        doc = json.loads(copy.read_text())
        doc["paths"]["/meta"]["get"]["description"] = "changed for the benchmark"
        copy.write_text(json.dumps(doc))
        wall, rss, err = run(cmd, work)
        written = err.strip().splitlines()[-1] if err.strip() else ""
        results["one_description"] = {"wall_s": round(wall, 2), "report": written}
        wall, rss, _ = run([*cmd, "--quiet"], work)
        results["noop"] = {"wall_s": round(wall, 2)}
        results["startup"] = median_startup(work, "github_api", 3)
        operations = sum(
            1
            for item in doc["paths"].values()
            for m in item
            if m in ("get", "put", "post", "delete", "patch", "head", "options", "trace")
        )
        results["operations"] = operations
    if "dcg_models_only" in results:
        results["cold_vs_dcg"] = round(
            results["cold"]["wall_s"] / results["dcg_models_only"]["wall_s"], 2
        )
    saved = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    saved["generation"] = results
    RESULTS.write_text(json.dumps(saved, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
