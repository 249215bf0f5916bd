"""The load the soaks put on the reference service: simulated users doing mixed authenticated
reads and writes, what each request answered, and the checks every soak applies to that.

- `Client`: one user with a project, its tasks and comments; `step()` is one random action.
- `Report`: every outcome, every write attempted and acknowledged, what the database holds;
  `check()` lists what went wrong (5xx outside a database outage, an acknowledged write not
  stored exactly once, a write stored twice, a rate limit that leaked across the workers).
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy.engine import make_url

from tests.impl.backends import redis_client

PASSWORD = "correct horse battery staple"
EXTRA = 60  # token requests beyond the login budget in the rate-limit check


def login_limit(clients: int) -> int:
    """Per hour, so the logins of a slow set-up are all still in the window when the check
    runs: its budget is this minus one login per client."""
    return 4 * clients + 40


@asynccontextmanager
async def rate_limit_namespace() -> AsyncIterator[str]:
    """A `RATE_LIMIT_KEY_PREFIX` of this run's own in the tests' Redis database, deleted
    afterwards: the soak's exact login-limit count neither sees nor spends the budgets of
    other test runs sharing that database (and never flushes it under them)."""
    prefix = f"soak-{uuid.uuid4().hex[:12]}"
    async with redis_client() as redis:
        try:
            yield prefix
        finally:
            keys = [key async for key in redis.scan_iter(match=f"{prefix}*")]  # type: ignore[attr-defined]
            if keys:
                await redis.delete(*keys)  # type: ignore[attr-defined]


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
class IdempotentWrite:
    """A create sent with an `Idempotency-Key`: what was sent and what came back."""

    url: str
    key: str
    body: dict[str, str]
    text: str
    """The unique title it writes, to find it in the database."""
    outcome: Outcome
    auth: dict[str, str]
    response: bytes | None = None


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
    outages: list[tuple[float, float]] = field(default_factory=list)
    """Monotonic (start, end) of each database outage: 503 with `Retry-After` is fine then."""
    outage_grace: float = 1.0
    """Seconds after an outage's end in which a request may still answer 503."""
    only_503_in_outages: bool = True
    """Whether a 503 (with `Retry-After`) outside the outages fails the check too, or is
    only reported (e.g. a pool wait that ran out on an overloaded machine)."""
    idempotent: list[IdempotentWrite] = field(default_factory=list)
    """Every create sent with an `Idempotency-Key`, for retrying after a fault."""
    exports: dict[str, str] = field(default_factory=dict)
    """Export id → the status last seen, for every export acknowledged with a 202."""
    shutdown_at: float | None = None
    exit_code: int | None = None
    unanswered: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def answered(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status is not None]

    def in_outage(self, o: Outcome) -> bool:
        """Whether the request overlapped a database outage (or its grace after)."""
        return any(o.ended >= s and o.started <= e + self.outage_grace for s, e in self.outages)

    def server_errors(self) -> tuple[int, int]:
        """(5xx other than 503, 503 outside the outages)."""
        other = sum(1 for o in self.answered if (o.status or 0) >= 500 and o.status != 503)
        stray = sum(1 for o in self.answered if o.status == 503 and not self.in_outage(o))
        return other, stray

    def latency_ms(self, q: float) -> float:
        durations = sorted((o.ended - o.started) * 1000 for o in self.answered)
        if not durations:
            return 0.0
        return durations[min(len(durations) - 1, int(q * len(durations)))]

    def check(self) -> None:
        statuses = Counter(o.status for o in self.answered)
        server_errors = [o for o in self.answered if (o.status or 0) >= 500]
        for o in server_errors:
            excused = self.in_outage(o) or not self.only_503_in_outages
            if not (o.status == 503 and o.retry_after and excused):
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
        if self.outages:
            end = self.outages[-1][1] + self.outage_grace
            after = [o for o in self.answered if o.started > end and o.status == 201]
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
            + (" (503 during the outage only)" if self.outages else ""),
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

    def __init__(
        self, index: int, http: httpx.AsyncClient, report: Report, *, exports: bool = False
    ) -> None:
        self.index, self.http, self.report = index, http, report
        self.auth: dict[str, str] = {}
        self.project = ""
        self.tasks: list[str] = []
        self.with_exports = exports
        """Whether `step()` also starts exports now and then, and follows them."""
        self.exports: list[str] = []
        self.last = Outcome("", "", 0.0, 0.0)
        """This client's latest request (other clients' run concurrently)."""
        self.n = 0
        self.rng = random.Random(index)

    async def call(
        self, operation: str, method: str, url: str, **kwargs: Any
    ) -> httpx.Response | None:
        rid = uuid.uuid4().hex
        headers = {**self.auth, "X-Request-ID": rid, **kwargs.pop("headers", {})}
        outcome = Outcome(operation, rid, time.monotonic(), 0.0)
        self.report.outcomes.append(outcome)
        self.last = outcome
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
            ["create", "list", "get", "update", "comment", "me", "export", "poll"],
            [25, 25, 20, 10, 10, 10, *((1, 6) if self.with_exports else (0, 0))],
        )[0]
        if choice == "poll" and not self.exports:
            choice = "export"
        if choice not in ("create", "export", "poll") and not self.tasks:
            choice = "create"
        task = self.rng.choice(self.tasks) if self.tasks else ""
        if choice == "create":
            title = f"soak-{self.index}-{self.n}-{uuid.uuid4().hex[:6]}"
            self.report.attempted.add(title)
            url, key = f"/v1/projects/{self.project}/tasks", uuid.uuid4().hex
            write = IdempotentWrite(
                url, key, {"title": title}, title, Outcome("", "", 0, 0), self.auth
            )
            self.report.idempotent.append(write)
            response = await self.call(
                "createTask", "POST", url, json=write.body, headers={"Idempotency-Key": key}
            )
            write.outcome = self.last
            if response is not None:
                write.response = response.content
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
        elif choice == "export":
            await self.export()
        elif choice == "poll":
            await self.poll(self.rng.choice(self.exports))
        else:
            await self.call("getCurrentUser", "GET", "/v1/users/me")

    async def export(self, project: str | None = None) -> str | None:
        """Start an export of this client's project (or `project`): its id once acknowledged."""
        response = await self.call(
            "createExport", "POST", f"/v1/projects/{project or self.project}/exports"
        )
        if response is None or response.status_code != 202:
            return None
        export_id: str = response.json()["id"]
        self.exports.append(export_id)
        self.report.exports[export_id] = "pending"
        return export_id

    async def poll(self, export_id: str) -> None:
        """Read an export's status; download it once done (the CSV must be there)."""
        response = await self.call("getExport", "GET", f"/v1/exports/{export_id}")
        if response is None or response.status_code != 200:
            return
        status = self.report.exports[export_id] = response.json()["status"]
        if status != "done":
            return
        self.exports.remove(export_id)
        download = await self.call("downloadExport", "GET", f"/v1/exports/{export_id}/content")
        if download is not None and download.status_code == 200:
            if not download.text.startswith("id,title,"):
                self.report.failures.append(f"export {export_id} downloaded without its header")
        elif download is not None and download.status_code != 503:
            self.report.failures.append(
                f"export {export_id} is done but its download answered {download.status_code}"
            )


async def hammer_login_limit(url: str, report: Report) -> None:
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


async def verify_writes(database_url: str, report: Report) -> None:
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
