"""The edit loop: ``specfirst generate`` after one edit, against datamodel-code-generator's run.

For each spec (the reference spec, bundled; GitHub's REST API), and for each of ``--rounds``
rounds, in fresh processes one after the other on the same machine:

- datamodel-code-generator alone, models only (``--formatters builtin``) on the bundled spec:
  the yardstick, measured in every round so that each ratio is taken within one round;
- ``specfirst generate`` cold (no cache), then after each edit of issue 21 in turn (a
  schema's description, a property added to it, an operation added with an inline body):
  wall time, ratio to the yardstick, files written, and how many schemas' models were made
  again (``-v``'s note);
- the same, warm: with a warm generator running (:mod:`specfirst.warm`, started for the
  benchmark in a socket folder of its own), each ``specfirst generate`` a fresh client process
  that hands its run to it (rows ``warm: …``; the rows above run with ``SPECFIRST_DAEMON=0``,
  so both figures are there);
- with ``--watch`` (reference spec only): ``specfirst generate --watch`` running, the time
  from saving each edit to the manifest written (the last file a run writes).

Medians and spread (min to max) of the rounds; ``--json`` keeps every figure.

    .venv/bin/python bench/generate_incremental.py [--rounds 3] [--skip-github] [--json FILE]

GitHub's spec needs the corpus (``make corpus-fetch``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".cache/corpus/node_modules/@octokit/openapi/generated/api.github.com.json"
SPECFIRST = [sys.executable, "-m", "specfirst"]
DCG = str(Path(sys.executable).parent / "datamodel-codegen")


COLD_ENV = {**os.environ, "SPECFIRST_DAEMON": "0"}
"""Every fresh-process row: no warm generator used or started."""


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in MB (children included) and stderr of one command."""
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
    done = subprocess.run(wrapped, cwd=cwd, capture_output=True, text=True, env=env or COLD_ENV)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(args[:5])} … failed:\n{done.stderr[-3000:]}")
    return elapsed, int(done.stdout.split()[-1]) // 1024, done.stderr


Edit = Callable[[Path], None]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        sys.exit(f"{path}: {old!r} not found; update the benchmark's edit")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


REFERENCE_OPERATION = """\
  /things:
    post:
      operationId: createThing
      tags: [health]
      summary: Create a thing
      description: Added by the benchmark.
      security: []
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string, maxLength: 100}
      responses:
        "204":
          description: Created.
"""

REFERENCE_EDITS: dict[str, Edit] = {
    "schema description": lambda spec: _replace(
        spec.parent / "schemas/task.yaml",
        "description: A unit of work in a project.",
        "description: A unit of work in a project (edited).",
    ),
    "property added": lambda spec: _replace(
        spec.parent / "schemas/task.yaml",
        "  properties:\n    id:\n",
        "  properties:\n    notes:\n      type: string\n      maxLength: 500\n    id:\n",
    ),
    "operation added": lambda spec: _replace(spec, "paths:\n", "paths:\n" + REFERENCE_OPERATION),
}


def _json_edit(change: Callable[[dict[str, Any]], None]) -> Edit:
    def edit(spec: Path) -> None:
        doc = json.loads(spec.read_bytes())
        change(doc)
        spec.write_text(json.dumps(doc), encoding="utf-8")

    return edit


def _user(doc: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = doc["components"]["schemas"]["simple-user"]
    return schema


def _github_operation(doc: dict[str, Any]) -> None:
    body = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
    doc["paths"]["/specfirst/things"] = {
        "post": {
            "operationId": "specfirst/create-thing",
            "summary": "Create a thing",
            "tags": ["meta"],
            "requestBody": {"content": {"application/json": {"schema": body}}},
            "responses": {"204": {"description": "Created"}},
        }
    }


GITHUB_EDITS: dict[str, Edit] = {
    "simple-user description": _json_edit(
        lambda d: _user(d).__setitem__("description", "A GitHub user (edited).")
    ),
    "simple-user property added": _json_edit(
        lambda d: _user(d)["properties"].__setitem__("pronouns", {"type": "string"})
    ),
    "operation added": _json_edit(_github_operation),
}


def _report(stderr: str) -> tuple[int | None, str]:
    """Files written, and the models note (schemas made again), from ``generate -v``."""
    written = re.search(r"(\d+) file\(s\) written", stderr)
    note = re.search(
        r"models of \d+ of \d+ schemas (?:generated again|patched: descriptions only)"
        r"|models generated in full[^\n]*",
        stderr,
    )
    return (int(written.group(1)) if written else None), (note.group(0) if note else "")


def _fresh_copy(source: Path, work: Path) -> Path:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    if source.is_dir():
        shutil.copytree(source, work / "specs")
        return work / "specs/api.yaml"
    shutil.copyfile(source, work / source.name)
    return work / source.name


def one_round(
    name: str,
    source: Path,
    bundled: Callable[[Path], Path],
    edits: dict[str, Edit],
    work: Path,
    warm_env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One round on a fresh copy of the spec: the yardstick, cold, then each edit; then, with
    ``warm_env`` (a warm generator's), the same on another fresh copy, each run warm."""
    spec = _fresh_copy(source, work)
    out: dict[str, Any] = {}
    cmd = [*SPECFIRST, "generate", str(spec), "--output", str(work / "pkg"), "-p", "pkg"]
    wall, rss, _ = run([*cmd, "--quiet"], work)
    out["cold"] = {"wall_s": wall, "peak_rss_mb": rss}
    dcg_input = bundled(work)
    wall, rss, _ = run(
        [DCG, "--input", str(dcg_input), "--input-file-type", "openapi",
         "--output", str(work / "dcg_models.py"), "--formatters", "builtin"],
        work,
    )  # fmt: skip
    out["dcg"] = {"wall_s": wall, "peak_rss_mb": rss}
    for label, edit in edits.items():
        edit(spec)
        wall, rss, err = run([*cmd, "-v"], work)
        _where(err, "ran in this process")
        written, note = _report(err)
        out[label] = {"wall_s": wall, "written": written, "models": note}
    if warm_env is not None:
        warm = work / "warm"
        spec = _fresh_copy(source, warm)
        cmd = [*SPECFIRST, "generate", str(spec), "--output", str(warm / "pkg"), "-p", "pkg"]
        wall, rss, err = run([*cmd, "-v"], warm, warm_env)
        _where(err, "ran in the warm generator")
        out["warm: cold"] = {"wall_s": wall, "peak_rss_mb": rss}
        for label, edit in edits.items():
            edit(spec)
            wall, rss, err = run([*cmd, "-v"], warm, warm_env)
            _where(err, "ran in the warm generator")
            written, note = _report(err)
            out[f"warm: {label}"] = {"wall_s": wall, "written": written, "models": note}
    print(f"  {name}: " + ", ".join(f"{k} {v['wall_s']:.2f}s" for k, v in out.items()), flush=True)
    return out


def _where(stderr: str, expected: str) -> None:
    if f"specfirst: {expected}" not in stderr:
        sys.exit(f"expected a run that says {expected!r}; it said:\n{stderr[-2000:]}")


class WarmGenerator:
    """A warm generator for the benchmark's ``warm: …`` rows, in a socket folder of its own."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(mode=0o700)
        self.env = {k: v for k, v in os.environ.items() if k not in ("CI", "SPECFIRST_DAEMON")}
        self.env["SPECFIRST_DAEMON_DIR"] = str(folder)
        self.proc = subprocess.Popen(
            [*SPECFIRST[:1], "-m", "specfirst.warm.server", "serve"],
            env=self.env,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stderr is not None
        line = self.proc.stderr.readline()
        if not line.startswith("listening at"):
            self.stop()
            sys.exit(f"the warm generator did not start: {line}")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        assert self.proc.stderr is not None
        self.proc.stderr.close()


def watch_round(source: Path, edits: dict[str, Edit], work: Path) -> dict[str, float]:
    """Save → manifest written, for each edit, under ``specfirst generate --watch``."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    shutil.copytree(source, work / "specs")
    spec = work / "specs/api.yaml"
    manifest = work / "pkg/.specfirst-manifest.json"
    cmd = [*SPECFIRST, "generate", str(spec), "--output", str(work / "pkg"), "-p", "pkg"]
    proc = subprocess.Popen(
        [*cmd, "--watch", "--quiet"], cwd=work, stderr=subprocess.PIPE, text=True, env=COLD_ENV
    )
    times: dict[str, float] = {}
    try:
        _wait_for(lambda: manifest.exists(), 120)
        time.sleep(3)  # the warm worker's start, and watchfiles' own
        for label, edit in edits.items():
            before = manifest.stat().st_mtime_ns
            started = time.perf_counter()
            edit(spec)
            _wait_for(_rewritten(manifest, before), 60)
            times[label] = time.perf_counter() - started
            time.sleep(1)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return times


def _rewritten(path: Path, before: int) -> Callable[[], bool]:
    return lambda: path.stat().st_mtime_ns != before


def _wait_for(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            sys.exit("timed out waiting for specfirst generate --watch")
        time.sleep(0.005)


def summarize(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Per step: median wall time and, within each round, the ratio to the yardstick."""
    summary: dict[str, Any] = {}
    for step in rounds[0]:
        walls = [r[step]["wall_s"] for r in rounds]
        ratios = [r[step]["wall_s"] / r["dcg"]["wall_s"] for r in rounds]
        entry: dict[str, Any] = {
            "median_s": round(statistics.median(walls), 2),
            "spread_s": [round(min(walls), 2), round(max(walls), 2)],
            "ratio_median": round(statistics.median(ratios), 3),
            "ratio_spread": [round(min(ratios), 3), round(max(ratios), 3)],
        }
        for extra in ("peak_rss_mb", "written", "models"):
            if extra in rounds[0][step]:
                entry[extra] = [r[step][extra] for r in rounds]
        summary[step] = entry
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-github", action="store_true")
    parser.add_argument("--skip-watch", action="store_true")
    parser.add_argument("--skip-warm", action="store_true", help="no warm generator rows")
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": " ".join(["bench/generate_incremental.py", *sys.argv[1:]]),
        "machine": f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start",
    }
    with tempfile.TemporaryDirectory(prefix="specfirst-incr-") as tmp:
        work = Path(tmp) / "work"
        specs: list[tuple[str, Path, Callable[[Path], Path], dict[str, Edit]]] = [
            ("reference", ROOT / "specs", lambda w: w / "pkg/openapi.json", REFERENCE_EDITS)
        ]
        if not args.skip_github:
            if not GITHUB.is_file():
                print(f"{GITHUB}: not found; run `make corpus-fetch`", file=sys.stderr)
                return 2
            specs.append(("github", GITHUB, lambda w: w / GITHUB.name, GITHUB_EDITS))
        warm = None if args.skip_warm else WarmGenerator(Path(tmp) / "warm")
        try:
            for name, source, bundled, edits in specs:
                print(name, flush=True)
                env = warm.env if warm else None
                rounds = [
                    one_round(name, source, bundled, edits, work, env) for _ in range(args.rounds)
                ]
                results[name] = {"summary": summarize(rounds), "rounds": rounds}
        finally:
            if warm is not None:
                warm.stop()
        if not args.skip_watch:
            watch = [watch_round(ROOT / "specs", REFERENCE_EDITS, work) for _ in range(args.rounds)]
            results["reference_watch"] = {
                label: {
                    "median_s": round(statistics.median(w[label] for w in watch), 3),
                    "spread_s": [
                        round(min(w[label] for w in watch), 3),
                        round(max(w[label] for w in watch), 3),
                    ],
                }
                for label in REFERENCE_EDITS
            }
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    shown = {
        k: (v["summary"] if isinstance(v, dict) and "summary" in v else v)
        for k, v in results.items()
    }
    print(json.dumps(shown, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
