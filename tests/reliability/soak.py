"""Soak the reference service: many clients, mixed authenticated reads and writes, two workers
on PostgreSQL + Redis, and optionally a database outage or a shutdown in the middle of it.

    python -m tests.reliability.soak                      # what `make soak` runs: all three
    python -m tests.reliability.soak --scenario steady --clients 64 --seconds 30

Every scenario checks, and prints:
- no 5xx, except 503 with `Retry-After` while the database is black-holed;
- every acknowledged write (a 201 task or comment, each with a unique title or body) is in the
  database exactly once, and no write is there twice;
- the login rate limit holds in sum across the workers: of many token requests from one
  address, exactly the limit's budget is let through, whichever worker answered each;
- p50 / p99 / max latency;
- on shutdown: the server exits 0, every request a worker logged was answered to its client
  (nothing in flight was dropped), and some requests were in flight when it was told to stop.

`tests/reliability/test_soak.py` runs short versions of the same scenarios in `make test`.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx
from sqlalchemy.engine import make_url

from tests.impl.backends import TEST_REDIS_URL, redis_client, scratch_postgres_database
from tests.reliability.proxy import FaultProxy
from tests.reliability.servers import Server, running, service_env

Scenario = Literal["steady", "outage", "shutdown"]
PASSWORD = "correct horse battery staple"
EXTRA = 60  # token requests beyond the login budget in the rate-limit check


def login_limit(clients: int) -> int:
    """Per hour, so the logins of a slow set-up are all still in the window when the check
    runs: its budget is this minus one login per client."""
    return 4 * clients + 40


@dataclass
class Outcome:
    operation: str
    request_id: str
    started: float
    ended: float
    status: int | None = None
    error: str | None = None
    retry_after: str | None = None


@dataclass
class Report:
    scenario: str
    clients: int
    seconds: float
    workers: int
    outcomes: list[Outcome] = field(default_factory=list)
    acknowledged: set[str] = field(default_factory=set)
    attempted: set[str] = field(default_factory=set)
    stored: Counter[str] = field(default_factory=Counter)
    rate_limit_allowed: int = 0
    rate_limit_budget: int = 0
    rate_limit_unknown: int = 0
    outage: tuple[float, float] | None = None
    shutdown_at: float | None = None
    exit_code: int | None = None
    unanswered: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def answered(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status is not None]

    def latency_ms(self, q: float) -> float:
        durations = sorted((o.ended - o.started) * 1000 for o in self.answered)
        if not durations:
            return 0.0
        return durations[min(len(durations) - 1, int(q * len(durations)))]

    def check(self) -> None:
        statuses = Counter(o.status for o in self.answered)
        server_errors = [o for o in self.answered if (o.status or 0) >= 500]
        for o in server_errors:
            in_outage = self.outage is not None and o.started <= self.outage[1] + 1
            if not (o.status == 503 and o.retry_after and in_outage):
                self.failures.append(f"{o.operation} answered {o.status} ({o.request_id})")
        missing = sorted(w for w in self.acknowledged if self.stored[w] != 1)
        if missing:
            self.failures.append(
                f"{len(missing)} acknowledged write(s) not stored once: {missing[:5]}"
            )
        twice = sorted(w for w in self.attempted if self.stored[w] > 1)
        if twice:
            self.failures.append(f"{len(twice)} write(s) stored more than once: {twice[:5]}")
        if not (
            self.rate_limit_allowed
            <= self.rate_limit_budget
            <= self.rate_limit_allowed + self.rate_limit_unknown
        ):
            self.failures.append(
                f"the login rate limit let {self.rate_limit_allowed} requests through across the "
                f"workers; its budget was {self.rate_limit_budget}"
            )
        if not statuses.get(200) or not self.acknowledged:
            self.failures.append("no successful reads or writes: the soak proved nothing")
        if self.outage is not None:
            after = [o for o in self.answered if o.started > self.outage[1] + 1 and o.status == 201]
            if not after:
                self.failures.append("no write succeeded after the database came back")
        if self.shutdown_at is not None:
            if self.exit_code != 0:
                self.failures.append(f"the server exited with {self.exit_code}")
            if self.unanswered:
                self.failures.append(
                    f"{len(self.unanswered)} request(s) the server handled never reached the "
                    f"client: {self.unanswered[:5]}"
                )
            in_flight = [o for o in self.answered if o.started < self.shutdown_at < o.ended]
            if not in_flight:
                self.failures.append("no request was in flight at shutdown: nothing was drained")

    def summary(self) -> str:
        statuses = Counter(o.status for o in self.answered)
        errors = Counter(o.error for o in self.outcomes if o.error)
        lines = [
            f"soak {self.scenario}: {self.clients} clients x {self.seconds:.0f} s on "
            f"{self.workers} workers (PostgreSQL + Redis)",
            f"  requests answered: {len(self.answered)} "
            f"({len(self.answered) / max(self.seconds, 0.001):.0f}/s); statuses: "
            + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())),
            f"  latency ms: p50 {self.latency_ms(0.5):.1f}, p99 {self.latency_ms(0.99):.1f}, "
            f"max {self.latency_ms(1.0):.1f}",
            f"  5xx: {sum(v for k, v in statuses.items() if (k or 0) >= 500)}"
            + (" (503 during the outage only)" if self.outage else ""),
            f"  writes: {len(self.acknowledged)} acknowledged, "
            f"{sum(1 for w in self.acknowledged if self.stored[w] == 1)} verified stored once; "
            f"{len(self.attempted)} attempted, none stored twice: "
            f"{not any(self.stored[w] > 1 for w in self.attempted)}",
            f"  login rate limit across workers: {self.rate_limit_allowed} let through, "
            f"budget {self.rate_limit_budget}"
            + (f" ({self.rate_limit_unknown} answered neither)" if self.rate_limit_unknown else ""),
        ]
        if errors:
            lines.append("  transport errors: " + ", ".join(f"{k}: {v}" for k, v in errors.items()))
        if self.shutdown_at is not None:
            in_flight = sum(1 for o in self.answered if o.started < self.shutdown_at < o.ended)
            lines.append(
                f"  shutdown: exit {self.exit_code}, {in_flight} in flight at SIGTERM and "
                f"answered, {len(self.unanswered)} handled but unanswered"
            )
        lines.append("  result: " + ("OK" if not self.failures else "FAILED"))
        lines += [f"    - {f}" for f in self.failures]
        return "\n".join(lines)


class Client:
    """One simulated user: a project, its tasks and comments."""

    def __init__(self, index: int, http: httpx.AsyncClient, report: Report) -> None:
        self.index, self.http, self.report = index, http, report
        self.auth: dict[str, str] = {}
        self.project = ""
        self.tasks: list[str] = []
        self.n = 0
        self.rng = random.Random(index)

    async def call(
        self, operation: str, method: str, url: str, **kwargs: Any
    ) -> httpx.Response | None:
        rid = uuid.uuid4().hex
        headers = {**self.auth, "X-Request-ID": rid, **kwargs.pop("headers", {})}
        outcome = Outcome(operation, rid, time.monotonic(), 0.0)
        self.report.outcomes.append(outcome)
        try:
            response = await self.http.request(method, url, headers=headers, **kwargs)
        except httpx.TransportError as exc:
            outcome.ended, outcome.error = time.monotonic(), type(exc).__name__
            return None
        outcome.ended, outcome.status = time.monotonic(), response.status_code
        outcome.retry_after = response.headers.get("retry-after")
        return response

    async def setup(self) -> None:
        email = f"soak-{self.index}-{uuid.uuid4().hex[:6]}@example.com"
        body = {"email": email, "password": PASSWORD, "display_name": f"Soak {self.index}"}
        registered = await self.call("register", "POST", "/v1/auth/register", json=body)
        assert registered is not None and registered.status_code == 201, registered
        form = {"grant_type": "password", "username": email, "password": PASSWORD}
        token = await self.call("createToken", "POST", "/v1/auth/token", data=form)
        assert token is not None and token.status_code == 200, token
        self.auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
        project = await self.call("createProject", "POST", "/v1/projects", json={"name": "Soak"})
        assert project is not None and project.status_code == 201, project
        self.project = project.json()["id"]

    async def step(self) -> None:
        self.n += 1
        choice = self.rng.choices(
            ["create", "list", "get", "update", "comment", "me"], [25, 25, 20, 10, 10, 10]
        )[0]
        if choice != "create" and not self.tasks:
            choice = "create"
        task = self.rng.choice(self.tasks) if self.tasks else ""
        if choice == "create":
            title = f"soak-{self.index}-{self.n}-{uuid.uuid4().hex[:6]}"
            self.report.attempted.add(title)
            response = await self.call(
                "createTask", "POST", f"/v1/projects/{self.project}/tasks",
                json={"title": title}, headers={"Idempotency-Key": uuid.uuid4().hex},
            )  # fmt: skip
            if response is not None and response.status_code == 201:
                self.report.acknowledged.add(title)
                self.tasks.append(response.json()["id"])
        elif choice == "list":
            await self.call("listTasks", "GET", f"/v1/projects/{self.project}/tasks?limit=20")
        elif choice == "get":
            await self.call("getTask", "GET", f"/v1/tasks/{task}")
        elif choice == "update":
            read = await self.call("getTask", "GET", f"/v1/tasks/{task}")
            if read is not None and read.status_code == 200:
                await self.call(
                    "updateTask", "PATCH", f"/v1/tasks/{task}",
                    content=f'{{"description": "step {self.n}"}}',
                    headers={"If-Match": read.headers["etag"],
                             "Content-Type": "application/merge-patch+json"},
                )  # fmt: skip
        elif choice == "comment":
            text = f"soak-comment-{self.index}-{self.n}-{uuid.uuid4().hex[:6]}"
            self.report.attempted.add(text)
            response = await self.call(
                "createComment", "POST", f"/v1/tasks/{task}/comments", json={"body": text}
            )
            if response is not None and response.status_code == 201:
                self.report.acknowledged.add(text)
        else:
            await self.call("getCurrentUser", "GET", "/v1/users/me")


async def _hammer_login_limit(url: str, report: Report) -> None:
    """Many token requests from this address over fresh connections, so both workers answer
    some: together they must let exactly the remaining budget through."""
    sem = asyncio.Semaphore(16)
    limits = httpx.Limits(max_keepalive_connections=0)
    form = {"grant_type": "refresh_token", "refresh_token": "rt_" + "x" * 43}
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as http:

        async def one() -> int | None:
            async with sem:
                try:
                    return (await http.post("/v1/auth/token", data=form)).status_code
                except httpx.TransportError:
                    return None

        count = report.rate_limit_budget + EXTRA
        codes = await asyncio.gather(*(one() for _ in range(count)))
    # 400: past the limiter (the token is bogus); 429: stopped by it; anything else (a 503
    # while the database is away, a dropped connection) may have counted or not.
    report.rate_limit_allowed = codes.count(400)
    report.rate_limit_unknown = len(codes) - codes.count(400) - codes.count(429)


async def _verify_writes(database_url: str, report: Report) -> None:
    import asyncpg  # type: ignore[import-untyped]

    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn, timeout=10)
    try:
        rows = await connection.fetch(
            "SELECT title AS text, count(*) AS n FROM tasks WHERE title LIKE 'soak-%' GROUP BY title"
            " UNION ALL "
            "SELECT body, count(*) FROM comments WHERE body LIKE 'soak-comment-%' GROUP BY body"
        )
    finally:
        await connection.close()
    report.stored = Counter({row["text"]: row["n"] for row in rows})


async def run(
    scenario: Scenario, *, clients: int, seconds: float, workers: int = 2,
    outage_at: float = 0.2, outage_for: float = 0.4, log_dir: Path | None = None,
) -> Report:  # fmt: skip
    """One soak against a fresh database; `outage_at`/`outage_for` are fractions of `seconds`."""
    report = Report(scenario, clients, seconds, workers)
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="soak-"))
    async with redis_client() as redis, scratch_postgres_database() as database_url:
        await redis.flushdb()  # type: ignore[attr-defined]  # this test index's rate limits
        parsed = make_url(database_url)
        with FaultProxy(parsed.host or "127.0.0.1", parsed.port or 5432) as proxy:
            served_url = database_url
            if scenario == "outage":
                served_url = parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(
                    hide_password=False
                )
            env = service_env({
                "DATABASE_URL": served_url, "REDIS_URL": TEST_REDIS_URL,
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
        await _verify_writes(database_url, report)
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
                if report.outcomes[-1].error == "ConnectError" and scenario == "shutdown":
                    return  # the server is gone: this client is done

        hammer = asyncio.ensure_future(_hammer_login_limit(server.url, report))
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
    report.outage = (time.monotonic(), time.monotonic() + duration)
    await asyncio.sleep(duration)
    await asyncio.to_thread(proxy.restore)
    report.outage = (report.outage[0], time.monotonic())


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
        "--scenario", choices=["all", "steady", "outage", "shutdown"], default="all"
    )
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    scenarios: list[Scenario] = (
        ["steady", "outage", "shutdown"] if args.scenario == "all" else [args.scenario]
    )
    ok = True
    for scenario in scenarios:
        report = asyncio.run(
            run(scenario, clients=args.clients, seconds=args.seconds, workers=args.workers)
        )
        print(report.summary(), flush=True)
        ok = ok and not report.failures
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
