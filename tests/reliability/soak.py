"""Soak the reference service: many clients, mixed authenticated reads and writes, two workers
on PostgreSQL + Redis, and optionally a database outage or a shutdown in the middle of it, or
exports through faults.

    python -m tests.reliability.soak                      # what `make soak` runs: all four
    python -m tests.reliability.soak --scenario steady --clients 64 --seconds 30
    python -m tests.reliability.soak --scenario faults --burst 64 --export-wait 120

Scenarios: `steady`; `outage` (PostgreSQL black-holed for a while); `shutdown` (SIGTERM under
load); `faults` (a job worker of its own, a burst of exports, a PostgreSQL black hole while
exports run, `kill -9` of an API worker and of the job worker, idempotent retries after each:
`tests/reliability/soak_faults.py` says what it checks and reports).

Every scenario checks, and prints:
- no 5xx, except 503 with `Retry-After` while the database is black-holed;
- every acknowledged write (a 201 task or comment, each with a unique title or body) is in the
  database exactly once, and no write is there twice;
- the login rate limit holds in sum across the workers: of many token requests from one
  address, exactly the limit's budget is let through, whichever worker answered each;
- p50 / p99 / max latency;
- on shutdown: the server exits 0, every request a worker logged was answered to its client
  (nothing in flight was dropped), and some requests were in flight when it was told to stop.

Each run's rate limits live under a Redis key prefix of its own (`RATE_LIMIT_KEY_PREFIX`), so
other test runs sharing the tests' Redis database neither disturb its counts nor are flushed.
The exit status is 1 when any scenario failed a check.

`tests/reliability/test_soak.py` runs short versions of the same scenarios in `make test`.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import tempfile
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import Literal

import httpx
from sqlalchemy.engine import make_url

from tests.impl.backends import TEST_REDIS_URL, scratch_postgres_database
from tests.reliability.load import (
    Client,
    Report,
    hammer_login_limit,
    login_limit,
    rate_limit_namespace,
    verify_writes,
)
from tests.reliability.proxy import FaultProxy
from tests.reliability.servers import Server, running, service_env
from tests.reliability.soak_faults import FaultReport, run_faults

Scenario = Literal["steady", "outage", "shutdown"]


async def run(
    scenario: Scenario, *, clients: int, seconds: float, workers: int = 2,
    outage_at: float = 0.2, outage_for: float = 0.4, log_dir: Path | None = None,
) -> Report:  # fmt: skip
    """One soak against a fresh database; `outage_at`/`outage_for` are fractions of `seconds`."""
    report = Report(scenario, clients, seconds, workers)
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="soak-"))
    async with rate_limit_namespace() as prefix, scratch_postgres_database() as database_url:
        parsed = make_url(database_url)
        with FaultProxy(parsed.host or "127.0.0.1", parsed.port or 5432) as proxy:
            served_url = database_url
            if scenario == "outage":
                served_url = parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(
                    hide_password=False
                )
            env = service_env({
                "DATABASE_URL": served_url, "REDIS_URL": TEST_REDIS_URL,
                "RATE_LIMIT_KEY_PREFIX": prefix,
                "STORAGE_DIR": str(log_dir / "files"),
                "RATE_LIMIT_API": "100000/minute", "RATE_LIMIT_LOGIN": f"{login_limit(report.clients)}/hour",
                "DATABASE_POOL_SIZE": "16", "DATABASE_MAX_OVERFLOW": "8",
            })  # fmt: skip
            if scenario == "outage":  # the service's timeouts, shortened to fit a short outage
                env.update({
                    "DATABASE_STATEMENT_TIMEOUT_SECONDS": "1",
                    "DATABASE_CONNECT_TIMEOUT_SECONDS": "1", "RETRY_AFTER_SECONDS": "2",
                })  # fmt: skip
            with running(env, log_dir / "server.log", workers=workers) as server:
                await _drive(server, scenario, report, proxy, outage_at, outage_for)
        await verify_writes(database_url, report)
    report.check()
    return report


async def _drive(
    server: Server, scenario: Scenario, report: Report, proxy: FaultProxy,
    outage_at: float, outage_for: float,
) -> None:  # fmt: skip
    timeout = httpx.Timeout(60)
    https = [httpx.AsyncClient(base_url=server.url, timeout=timeout) for _ in range(report.clients)]
    try:
        sims = [Client(i, http, report) for i, http in enumerate(https)]
        sem = asyncio.Semaphore(8)  # registration hashes passwords: do not queue 64 at once

        async def setup(sim: Client) -> None:
            async with sem:
                await sim.setup()

        await asyncio.gather(*(setup(sim) for sim in sims))
        # Each client logged in once from this address; the rest is the check's.
        report.rate_limit_budget = login_limit(report.clients) - report.clients
        started = time.monotonic()
        deadline = started + report.seconds
        stop = asyncio.Event()

        # On shutdown the clients keep going until the server has exited (not until the
        # deadline): the SIGTERM waits for the login check, which may outlast the deadline
        # on a loaded machine, and requests must still be in flight when it arrives.
        until = deadline + 120 if scenario == "shutdown" else deadline

        async def loop(sim: Client) -> None:
            while time.monotonic() < until and not stop.is_set():
                await sim.step()
                if sim.last.error == "ConnectError" and scenario == "shutdown":
                    return  # the server is gone: this client is done

        hammer = asyncio.ensure_future(hammer_login_limit(server.url, report))
        side: list[Awaitable[None]] = [hammer]
        if scenario == "outage":
            side.append(_outage(proxy, report, started + outage_at * report.seconds,
                                outage_for * report.seconds))  # fmt: skip
        if scenario == "shutdown":
            side.append(_shutdown(server, report, started + report.seconds / 2, stop, hammer))
        await asyncio.gather(*(loop(sim) for sim in sims), *side)
    finally:
        for http in https:
            await http.aclose()
    report.seconds = time.monotonic() - started
    if scenario == "shutdown":
        sent = {o.request_id for o in report.outcomes}
        answered = {o.request_id for o in report.answered}
        handled = [
            str(line.get("request_id"))
            for line in server.lines()
            if line.get("logger") == "impl.access" and line.get("request_id") in sent
        ]
        report.unanswered = [rid for rid in handled if rid not in answered]


async def _at(moment: float) -> None:
    await asyncio.sleep(max(0.0, moment - time.monotonic()))


async def _outage(proxy: FaultProxy, report: Report, at: float, duration: float) -> None:
    await _at(at)
    await asyncio.to_thread(proxy.blackhole)
    report.outages.append((time.monotonic(), time.monotonic() + duration))
    await asyncio.sleep(duration)
    await asyncio.to_thread(proxy.restore)
    report.outages[-1] = (report.outages[-1][0], time.monotonic())


async def _shutdown(
    server: Server, report: Report, at: float, stop: asyncio.Event, hammer: Awaitable[None]
) -> None:
    await _at(at)
    await hammer  # the rate-limit check counts answers: let it finish first
    report.shutdown_at = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    report.exit_code = await asyncio.to_thread(server.process.wait, 60)
    stop.set()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--scenario", choices=["all", "steady", "outage", "shutdown", "faults"], default="all"
    )
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--burst", type=int, default=64, help="faults: exports requested at once")
    parser.add_argument(
        "--export-wait", type=float, default=120,
        help="faults: seconds to wait after the load for exports to finish; unfinished then = stuck",
    )  # fmt: skip
    args = parser.parse_args(argv)
    scenarios: list[Scenario | Literal["faults"]] = (
        ["steady", "outage", "shutdown", "faults"] if args.scenario == "all" else [args.scenario]
    )
    ok = True
    for scenario in scenarios:
        report: Report | FaultReport
        if scenario == "faults":
            faults = run_faults(
                clients=args.clients, seconds=args.seconds, workers=args.workers,
                burst=args.burst, export_wait=args.export_wait,
            )  # fmt: skip
            report = asyncio.run(faults)
        else:
            report = asyncio.run(
                run(scenario, clients=args.clients, seconds=args.seconds, workers=args.workers)
            )
        print(report.summary(), flush=True)
        ok = ok and not report.failures
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
