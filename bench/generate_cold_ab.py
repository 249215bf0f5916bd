"""Cold generation of GitHub's spec, the code of a branch against an older one, interleaved.

Per round, in fresh processes one after the other: datamodel-code-generator's models-only run
(the yardstick, as in ``bench/generate_github.py``), then ``specfirst generate --no-cache`` with
this checkout's generator and with an older one (``--before``: a ``generator/`` folder, e.g.
from ``git archive main generator | tar -x -C /tmp/before``, put first on ``PYTHONPATH``), in
alternating order; the two outputs must be identical but for the manifest. Wall time, CPU
seconds and peak RSS of each process tree, and the load average: on a loaded machine the CPU
figures are the ones to compare.

    .venv/bin/python bench/generate_cold_ab.py --before /tmp/before/generator [--rounds 2]
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

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".cache/corpus/node_modules/@octokit/openapi/generated/api.github.com.json"


def run(args: list[str], cwd: Path, env: dict[str, str]) -> dict[str, Any]:
    """Wall and CPU seconds, peak RSS in MB (children included) of one command."""
    wrapped = [
        sys.executable,
        "-c",
        "import json, resource, subprocess, sys;"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "sys.stderr.write(done.stderr[-2000:]);"
        "r = resource.getrusage(resource.RUSAGE_CHILDREN);"
        "print(json.dumps([r.ru_utime + r.ru_stime, r.ru_maxrss // 1024]));"
        "sys.exit(done.returncode)",
        *args,
    ]
    started = time.perf_counter()
    done = subprocess.run(wrapped, cwd=cwd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(args[:4])} … failed:\n{done.stderr[-2000:]}")
    cpu, rss = json.loads(done.stdout.splitlines()[-1])
    return {
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "rss_mb": rss,
        "load": round(os.getloadavg()[0], 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="an older generator/ folder")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--spec", type=Path, default=GITHUB)
    args = parser.parse_args()
    env = {**os.environ, "SPECFIRST_DAEMON": "0"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="specfirst-cold-ab-") as tmp:
        work = Path(tmp)
        spec = work / "github.json"
        shutil.copyfile(args.spec, spec)
        dcg = str(Path(sys.executable).parent / "datamodel-codegen")
        for round_ in range(args.rounds):
            yardstick = [dcg, "--input", str(spec), "--input-file-type", "openapi",
                         "--output", str(work / "dcg_models.py"), "--formatters", "builtin"]  # fmt: skip
            row: dict[str, Any] = {"dcg": run(yardstick, work, env)}
            for name in ("before", "after") if round_ % 2 == 0 else ("after", "before"):
                own = {**env, "PYTHONPATH": str(args.before)} if name == "before" else env
                shutil.rmtree(work / name, ignore_errors=True)
                out = str(work / name / "github_api")
                row[name] = run(
                    [sys.executable, "-m", "specfirst", "generate", str(spec),
                     "--output", out, "--no-cache", "--quiet"],
                    work,
                    own,
                )  # fmt: skip
            subprocess.run(
                ["diff", "-r", "-q", "-x", ".specfirst-manifest.json",
                 str(work / "before"), str(work / "after")],
                check=True,
            )  # fmt: skip
            for name in ("before", "after"):
                row[f"{name}_vs_dcg"] = round(row[name]["wall_s"] / row["dcg"]["wall_s"], 2)
            row["after_cpu_vs_before"] = round(row["after"]["cpu_s"] / row["before"]["cpu_s"], 3)
            print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
