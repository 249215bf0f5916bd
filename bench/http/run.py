"""Serving benchmark under uvicorn and wrk: server CPU per request, as ratios in one run.

Every server answers the same petstore API (``petstore.yaml``) from the same data
(``data.py``): a 20-item list, a get by id, and a create with a JSON body. Each runs as one
uvicorn worker (uvloop, httptools, no access log) pinned to one core with ``taskset``; ``wrk``
drives it from the other core over loopback for a bounded time. The figure per server and
endpoint is the server process's CPU time (``/proc/<pid>/stat``, user + system) divided by the
requests wrk completed: machine noise from other jobs inflates wall-clock throughput but
hardly CPU per request. Rounds are interleaved (every server, then the next round) and the
median is kept. Ratios are relative to idiomatic FastAPI (above 1 is cheaper).

    .venv/bin/python bench/http/run.py [--duration 4] [--rounds 3] [--connections 16]

Needs ``wrk`` and ``taskset`` (``apt-get install -y wrk``; ``make bench-serve`` installs wrk
when missing) and, for connexion, a venv of its own: ``.cache/bench/cnx`` is created on first
use with ``pip install 'connexion[uvicorn]>=3.3'`` (connexion is no dependency of the tool).
"""

from __future__ import annotations

import argparse
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
import urllib.error
import urllib.request
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


@dataclass
class Server:
    label: str
    app: str  # module:attribute, imported from bench/http with the build directory on sys.path
    python: Path = PYTHON
    pid: int = 0
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    cpu: dict[str, list[float]] = field(default_factory=dict)  # endpoint -> µs per request
    p99: dict[str, list[float]] = field(default_factory=dict)  # endpoint -> ms
    rps: dict[str, list[float]] = field(default_factory=dict)


def servers(with_connexion: bool) -> list[Server]:
    found = [
        Server(BASELINE, "app_fastapi:app"),
        Server("FastAPI (response_model, models)", "app_fastapi:app_models"),
        Server("specfirst (returns models)", "app_specfirst:app"),
        Server("specfirst (returns dicts)", "app_specfirst:app_dicts"),
        Server(
            "FastAPI (response_model, dicts, OpenTelemetry off)", "app_fastapi:app_no_telemetry"
        ),
        Server("specfirst (returns models, OpenTelemetry off)", "app_specfirst:app_no_telemetry"),
        Server("datamodel-code-generator server (async)", "app_dcg:app"),
        Server("bare Starlette (floor, no validation)", "app_floor:app"),
    ]
    if with_connexion:
        cnx = CNX_VENV / "bin" / "python"
        found.append(Server("connexion 3", "app_connexion:app", cnx))
        found.append(Server("connexion 3 (validate_responses)", "app_connexion:app_validated", cnx))
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


def fetch(server: Server, method: str, path: str, body: str) -> tuple[int, Any]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}{path}",
        data=body.encode() if body else None,
        method=method,
        headers={"content-type": "application/json"} if body else {},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def check_answers(all_servers: list[Server]) -> None:
    """Every server answers every endpoint with the same status and document as the baseline."""
    base = all_servers[0]
    for name, (method, path, body) in ENDPOINTS.items():
        expected = fetch(base, method, path, body)
        if expected[0] not in (200, 201):
            sys.exit(f"{base.label} {name}: {expected}")
        for server in all_servers[1:]:
            got = fetch(server, method, path, body)
            if got != expected and "floor" not in server.label:
                sys.exit(f"{server.label} answers {name} differently:\n{got}\nvs\n{expected}")


# ---------------------------------------------------------------- measuring


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


def report(all_servers: list[Server], args: argparse.Namespace) -> dict[str, Any]:
    base = all_servers[0]
    rows = []
    for server in all_servers:
        row: dict[str, Any] = {"server": server.label}
        for endpoint in ENDPOINTS:
            cpu = statistics.median(server.cpu[endpoint])
            row[endpoint] = {
                "cpu_us": round(cpu, 1),
                "ratio": round(statistics.median(base.cpu[endpoint]) / cpu, 2),
                "p99_ms": round(statistics.median(server.p99[endpoint]), 2),
                "rps": round(statistics.median(server.rps[endpoint])),
            }
        rows.append(row)
    return {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": " ".join(["bench/http/run.py", *sys.argv[1:]]),
        "duration_s": args.duration,
        "rounds": args.rounds,
        "connections": args.connections,
        "baseline": BASELINE,
        "rows": rows,
    }


def markdown(data: dict[str, Any]) -> str:
    endpoints = list(ENDPOINTS)
    head = "| server | " + " | ".join(endpoints) + " |"
    lines = [head, "|---|" + "---|" * len(endpoints)]
    for row in data["rows"]:
        cells = [
            f"**{row[e]['ratio']:.2f}** ({row[e]['cpu_us']:.0f} µs, p99 {row[e]['p99_ms']:.1f} ms)"
            for e in endpoints
        ]
        lines.append(f"| {row['server']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=4, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-connexion", action="store_true")
    parser.add_argument("--only", help="comma-separated substrings of server labels to run")
    args = parser.parse_args()
    for tool in ("wrk", "taskset"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: apt-get install -y {tool} (or make bench-serve)")
    prepare(not args.no_connexion)
    chosen = servers(not args.no_connexion)
    if args.only:
        wanted = args.only.split(",")
        chosen = [chosen[0]] + [s for s in chosen[1:] if any(w in s.label for w in wanted)]
    try:
        for server in chosen:
            start(server)
        check_answers(chosen)
        for round_ in range(args.rounds):
            for endpoint in ENDPOINTS:
                for server in chosen:
                    measure(server, endpoint, args.duration, args.connections)
            print(f"round {round_ + 1}/{args.rounds} done", file=sys.stderr)
    finally:
        for server in chosen:
            stop(server)
    data = report(chosen, args)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous["serving"] = data
    RESULTS.write_text(json.dumps(previous, indent=2) + "\n")
    print(markdown(data))


if __name__ == "__main__":
    main()
