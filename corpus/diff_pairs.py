"""``make diff-corpus``: ``specfirst diff`` on every consecutive GHES release of @octokit/openapi.

    python -m corpus.diff_pairs                 # ghes-3.4 → 3.5 → … → 3.19, as installed
    python -m corpus.diff_pairs --with-dotcom   # and the newest GHES → api.github.com
    python -m corpus.diff_pairs --write         # also rewrite corpus/DIFF.md

Each pair runs in a fresh child process (so its peak memory is its own): it loads both
documents, diffs them and reports the wall time, CPU time and peak RSS of the whole run,
and the count of findings per rule id. The run fails when a pair takes 10 s of CPU or more,
or 500 MB or more: the budget issue 15 sets for GitHub-size specs. (CPU time, because wall
time on a shared machine measures the neighbours; the load average is printed with it.)

The current @octokit/openapi (``make corpus-fetch``) ships only the supported GHES releases
(3.17-3.19). Older package versions ship the older ones: ``corpus/ghes-history/package.json``
installs three of them under npm aliases into ``.cache/corpus-ghes`` (``make
corpus-ghes-fetch``, run by ``make diff-corpus`` only). A release can be in several
packages, published months apart, and GitHub edits a release's description after it ships:
a pair is taken from one package when one holds both releases (so it shows the change
between the releases, not between two snapshots), otherwise each release from the newest
package that holds it.
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
HISTORY = ROOT / ".cache/corpus-ghes/node_modules"
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
if len(sys.argv) > 3:  # --save: the whole report, for reading the findings (not timed)
    with open(sys.argv[3], "w", encoding="utf-8") as out:
        json.dump(report.to_json(), out, indent=1, ensure_ascii=False)
"""


def _package_version(generated: Path) -> tuple[int, ...]:
    manifest = json.loads((generated.parent / "package.json").read_text(encoding="utf-8"))
    return tuple(int(n) for n in re.findall(r"\d+", manifest["version"]))


def _release(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path.stem))


def packages() -> list[Path]:
    """Every installed @octokit/openapi ``generated/`` folder, newest package first."""
    found = [GENERATED] if GENERATED.is_dir() else []
    found += [p for p in HISTORY.glob("*/generated") if (p.parent / "package.json").is_file()]
    return sorted(found, key=_package_version, reverse=True)


def releases() -> dict[tuple[int, ...], list[Path]]:
    """Each GHES release to its documents, newest package first."""
    out: dict[tuple[int, ...], list[Path]] = {}
    for folder in packages():
        for path in folder.glob("ghes-*.json"):
            if re.fullmatch(r"ghes-\d+\.\d+\.json", path.name):
                out.setdefault(_release(path), []).append(path)
    return dict(sorted(out.items()))


def consecutive_pairs() -> list[tuple[Path, Path]]:
    """Every consecutive release pair, both from one package when one package holds both."""
    found = releases()
    pairs = []
    for old, new in itertools.pairwise(found):
        shared = [p for p in found[old] if p.parent in {q.parent for q in found[new]}]
        if shared:
            pairs.append((shared[0], shared[0].parent / found[new][0].name))
        else:
            pairs.append((found[old][0], found[new][0]))
    return pairs


def _label(path: Path) -> str:
    package = ".".join(map(str, _package_version(path.parent)))
    return f"{path.stem}@{package}"


def _short(base: Path, head: Path) -> str:
    return f"{base.stem.removeprefix('ghes-')}→{head.stem.removeprefix('ghes-')}"


def run_pair(base: Path, head: Path, save: Path | None = None) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(base), str(head), *([str(save)] if save else [])],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{base.name} → {head.name}: {done.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def report(pairs: list[tuple[str, str, dict[str, Any]]]) -> str:
    """The per-pair table (full names: release@package), then counts per rule (short names)."""
    lines = [
        "| pair | wall (s) | CPU (s) | peak RSS (MB) | breaking | possibly | info |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, _, r in pairs:
        s = r["summary"]
        lines.append(
            f"| {name} | {r['seconds']:.2f} | {r['cpu']:.2f} | {r['peak_mb']:.0f} | {s['breaking']} "
            f"| {s['possibly-breaking']} | {s['info']} |"
        )
    rules = sorted({rule for _, _, r in pairs for rule in r["rules"]})
    lines += [
        "",
        "| severity rule | " + " | ".join(short for _, short, _ in pairs) + " | all |",
        "|---|" + "---:|" * (len(pairs) + 1),
    ]
    for rule in rules:
        counts = [r["rules"].get(rule, 0) for _, _, r in pairs]
        lines.append(f"| {rule} | {' | '.join(map(str, counts))} | {sum(counts)} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-dotcom", action="store_true", help="add newest GHES → dotcom")
    parser.add_argument("--write", action="store_true", help=f"rewrite {RESULTS.name}")
    parser.add_argument(
        "--save", type=Path, metavar="DIR", help="also write each pair's JSON report into DIR"
    )
    args = parser.parse_args(argv)
    todo = consecutive_pairs()
    if not todo:
        print(f"diff-corpus: fewer than two GHES releases in {GENERATED}", file=sys.stderr)
        return 2
    if args.with_dotcom:
        newest = todo[-1][1]
        todo.append((newest, newest.parent / "api.github.com.json"))
    pairs = []
    over = []
    for base, head in todo:
        name = f"{_label(base)} → {_label(head)}"
        save = None
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            save = args.save / f"{_short(base, head)}.json"
        result = run_pair(base, head, save)
        rules = Counter(result["rules"])
        print(
            f"{name}: {result['seconds']:.2f} s wall, {result['cpu']:.2f} s CPU, "
            f"{result['peak_mb']:.0f} MB peak, "
            + ", ".join(f"{n} {rule}" for rule, n in sorted(rules.items()))
        )
        pairs.append((name, _short(base, head), result))
        if result["cpu"] >= BUDGET_SECONDS or result["peak_mb"] >= BUDGET_MB:
            over.append(name)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    table = report(pairs) + f"\nLoad average when measured: {load} (2 cores).\n"
    print("\n" + table)
    if args.write:
        RESULTS.write_text(
            "# `specfirst diff` on consecutive GHES releases\n\n"
            "Written by `make diff-corpus` (`python -m corpus.diff_pairs --with-dotcom --write`)"
            " from @octokit/openapi: 3.17-3.19 and api.github.com from the version `make"
            " corpus-fetch` installs, the older releases from the older versions"
            " `corpus/ghes-history/package.json` lists (`make corpus-ghes-fetch`). A pair is"
            " read from one package version when one holds both releases; `ghes-3.7@10.0.0`"
            " names the release and the package version. Times and peak RSS are"
            " those of one child process that imports specfirst, loads both documents (JSON,"
            " 9 to 13 MB each, with source positions) and diffs them; the budget is 10 s of"
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
