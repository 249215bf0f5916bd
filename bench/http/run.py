"""Serving benchmark under uvicorn and wrk: server CPU per request, as ratios in one run.

Every server answers the same petstore API (``petstore.yaml``) from the same data
(``data.py``): a 20-item list, a get by id, and a create with a JSON body. Each runs as one
uvicorn worker (uvloop, httptools, no access log) pinned to one core with ``taskset``; ``wrk``
drives it from the other core over loopback for a bounded time. The figure per server and
endpoint is the server process's CPU time (``/proc/<pid>/stat``, user + system) divided by the
requests wrk completed: machine noise from other jobs inflates wall-clock throughput but
hardly CPU per request. Rounds are interleaved (every server, then the next round), and
within a round the two servers of each pair run back to back, in swapped order every other
round (:func:`timing_order`).

The headline is like-for-like pairs (:data:`PAIRS`): specfirst and hand-written FastAPI
written the same way (both build models per request; both return models built at start; both
return dicts; a class service built per request with a session from a ``yield`` dependency,
against FastAPI's ``Depends``). Each round's ratio of a pair is kept (its two servers ran
back to back), and the report gives the median and the spread (min-max) over the rounds. The
other servers are compared with idiomatic FastAPI (dicts) the same way. Above 1 is cheaper.

Before timing, every server's answers are checked in full (:func:`check_answers`): status,
headers (all but ``date`` and ``server``) and body, of the three success requests and of the
error requests (a 404, a 422 body and a 422 query parameter).

    .venv/bin/python bench/http/run.py [--duration 3] [--rounds 3] [--connections 16]

Needs ``wrk`` and ``taskset`` (``apt-get install -y wrk``; ``make bench-serve`` installs wrk
when missing) and, for connexion, a venv of its own: ``.cache/bench/cnx`` is created on first
use with ``pip install 'connexion[uvicorn]>=3.3'`` (connexion is no dependency of the tool).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BUILD = ROOT / ".cache" / "bench" / "http"
CNX_VENV = ROOT / ".cache" / "bench" / "cnx"
RESULTS = HERE.parent / "results.json"
PYTHON = Path(sys.executable)
SERVER_CORE, CLIENT_CORE = "1", "0"

NEW_PET = json.dumps({"name": "Rex", "tag": "dog", "age": 3})
ENDPOINTS: dict[str, tuple[str, str, str]] = {
    # name: (method, path, body)
    "list 20": ("GET", "/pets?limit=20", ""),
    "get by id": ("GET", "/pets/7", ""),
    "create": ("POST", "/pets", NEW_PET),
}
BASELINE = "FastAPI (response_model, dicts)"

# Requests whose answers are checked (not timed): (method, path, body).
ERRORS: dict[str, tuple[str, str, str]] = {
    "get 404": ("GET", "/pets/1000", ""),
    "create 422": ("POST", "/pets", json.dumps({"name": "", "age": 3})),
    "list 422": ("GET", "/pets?limit=0", ""),
}


@dataclass
class Server:
    label: str
    app: str  # module:attribute, imported from bench/http with the build directory on sys.path
    family: str  # servers of one family answer errors identically (see EXPECTED_ERRORS)
    python: Path = PYTHON
    pid: int = 0
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    cpu: dict[str, list[float]] = field(default_factory=dict)  # endpoint -> µs per request
    p99: dict[str, list[float]] = field(default_factory=dict)  # endpoint -> ms
    rps: dict[str, list[float]] = field(default_factory=dict)


FA_MODELS_PER_REQUEST = "FastAPI (response_model, models built per request)"
FA_MODELS_PREBUILT = "FastAPI (response_model, models built at start)"
FA_DEPENDS = "FastAPI (class service via Depends, yield session, models per request)"
SF_MODELS_PER_REQUEST = "specfirst (models built per request)"
SF_MODELS_PREBUILT = "specfirst (models built at start)"
SF_DICTS = "specfirst (returns dicts)"
SF_CLASS = "specfirst (class service, yield session, models per request)"

# The headline: like-for-like pairs, (name, specfirst server, FastAPI server).
PAIRS: list[tuple[str, str, str]] = [
    ("both build models per request", SF_MODELS_PER_REQUEST, FA_MODELS_PER_REQUEST),
    ("both return models built at start", SF_MODELS_PREBUILT, FA_MODELS_PREBUILT),
    ("both return dicts", SF_DICTS, BASELINE),
    ("class service + per-request yield dependency", SF_CLASS, FA_DEPENDS),
]


def servers(with_connexion: bool, telemetry: bool) -> list[Server]:
    found = [
        Server(BASELINE, "app_fastapi:app", "fastapi"),
        Server(FA_MODELS_PER_REQUEST, "app_fastapi:app_per_request", "fastapi"),
        Server(FA_MODELS_PREBUILT, "app_fastapi:app_models", "fastapi"),
        Server(FA_DEPENDS, "app_fastapi:app_depends", "fastapi"),
        Server(SF_MODELS_PER_REQUEST, "app_specfirst:app_per_request", "specfirst"),
        Server(SF_MODELS_PREBUILT, "app_specfirst:app", "specfirst"),
        Server(SF_DICTS, "app_specfirst:app_dicts", "specfirst"),
        Server(SF_CLASS, "app_specfirst:app_class", "specfirst"),
        Server("datamodel-code-generator server (async)", "app_dcg:app", "dcg"),
        Server("bare Starlette (floor, no validation)", "app_floor:app", "floor"),
    ]
    if telemetry:
        found += [
            Server(f"{BASELINE}, OpenTelemetry off", "app_fastapi:app_no_telemetry", "fastapi"),
            Server(f"{SF_MODELS_PREBUILT}, OpenTelemetry off", "app_specfirst:app_no_telemetry", "specfirst"),
        ]  # fmt: skip
    if with_connexion:
        cnx = CNX_VENV / "bin" / "python"
        found.append(Server("connexion 3", "app_connexion:app", "connexion", cnx))
        found.append(
            Server("connexion 3 (validate_responses)", "app_connexion:app_validated", "connexion", cnx)
        )  # fmt: skip
    return found


# ---------------------------------------------------------------- preparing the servers


def prepare(with_connexion: bool) -> None:
    """Generate specfirst's and datamodel-code-generator's packages; set up connexion's venv."""
    sys.path.insert(0, str(ROOT / "generator"))
    from specfirst.pipeline import generate

    BUILD.mkdir(parents=True, exist_ok=True)
    result = generate(HERE / "petstore.yaml", BUILD / "sf_petstore", cache_dir=None)
    if not result.ok:
        sys.exit("specfirst generate failed: " + "; ".join(d.format() for d in result.diagnostics))
    dcg = BUILD / "dcg"
    shutil.rmtree(dcg, ignore_errors=True)
    dcg.mkdir()
    subprocess.run(
        [
            str(PYTHON.parent / "datamodel-codegen"),
            "--input", str(HERE / "petstore.yaml"), "--input-file-type", "openapi",
            "--output", "dcg_models.py", "--output-model-type", "pydantic_v2.BaseModel",
            "--generate-server", "fastapi", "--server-output", "dcg_server",
            "--server-package", "dcg_server", "--server-model-package", "dcg_models",
            "--server-handler-mode", "async", "--formatters", "builtin",
        ],
        cwd=dcg, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    if with_connexion and not (CNX_VENV / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(CNX_VENV)], check=True)
        pip = [str(CNX_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, "connexion[uvicorn]>=3.3"], check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(server: Server) -> None:
    server.port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(BUILD), str(BUILD / "dcg")])}
    command = [
        "taskset", "-c", SERVER_CORE, str(server.python), "-m", "uvicorn", server.app,
        "--host", "127.0.0.1", "--port", str(server.port), "--workers", "1",
        "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    server.proc = subprocess.Popen(command, cwd=HERE, env=env)
    server.pid = server.proc.pid
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            sys.exit(f"{server.label} exited with {server.proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"{server.label} did not start within 60 s")


def stop(server: Server) -> None:
    if server.proc is not None and server.proc.poll() is None:
        server.proc.send_signal(signal.SIGTERM)
        try:
            server.proc.wait(10)
        except subprocess.TimeoutExpired:
            server.proc.kill()


@dataclass(frozen=True)
class Answer:
    status: int
    headers: tuple[tuple[str, str], ...]  # sorted, lower-case names, without date and server
    body: Any  # the JSON document

    def content_type(self) -> str:
        return dict(self.headers).get("content-type", "")


def fetch(server: Server, method: str, path: str, body: str) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        headers = {"content-type": "application/json"} if body else {}
        connection.request(method, path, body=body.encode() if body else None, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        kept = sorted(
            (k.lower(), v) for k, v in response.getheaders() if k.lower() not in ("date", "server")
        )
    finally:
        connection.close()
    if dict(kept).get("content-length") != str(len(raw)):
        sys.exit(f"{server.label} {method} {path}: content-length does not match the body")
    try:
        document = json.loads(raw)
    except ValueError:
        sys.exit(f"{server.label} {method} {path}: not JSON: {raw[:200]!r}")
    # content-length differs with the JSON's spacing (the floor uses json.dumps' default)
    return Answer(response.status, tuple(kept), document)


def _shape(answer: Answer) -> tuple[int, tuple[str, ...], str, Any]:
    """What must match across servers: status, header names, content type, document."""
    return answer.status, tuple(k for k, _ in answer.headers), answer.content_type(), answer.body


# The error answers each family gives, in full (status, content type, document). FastAPI's
# validation errors are its own format; specfirst answers problem+json (RFC 9457) with JSON
# pointers; a missing pet is the spec's Error document for every server that declares it.
_NOT_FOUND = {"code": 404, "message": "no such pet"}
_JSON = "application/json"
_PROBLEM = "application/problem+json"
EXPECTED_ERRORS: dict[str, dict[str, tuple[int, str, Any]]] = {
    "fastapi": {
        "get 404": (404, _JSON, _NOT_FOUND),
        "create 422": (422, _JSON, {"detail": [{
            "type": "string_too_short", "loc": ["body", "name"],
            "msg": "String should have at least 1 character", "input": "",
            "ctx": {"min_length": 1},
        }]}),
        "list 422": (422, _JSON, {"detail": [{
            "type": "greater_than_equal", "loc": ["query", "limit"],
            "msg": "Input should be greater than or equal to 1", "input": "0",
            "ctx": {"ge": 1},
        }]}),
    },
    "specfirst": {
        "get 404": (404, _JSON, _NOT_FOUND),
        "create 422": (422, _PROBLEM, {
            "type": "about:blank", "title": "Unprocessable Content", "status": 422,
            "detail": "the request body does not match the API contract", "instance": "/pets",
            "errors": [{"pointer": "/body/name", "detail": "String should have at least 1 character"}],
        }),
        "list 422": (422, _PROBLEM, {
            "type": "about:blank", "title": "Unprocessable Content", "status": 422,
            "detail": "the request does not match the API contract", "instance": "/pets",
            "errors": [{"pointer": "/query/limit", "detail": "Input should be greater than or equal to 1"}],
        }),
    },
    "dcg": {
        "get 404": (404, _JSON, {"detail": "no such pet"}),
        "create 422": (422, _JSON, {"detail": [{
            "type": "string_too_short", "loc": ["body", "name"],
            "msg": "String should have at least 1 character",
        }]}),
        "list 422": (422, _JSON, {"detail": [{
            "type": "greater_than_equal", "loc": ["query", "limit"],
            "msg": "Input should be greater than or equal to 1",
        }]}),
    },
}  # fmt: skip
# Families whose error documents are their own (checked within the family): the status only.
# connexion answers invalid requests 400; the floor validates nothing (the create and list
# "errors" succeed), which is what makes it the floor.
EXPECTED_ERROR_STATUSES: dict[str, dict[str, int]] = {
    "connexion": {"get 404": 404, "create 422": 400, "list 422": 400},
    "floor": {"get 404": 404, "create 422": 201, "list 422": 200},
}


def check_answers(all_servers: list[Server]) -> list[str]:
    """Every server answers as the baseline on success, and as its family on errors.

    Success: the same status, header names, content type and document as the baseline.
    Errors: each family's pinned answer (:data:`EXPECTED_ERRORS`), where one is pinned, and
    in any case the same full answer (headers' values included) within a family. Returns one
    line per server saying what was checked; exits naming the first difference.
    """
    base = all_servers[0]
    covered: list[str] = []
    expected_ok = {name: fetch(base, *request) for name, request in ENDPOINTS.items()}
    for name, answer in expected_ok.items():
        if answer.status not in (200, 201):
            sys.exit(f"{base.label} {name}: {answer}")
    first_of_family: dict[str, dict[str, Answer]] = {}
    for server in all_servers:
        for name, request in ENDPOINTS.items():
            got = fetch(server, *request)
            if _shape(got) != _shape(expected_ok[name]):
                sys.exit(
                    f"{server.label} answers {name} differently from {base.label}:\n"
                    f"{_shape(got)}\nvs\n{_shape(expected_ok[name])}"
                )
        errors = {name: fetch(server, *request) for name, request in ERRORS.items()}
        pinned = EXPECTED_ERRORS.get(server.family, {})
        statuses = EXPECTED_ERROR_STATUSES.get(server.family, {})
        for name, got in errors.items():
            if name in pinned and (got.status, got.content_type(), got.body) != pinned[name]:
                sys.exit(f"{server.label} answers {name} with {got}, expected {pinned[name]}")
            if name not in pinned and got.status != statuses.get(name):
                sys.exit(f"{server.label} answers {name} with {got}: no expected answer")
        family = first_of_family.setdefault(server.family, errors)
        for name, got in errors.items():
            if got != family[name]:
                sys.exit(
                    f"{server.label} answers {name} unlike the rest of its family "
                    f"({server.family}):\n{got}\nvs\n{family[name]}"
                )
        seen = ", ".join(f"{name}: {got.status}" for name, got in errors.items())
        how = "pinned in full" if pinned else "status pinned, the same across the family"
        covered.append(
            f"{server.label}: {len(ENDPOINTS)} success answers as the baseline's; "
            f"errors ({seen}) {how}"
        )
    return covered


# ---------------------------------------------------------------- measuring


def timing_order(chosen: list[Server], round_: int) -> list[Server]:
    """The servers in the order one round times them: each pair back to back (the first and
    second of a pair swapped every other round), so that a pair's ratio compares two
    measurements of the same minute of a shared machine; then the others."""
    by_label = {s.label: s for s in chosen}
    order: list[Server] = []
    for _name, ours, theirs in PAIRS:
        pair = [by_label[label] for label in (theirs, ours) if label in by_label]
        order += pair[::-1] if round_ % 2 else pair
    return order + [s for s in chosen if s not in order]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


_LATENCY = re.compile(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_REQUESTS = re.compile(r"(\d+) requests in")
_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(server: Server, endpoint: str, seconds: int, connections: int) -> tuple[int, float]:
    method, path, body = ENDPOINTS[endpoint]
    command = ["taskset", "-c", CLIENT_CORE, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s"]
    command += ["--latency", "--timeout", "5s"]
    if method == "POST":
        script = BUILD / "post.lua"
        script.write_text(
            'wrk.method = "POST"\n'
            f"wrk.body = {json.dumps(body)}\n"
            'wrk.headers["Content-Type"] = "application/json"\n'
        )
        command += ["-s", str(script)]
    command.append(f"http://127.0.0.1:{server.port}{path}")
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"wrk failed on {server.label} {endpoint}: {done.stderr or done.stdout}")
    out = done.stdout
    if "Non-2xx" in out or "Socket errors" in out:
        sys.exit(f"{server.label} {endpoint}: wrk saw errors\n{out}")
    requests = int(_REQUESTS.search(out).group(1))  # type: ignore[union-attr]
    p99 = _LATENCY.search(out)
    return requests, float(p99.group(1)) * _UNIT[p99.group(2)] if p99 else float("nan")


def measure(server: Server, endpoint: str, seconds: int, connections: int) -> None:
    wrk(server, endpoint, 1, connections)  # warm-up: caches, lazily built validators
    before = cpu_seconds(server.pid)
    started = time.monotonic()
    requests, p99 = wrk(server, endpoint, seconds, connections)
    elapsed = time.monotonic() - started
    used = cpu_seconds(server.pid) - before
    server.cpu.setdefault(endpoint, []).append(used / requests * 1e6)
    server.p99.setdefault(endpoint, []).append(p99)
    server.rps.setdefault(endpoint, []).append(requests / elapsed)


def _ratios(server: Server, against: Server, endpoint: str) -> list[float]:
    """One ratio per round: ``against``'s CPU per request over ``server``'s, in that round."""
    return [a / b for a, b in zip(against.cpu[endpoint], server.cpu[endpoint], strict=True)]


def _summary(ratios: list[float]) -> dict[str, Any]:
    return {
        "median": round(statistics.median(ratios), 2),
        "min": round(min(ratios), 2),
        "max": round(max(ratios), 2),
        "rounds": [round(r, 3) for r in ratios],
    }


def report(
    all_servers: list[Server], args: argparse.Namespace, covered: list[str]
) -> dict[str, Any]:
    base = all_servers[0]
    by_label = {s.label: s for s in all_servers}
    rows = []
    for server in all_servers:
        row: dict[str, Any] = {"server": server.label}
        for endpoint in ENDPOINTS:
            row[endpoint] = {
                "cpu_us": round(statistics.median(server.cpu[endpoint]), 1),
                "ratio": _summary(_ratios(server, base, endpoint)),
                "p99_ms": round(statistics.median(server.p99[endpoint]), 2),
                "rps": round(statistics.median(server.rps[endpoint])),
            }
        rows.append(row)
    pairs = []
    for name, ours, theirs in PAIRS:
        if ours in by_label and theirs in by_label:
            pair: dict[str, Any] = {"pair": name, "specfirst": ours, "fastapi": theirs}
            for endpoint in ENDPOINTS:
                pair[endpoint] = _summary(_ratios(by_label[ours], by_label[theirs], endpoint))
            pairs.append(pair)
    return {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": " ".join(["bench/http/run.py", *sys.argv[1:]]),
        "load_before": args.load_before,
        "load_after": os.getloadavg()[0],
        "duration_s": args.duration,
        "rounds": args.rounds,
        "connections": args.connections,
        "baseline": BASELINE,
        "checked": covered,
        "pairs": pairs,
        "rows": rows,
    }


def _cell(summary: dict[str, Any]) -> str:
    return f"**{summary['median']:.2f}** ({summary['min']:.2f}-{summary['max']:.2f})"


def markdown(data: dict[str, Any]) -> str:
    endpoints = list(ENDPOINTS)
    lines = [
        "Like-for-like pairs: FastAPI's CPU per request over specfirst's, median of the "
        "per-round ratios (min-max)",
        "",
        "| pair | " + " | ".join(endpoints) + " |",
        "|---|" + "---|" * len(endpoints),
    ]
    for pair in data["pairs"]:
        cells = [_cell(pair[e]) for e in endpoints]
        lines.append(f"| {pair['pair']} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Every server against {data['baseline']}: ratio median (min-max), CPU µs per request, p99",
        "",
        "| server | " + " | ".join(endpoints) + " |",
        "|---|" + "---|" * len(endpoints),
    ]
    for row in data["rows"]:
        cells = [
            f"{_cell(row[e]['ratio'])} {row[e]['cpu_us']:.0f} µs, p99 {row[e]['p99_ms']:.1f} ms"
            for e in endpoints
        ]
        lines.append(f"| {row['server']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=3, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-connexion", action="store_true")
    parser.add_argument("--telemetry", action="store_true", help="add the OpenTelemetry-off apps")
    parser.add_argument("--check-only", action="store_true", help="check the answers, time nothing")
    parser.add_argument("--only", help="comma-separated substrings of server labels to run")
    args = parser.parse_args()
    args.load_before = os.getloadavg()[0]
    for tool in ("wrk", "taskset"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: apt-get install -y {tool} (or make bench-serve)")
    prepare(not args.no_connexion)
    chosen = servers(not args.no_connexion, args.telemetry)
    if args.only:
        wanted = args.only.split(",")
        chosen = [chosen[0]] + [s for s in chosen[1:] if any(w in s.label for w in wanted)]
    try:
        for server in chosen:
            start(server)
        covered = check_answers(chosen)
        print("\n".join(["checked:", *covered]), file=sys.stderr)
        if args.check_only:
            return
        for round_ in range(args.rounds):
            for endpoint in ENDPOINTS:
                for server in timing_order(chosen, round_):
                    measure(server, endpoint, args.duration, args.connections)
            print(f"round {round_ + 1}/{args.rounds} done", file=sys.stderr)
    finally:
        for server in chosen:
            stop(server)
    data = report(chosen, args, covered)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous["serving"] = data
    RESULTS.write_text(json.dumps(previous, indent=2) + "\n")
    print(markdown(data))


if __name__ == "__main__":
    main()
