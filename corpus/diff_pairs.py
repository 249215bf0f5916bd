"""``make diff-corpus``: ``specfirst diff`` on every consecutive GHES release of @octokit/openapi.

    python -m corpus.diff_pairs                 # ghes-3.17 → 3.18 → 3.19 …, as installed
    python -m corpus.diff_pairs --with-dotcom   # and the newest GHES → api.github.com
    python -m corpus.diff_pairs --write         # also rewrite corpus/DIFF.md

Each pair runs in a fresh child process (so its peak memory is its own): it loads both
documents, diffs them and reports the wall time, CPU time and peak RSS of the whole run,
and the count of findings per rule id. The run fails when a pair takes 10 s of CPU or more,
or 500 MB or more: the budget issue 15 sets for GitHub-size specs. (CPU time, because wall
time on a shared machine measures the neighbours; the load average is printed with it.)
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ROOT / ".cache/corpus/node_modules/@octokit/openapi/generated"
RESULTS = ROOT / "corpus/DIFF.md"
BUDGET_SECONDS, BUDGET_MB = 10.0, 500.0

_CHILD = """
import json, resource, sys, time
from collections import Counter
start = time.perf_counter()
from specfirst.diff import diff_specs
from specfirst.loader import load_spec
report = diff_specs(load_spec(sys.argv[1]), load_spec(sys.argv[2]))
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
peak_mb = usage.ru_maxrss / 1024
print(json.dumps({
    "seconds": seconds,
    "cpu": usage.ru_utime + usage.ru_stime,
    "peak_mb": peak_mb,
    "rules": Counter(f"{f.severity.value} {f.id}" for f in report.findings),
    "summary": report.counts(),
}))
"""


def releases() -> list[Path]:
    found = [p for p in GENERATED.glob("ghes-*.json") if not p.name.endswith(".deref.json")]

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", path.stem))

    return sorted(found, key=version)


def run_pair(base: Path, head: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(base), str(head)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{base.name} → {head.name}: {done.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def report(pairs: list[tuple[str, dict[str, Any]]]) -> str:
    lines = [
        "| pair | wall (s) | CPU (s) | peak RSS (MB) | breaking | possibly | info |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in pairs:
        s = r["summary"]
        lines.append(
            f"| {name} | {r['seconds']:.2f} | {r['cpu']:.2f} | {r['peak_mb']:.0f} | {s['breaking']} "
            f"| {s['possibly-breaking']} | {s['info']} |"
        )
    rules = sorted({rule for _, r in pairs for rule in r["rules"]})
    lines += [
        "",
        "| severity rule | " + " | ".join(name for name, _ in pairs) + " |",
        "|---|" + "---:|" * len(pairs),
    ]
    for rule in rules:
        counts = " | ".join(str(r["rules"].get(rule, 0)) for _, r in pairs)
        lines.append(f"| {rule} | {counts} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-dotcom", action="store_true", help="add newest GHES → dotcom")
    parser.add_argument("--write", action="store_true", help=f"rewrite {RESULTS.name}")
    args = parser.parse_args(argv)
    files = releases()
    if len(files) < 2:
        print(f"diff-corpus: fewer than two GHES releases in {GENERATED}", file=sys.stderr)
        return 2
    todo = list(itertools.pairwise(files))
    if args.with_dotcom:
        todo.append((files[-1], GENERATED / "api.github.com.json"))
    pairs = []
    over = []
    for base, head in todo:
        name = f"{base.stem} → {head.stem}"
        result = run_pair(base, head)
        rules = Counter(result["rules"])
        print(
            f"{name}: {result['seconds']:.2f} s wall, {result['cpu']:.2f} s CPU, "
            f"{result['peak_mb']:.0f} MB peak, "
            + ", ".join(f"{n} {rule}" for rule, n in sorted(rules.items()))
        )
        pairs.append((name, result))
        if result["cpu"] >= BUDGET_SECONDS or result["peak_mb"] >= BUDGET_MB:
            over.append(name)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    table = report(pairs) + f"\nLoad average when measured: {load} (2 cores).\n"
    print("\n" + table)
    if args.write:
        RESULTS.write_text(
            "# `specfirst diff` on consecutive GHES releases\n\n"
            "Written by `make diff-corpus` (`python -m corpus.diff_pairs --with-dotcom --write`)"
            " from @octokit/openapi as installed by `make corpus-fetch`. Times and peak RSS are"
            " those of one child process that imports specfirst, loads both documents (JSON,"
            " about 11 MB each, with source positions) and diffs them; the budget is 10 s of"
            " CPU and 500 MB per pair (wall time on a shared machine measures the neighbours). The last pair is not a GHES release: api.github.com is"
            " where the next GHES comes from, so it shows what 3.20 may bring.\n\n" + table,
            encoding="utf-8",
        )
    if over:
        print(f"over budget ({BUDGET_SECONDS:.0f} s / {BUDGET_MB:.0f} MB): {', '.join(over)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
