"""The soak's `faults` scenario: exports and idempotent writes under steady load, through faults.

Two API workers (`uvicorn --workers 2`) and one job worker of its own (`python -m impl.worker`)
on PostgreSQL, reached through a `FaultProxy`, and Redis. While every client keeps up mixed
reads and writes (and now and then starts an export and follows it to its download), in phases:

1. **burst**: 64 exports requested at once (`--burst`);
2. **black hole**: PostgreSQL stops answering (API and job worker alike) while exports run;
3. **API kill**: `kill -9` of one uvicorn worker process in the middle of its requests
   (uvicorn starts a new one);
4. **job kill**: `kill -9` of the job worker while it runs an export, then a new job worker.

After each fault the writes sent with an `Idempotency-Key` around it are sent again, same key,
same body: a write that was answered 201 must be replayed (same status, same body); one that
was not (cut off, 503) must run once, at once or once its lease passes. A key still answering
409 "in use" `IDEMPOTENCY_LEASE_SECONDS` + 10 s after its fault (and after its retry could
start) is *wedged*.

When the load stops, the soak waits for the exports (at most `--export-wait` seconds) and
counts them from the database: done, failed (with their reasons), stuck (still pending or
running past that bound), and lost (acknowledged with a 202 but not in the database). It
reads each worker's resident memory (`VmRSS` in /proc) when the load starts and when it ends.

It fails when an export is stuck or lost, a key is wedged, a replay differs from the answer
it replays, any 5xx but a 503 (with `Retry-After`) is answered, an acknowledged write is not
stored exactly once, a stored file belongs to nobody, or a fault hit nothing (no export
running at the black hole or the job kill). A 503 outside the black hole is counted and
printed, not failed: on an overloaded machine a request's wait for a pooled connection
(`DATABASE_POOL_TIMEOUT_SECONDS`) can run out, and the service then answers as it should.
"""

from __future__ import annotations

import asyncio
import os
import signal
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url

from tests.impl.backends import TEST_REDIS_URL, scratch_postgres_database
from tests.reliability.load import (
    Client,
    IdempotentWrite,
    Outcome,
    Report,
    login_limit,
    rate_limit_namespace,
    verify_writes,
)
from tests.reliability.observe import (
    JobWorkerProcess,
    Ledger,
    api_workers,
    connections,
    logged,
    rss_kib,
)
from tests.reliability.proxy import FaultProxy
from tests.reliability.servers import Server, running, service_env

IDEMPOTENCY_LEASE = 3.0
"""`IDEMPOTENCY_LEASE_SECONDS` in this scenario: how long a killed request holds its key."""
JOB_LEASE = 4.0
"""`JOB_LEASE_SECONDS`: how long a killed job worker holds its jobs."""
WEDGED_AFTER = IDEMPOTENCY_LEASE + 10
"""A key still "in use" this long after its fault is wedged."""


@dataclass
class Fault:
    name: str
    at: float
    until: float
    note: str = ""
    missed: str | None = None
    """Why the fault proved nothing (it hit no running export), if it did not."""
    pids: tuple[int, ...] = ()
    """The processes there were when it struck."""


@dataclass
class Retries:
    """Idempotent writes sent again after one fault, by what they answered."""

    sent: int = 0
    replayed: int = 0
    """Answered 201 before; the retry replayed the same status and body."""
    ran: int = 0
    """Not answered 201 before (cut off, 503); the retry answered 201 (ran once)."""
    waited: int = 0
    """Of those, how many met a 409 "in use" first (a lease still held)."""
    unavailable: int = 0
    """Still 503 (or no connection) at the bound: the service said "later", not "in use"."""
    wedged: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


@dataclass
class FaultReport(Report):
    burst: int = 64
    export_wait: float = 120.0
    faults: list[Fault] = field(default_factory=list)
    retries: dict[str, Retries] = field(default_factory=dict)
    export_states: Counter[str] = field(default_factory=Counter)
    failed_reasons: Counter[str] = field(default_factory=Counter)
    stuck: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    waited: float = 0.0
    rss: dict[str, list[int | None]] = field(default_factory=dict)
    """Worker → [VmRSS in KiB when the load started (or the worker did), at the end]."""
    orphans: list[str] = field(default_factory=list)
    deletions_left: int = 0

    def check(self) -> None:
        super().check()
        if self.stuck:
            self.failures.append(f"{len(self.stuck)} export(s) stuck: {self.stuck[:5]}")
        if self.lost:
            self.failures.append(f"{len(self.lost)} acknowledged export(s) lost: {self.lost[:5]}")
        if not self.export_states.get("done"):
            self.failures.append("no export was done: the soak proved nothing about exports")
        for name, tally in self.retries.items():
            if tally.wedged:
                self.failures.append(
                    f"{name}: {len(tally.wedged)} key(s) wedged: {tally.wedged[:3]}"
                )
            if tally.wrong:
                self.failures.append(
                    f"{name}: {len(tally.wrong)} wrong retry answer(s): {tally.wrong[:3]}"
                )
        if self.orphans:
            self.failures.append(
                f"{len(self.orphans)} stored file(s) nobody owns: {self.orphans[:3]}"
            )
        self.failures += [f"{f.name}: {f.missed}" for f in self.faults if f.missed]

    def summary(self) -> str:
        other, stray = self.server_errors()
        statuses = Counter(o.status for o in self.answered)
        errors = Counter(o.error for o in self.outcomes if o.error)
        lines = [
            f"soak faults: {self.clients} clients x {self.seconds:.0f} s on {self.workers} API "
            "workers + 1 job worker (PostgreSQL through a fault proxy, Redis)",
            f"  requests answered: {len(self.answered)} "
            f"({len(self.answered) / max(self.seconds, 0.001):.0f}/s); statuses: "
            + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())),
            f"  latency ms: p50 {self.latency_ms(0.5):.1f}, p99 {self.latency_ms(0.99):.1f}, "
            f"max {self.latency_ms(1.0):.1f}",
            "  transport errors: "
            + (", ".join(f"{k}: {v}" for k, v in errors.items()) if errors else "none"),
            f"  5xx other than 503: {other}; 503 outside the black hole: {stray}; 503 in it: "
            f"{statuses.get(503, 0) - stray}",
            "  faults:",
            *(f"    {f.name} at {f.at - self.started:.1f} s: {f.note}" for f in self.faults),
            f"  idempotent retries after each fault (wedged = still 409 {WEDGED_AFTER:g} s on):",
            *(
                f"    {name}: {t.sent} sent again: {t.replayed} replayed identically, {t.ran} "
                f"ran once ({t.waited} after waiting out a lease), {len(t.wedged)} wedged, "
                f"{len(t.wrong)} wrong, {t.unavailable} still 503 at the bound"
                for name, t in self.retries.items()
            ),
            f"  exports: {len(self.exports)} acknowledged; after the load, waited "
            f"{self.waited:.1f} s (bound {self.export_wait:g} s): "
            f"{self.export_states.get('done', 0)} completed, "
            f"{self.export_states.get('failed', 0)} failed with a reason, "
            f"{len(self.stuck)} stuck, {len(self.lost)} lost",
            *(f"    failed: {n} x {reason}" for reason, n in self.failed_reasons.most_common()),
            f"  stored files nobody owns: {len(self.orphans)}; file deletions still queued: "
            f"{self.deletions_left}",
            f"  writes: {len(self.acknowledged)} acknowledged, "
            f"{sum(1 for w in self.acknowledged if self.stored[w] == 1)} verified stored once; "
            f"none stored twice: {not any(self.stored[w] > 1 for w in self.attempted)}",
            "  memory (VmRSS MiB, load start → end):",
            *(
                f"    {name}: {_mib(a)} → {_mib(b)}{_growth(a, b)}"
                for name, (a, b) in self.rss.items()
            ),
            "  result: " + ("OK" if not self.failures else "FAILED"),
            *(f"    - {f}" for f in self.failures),
        ]
        return "\n".join(lines)

    started: float = 0.0


def _mib(kib: int | None) -> str:
    return "gone" if kib is None else f"{kib / 1024:.1f}"


def _growth(start: int | None, end: int | None) -> str:
    return "" if start is None or end is None else f" ({(end - start) / 1024:+.1f})"


# -- the scenario -----------------------------------------------------------------------------


async def run_faults(
    *, clients: int, seconds: float, workers: int = 2, burst: int = 64, big_rows: int = 10000,
    blackhole_for: float = 3.0, export_wait: float = 120.0, log_dir: Path | None = None,
) -> FaultReport:  # fmt: skip
    """One faults soak against a fresh database (see the module's docstring)."""
    report = FaultReport("faults", clients, seconds, workers, burst=burst, export_wait=export_wait)
    report.outage_grace = 2.0
    report.only_503_in_outages = False  # reported; the exit criterion is 5xx other than 503
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="soak-faults-"))
    storage = log_dir / "files"
    async with rate_limit_namespace() as prefix, scratch_postgres_database() as database_url:
        parsed = make_url(database_url)
        ledger = Ledger(database_url)
        with FaultProxy(parsed.host or "127.0.0.1", parsed.port or 5432) as proxy:
            served = parsed.set(host="127.0.0.1", port=proxy.port)
            env = service_env({
                "DATABASE_URL": served.render_as_string(hide_password=False),
                "REDIS_URL": TEST_REDIS_URL, "RATE_LIMIT_KEY_PREFIX": prefix,
                "STORAGE_DIR": str(storage),
                "RATE_LIMIT_API": "100000/minute",
                "RATE_LIMIT_LOGIN": f"{login_limit(clients)}/hour",
                "DATABASE_POOL_SIZE": "16", "DATABASE_MAX_OVERFLOW": "8",
                # the service's timeouts, shortened to fit a short black hole
                "DATABASE_STATEMENT_TIMEOUT_SECONDS": "2",
                "DATABASE_CONNECT_TIMEOUT_SECONDS": "1", "RETRY_AFTER_SECONDS": "2",
                "IDEMPOTENCY_LEASE_SECONDS": str(IDEMPOTENCY_LEASE),
                "JOB_LEASE_SECONDS": str(JOB_LEASE), "JOB_CONCURRENCY": "4",
                "EXPORT_RETRY_INITIAL_SECONDS": "0.5", "EXPORT_RETRY_MAX_SECONDS": "2",
                "EXPORT_SWEEP_SECONDS": "5", "EXPORT_ATTEMPT_TIMEOUT_SECONDS": "30",
                # far past the soak: what finishes, finishes by itself, not by the deadline
                "EXPORT_DEADLINE_SECONDS": "3600",
            })  # fmt: skip
            job_worker = JobWorkerProcess(env, log_dir / "worker.log")
            with running(env, log_dir / "server.log", workers=workers) as server:
                job_worker.start()
                try:
                    await _drive(server, job_worker, proxy, ledger, report, big_rows, blackhole_for)
                    await _settle(ledger, report)
                    _memory(report, server, job_worker, end=True)
                finally:
                    job_worker.stop()
        await verify_writes(database_url, report)
        await _count_exports(ledger, report, storage)
    report.check()
    return report


async def _drive(
    server: Server, job_worker: JobWorkerProcess, proxy: FaultProxy, ledger: Ledger,
    report: FaultReport, big_rows: int, blackhole_for: float,
) -> None:  # fmt: skip
    https = [
        httpx.AsyncClient(base_url=server.url, timeout=httpx.Timeout(60))
        for _ in range(report.clients)
    ]
    try:
        sims = [Client(i, http, report, exports=True) for i, http in enumerate(https)]
        sem = asyncio.Semaphore(8)  # registration hashes passwords: do not queue 64 at once

        async def setup(sim: Client) -> None:
            async with sem:
                await sim.setup()

        await asyncio.gather(*(setup(sim) for sim in sims))
        big = sims[0]  # its second project, with many tasks: exports of it take a while
        made = await big.call("createProject", "POST", "/v1/projects", json={"name": "Big"})
        assert made is not None and made.status_code == 201, made
        big_project = made.json()["id"]
        await ledger.seed(big_project, big_rows)
        _memory(report, server, job_worker, end=False)
        report.started = started = time.monotonic()
        deadline = started + report.seconds
        done = asyncio.Event()  # the load goes on until every phase is over

        async def loop(sim: Client) -> None:
            while time.monotonic() < deadline or not done.is_set():
                await sim.step()

        async def phases() -> None:
            retries: list[asyncio.Task[None]] = []
            at = started + 0.1 * report.seconds
            await _at(at)
            await _burst(sims, report)
            await _at(started + 0.3 * report.seconds)
            await _blackhole(proxy, big, big_project, ledger, report, blackhole_for)
            retries.append(asyncio.create_task(_retry(server.url, report, report.faults[-1])))
            await _at(started + 0.55 * report.seconds)
            killed = await _kill_api_worker(server, report)
            retries.append(asyncio.create_task(_retry(server.url, report, killed)))
            retries.append(asyncio.create_task(_replaced(server, report, killed)))
            await _at(started + 0.75 * report.seconds)
            await _kill_job_worker(job_worker, big, big_project, ledger, report)
            retries.append(asyncio.create_task(_retry(server.url, report, report.faults[-1])))
            await asyncio.gather(*retries)
            done.set()

        await asyncio.gather(*(loop(sim) for sim in sims), phases())
    finally:
        for http in https:
            await http.aclose()
    report.seconds = time.monotonic() - started


async def _at(moment: float) -> None:
    await asyncio.sleep(max(0.0, moment - time.monotonic()))


async def _burst(sims: list[Client], report: FaultReport) -> None:
    at = time.monotonic()
    ids = await asyncio.gather(*(sims[n % len(sims)].export() for n in range(report.burst)))
    acknowledged = sum(1 for export_id in ids if export_id is not None)
    report.faults.append(
        Fault(f"burst of {report.burst} exports", at, time.monotonic(),
              f"{acknowledged} acknowledged (202) in {time.monotonic() - at:.1f} s")
    )  # fmt: skip


async def _running_export(
    big: Client, project: str, ledger: Ledger, count: int = 2
) -> Counter[str]:
    """Start `count` exports of the big project; return once one of them runs (or 30 s)."""
    ids = [i for i in await asyncio.gather(*(big.export(project) for _ in range(count))) if i]
    until = time.monotonic() + 30
    states: Counter[str] = Counter()
    while time.monotonic() < until:
        rows = await ledger.fetch(
            "SELECT status, count(*) AS n FROM exports WHERE id::text = ANY($1::text[])"
            " GROUP BY status",
            ids,
        )
        states = Counter({row["status"]: row["n"] for row in rows})
        if states.get("running"):
            return states
        await asyncio.sleep(0.05)
    return states


async def _blackhole(
    proxy: FaultProxy, big: Client, project: str, ledger: Ledger, report: FaultReport,
    duration: float,
) -> None:  # fmt: skip
    states = await _running_export(big, project, ledger)
    await asyncio.to_thread(proxy.blackhole)
    at = time.monotonic()
    report.outages.append((at, at + duration))
    await asyncio.sleep(duration)
    await asyncio.to_thread(proxy.restore)
    report.outages[-1] = (at, time.monotonic())
    report.faults.append(
        Fault("PostgreSQL black hole", at, time.monotonic(),
              f"{states.get('running', 0)} export(s) running, {states.get('pending', 0)} pending "
              f"of the big project's; {time.monotonic() - at:.1f} s", _missed(states))
    )  # fmt: skip


async def _kill_api_worker(server: Server, report: FaultReport) -> Fault:
    """SIGKILL the worker holding the most client connections; wait for its replacement."""
    port = int(server.url.rsplit(":", 1)[1])
    before = api_workers(server)
    held = {pid: connections(pid, port) for pid in before}
    victim = max(before, key=lambda pid: held[pid])
    os.kill(victim, signal.SIGKILL)
    at = time.monotonic()
    fault = Fault(
        "kill -9 of an API worker", at, at, f"pid {victim} with {held[victim]} connection(s)",
        pids=tuple(before),
    )  # fmt: skip
    report.faults.append(fault)
    return fault


async def _replaced(server: Server, report: FaultReport, fault: Fault) -> None:
    """Wait for uvicorn's new worker to be ready; count what the kill cut off."""
    until = fault.at + 90
    new: list[int] = []
    while time.monotonic() < until and not new:
        new = [pid for pid in api_workers(server) if pid not in fault.pids]
        await asyncio.sleep(0.1)
    ready = await logged(server.log, "Application startup complete.", new[0] if new else 0, until)
    cut = {id(o) for o in report.outcomes if o.error and o.started <= fault.at <= o.ended}
    writes = sum(1 for w in report.idempotent if id(w.outcome) in cut)
    fault.note += f"; {len(cut)} request(s) cut ({writes} idempotent write(s)); " + (
        f"replaced, ready in {time.monotonic() - fault.at:.1f} s" if ready else "NOT replaced"
    )
    if not ready:
        fault.missed = "uvicorn did not replace the killed worker"
    _memory(report, server, None, end=False)  # the replacement, from its start


async def _kill_job_worker(
    job_worker: JobWorkerProcess, big: Client, project: str, ledger: Ledger, report: FaultReport
) -> None:
    states = await _running_export(big, project, ledger)
    victim = job_worker.pid
    at = time.monotonic()
    job_worker.kill()
    await asyncio.sleep(1)
    job_worker.start()
    started = await logged(job_worker.log, "job worker started", job_worker.pid, at + 60)
    report.faults.append(
        Fault("kill -9 of the job worker", at, at,
              f"{states.get('running', 0)} export(s) running, {states.get('pending', 0)} pending "
              f"of the big project's; pid {victim}; a new one started after 1 s, ready in "
              f"{time.monotonic() - at:.1f} s", _missed(states) or (None if started else "the new job worker never started"))
    )  # fmt: skip
    _memory(report, None, job_worker, end=False)  # the new one, from its start


def _missed(states: Counter[str]) -> str | None:
    return None if states.get("running") else "no export was running: it proved nothing"


async def _retry(url: str, report: FaultReport, fault: Fault) -> None:
    """Send again every idempotent write around `fault` (see the module's docstring)."""
    tally = report.retries.setdefault(fault.name, Retries())
    low, high = fault.at - 1, fault.until + report.outage_grace
    writes = [w for w in report.idempotent if w.outcome.started <= high]
    until = time.monotonic() + 70  # every request has its answer or its error by then
    while any(w.outcome.ended == 0 for w in writes) and time.monotonic() < until:
        await asyncio.sleep(0.1)
    writes = [w for w in writes if w.outcome.ended >= low]
    sem = asyncio.Semaphore(8)
    async with httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(30)) as http:

        async def again(write: IdempotentWrite) -> None:
            async with sem:
                # a key is wedged when it is still "in use" long past its lease, counted from
                # the fault or from when its retry could start (a loaded machine is slow)
                wedged_at = max(fault.until, time.monotonic()) + WEDGED_AFTER
                await _send_again(http, report, tally, write, wedged_at)

        await asyncio.gather(*(again(w) for w in writes))


async def _send_again(
    http: httpx.AsyncClient, report: FaultReport, tally: Retries, write: IdempotentWrite,
    wedged_at: float,
) -> None:  # fmt: skip
    tally.sent += 1
    in_use = False
    while True:
        outcome = Outcome("createTask (retry)", "", time.monotonic(), 0.0)
        report.outcomes.append(outcome)
        response: httpx.Response | None = None
        try:
            answer = await http.post(
                write.url, json=write.body, headers={**write.auth, "Idempotency-Key": write.key}
            )
        except httpx.TransportError as exc:
            outcome.ended, outcome.error = time.monotonic(), type(exc).__name__
        else:
            outcome.ended, outcome.status = time.monotonic(), answer.status_code
            outcome.retry_after = answer.headers.get("retry-after")
            response = answer
        code = _code(response)
        if (
            response is not None
            and response.status_code == 409
            and code == "idempotency_key_in_use"
        ):
            in_use = True
        elif response is not None and response.status_code != 503:
            _judge(report, tally, write, response, in_use)
            return
        if time.monotonic() > wedged_at:
            if in_use:
                tally.wedged.append(write.key)
            else:
                tally.unavailable += 1
            return
        await asyncio.sleep(0.5)


def _judge(
    report: FaultReport, tally: Retries, write: IdempotentWrite, response: httpx.Response,
    in_use: bool,
) -> None:  # fmt: skip
    before = write.outcome.status
    if before == 201:
        if response.status_code == 201 and response.content == write.response:
            tally.replayed += 1
        else:
            tally.wrong.append(f"{write.key}: 201 before, {response.status_code} on retry")
    elif response.status_code == 201:
        tally.ran += 1
        tally.waited += in_use
        report.acknowledged.add(write.text)
    else:
        tally.wrong.append(f"{write.key}: {before} before, {response.status_code} on retry")


def _code(response: httpx.Response | None) -> str | None:
    if response is None or not response.headers.get("content-type", "").endswith("json"):
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("code") if isinstance(body, dict) else None


# -- the end ----------------------------------------------------------------------------------


def _memory(
    report: FaultReport, server: Server | None, job_worker: JobWorkerProcess | None, *, end: bool
) -> None:
    """Record VmRSS of every worker: at the start (or when first seen), and at the end."""
    workers = api_workers(server) if server is not None else []
    pids = {f"API worker (pid {pid})": pid for pid in workers}
    if job_worker is not None:
        pids[f"job worker {job_worker.generation} (pid {job_worker.pid})"] = job_worker.pid
    for name, pid in pids.items():
        slot = report.rss.setdefault(name, [None, None])
        if slot[0] is None and not end:
            slot[0] = rss_kib(pid)
        if end:
            slot[1] = rss_kib(pid)


async def _settle(ledger: Ledger, report: FaultReport) -> None:
    """Wait (at most `export_wait` s) until no export is pending or running and every recorded
    file deletion (a job too) is done."""
    at = time.monotonic()
    while True:
        states = await ledger.statuses()
        rows = await ledger.fetch("SELECT count(*) AS n FROM file_deletions")
        report.deletions_left = rows[0]["n"]
        unfinished = states.get("pending", 0) + states.get("running", 0)
        if not unfinished and not report.deletions_left:
            break
        if time.monotonic() - at >= report.export_wait:
            break
        await asyncio.sleep(0.5)
    report.waited = time.monotonic() - at


async def _count_exports(ledger: Ledger, report: FaultReport, storage: Path) -> None:
    rows = await ledger.fetch("SELECT id::text AS id, status, error, storage_key FROM exports")
    seen = {row["id"] for row in rows}
    report.lost = sorted(set(report.exports) - seen)
    report.export_states = Counter(row["status"] for row in rows)
    report.failed_reasons = Counter(row["error"] for row in rows if row["status"] == "failed")
    report.stuck = [row["id"] for row in rows if row["status"] in ("pending", "running")]
    owned = {row["storage_key"] for row in rows if row["storage_key"]}
    deleting = {
        row["storage_key"] for row in await ledger.fetch("SELECT storage_key FROM file_deletions")
    }
    files = [p for p in storage.rglob("*") if p.is_file()] if storage.exists() else []
    report.orphans = sorted(
        key
        for key in (p.relative_to(storage).as_posix() for p in files)
        if key not in owned and key not in deleting
    )
