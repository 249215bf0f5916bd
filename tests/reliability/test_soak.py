"""Short soaks in `make test` (outage 8 clients x 6 s, shutdown 8 x 4 s, faults 6 x 8 s; the
full one is `make soak`: 64 clients x 30 s per scenario).

Two workers on PostgreSQL + Redis, mixed authenticated reads and writes, and each scenario's
checks (`tests/reliability/soak.py`): no 5xx (503 with `Retry-After` only while the database is
black-holed), every acknowledged write stored exactly once, the login rate limit exact in sum
across the workers, and on shutdown every request a worker handled answered to its client.
The faults scenario (`tests/reliability/soak_faults.py`) adds a job worker, exports and
`kill -9`: no export stuck or lost, no idempotency key wedged, no stored file left orphaned.
"""

from __future__ import annotations

import pytest

from tests.reliability.soak import run
from tests.reliability.soak_faults import run_faults

pytestmark = pytest.mark.postgres


async def test_a_database_outage_under_load() -> None:
    report = await run("outage", clients=8, seconds=6)
    print(report.summary())
    assert not report.failures, report.summary()
    assert any(o.status == 503 for o in report.answered), "the outage was never felt"


async def test_a_graceful_shutdown_under_load_drains_in_flight_requests() -> None:
    report = await run("shutdown", clients=8, seconds=4)
    print(report.summary())
    assert not report.failures, report.summary()


async def test_exports_and_idempotent_writes_through_faults() -> None:
    """A burst of exports, a PostgreSQL black hole while one runs, `kill -9` of an API worker
    and of the job worker while one runs: every export ends done or failed with a reason, and
    every idempotent write sent again after a fault is replayed or runs once."""
    report = await run_faults(
        clients=6, seconds=8, burst=12, big_rows=3000, blackhole_for=2, export_wait=60
    )
    print(report.summary())
    assert not report.failures, report.summary()  # includes: each fault hit a running export
    assert [f.name for f in report.faults] == [
        "burst of 12 exports",
        "PostgreSQL black hole",
        "kill -9 of an API worker",
        "kill -9 of the job worker",
    ]
    assert not report.stuck and not report.lost and not report.orphans
    assert report.export_states["done"] >= 12
    assert report.server_errors() == (0, 0)
    tallies = report.retries.values()
    assert sum(t.sent for t in tallies) > 0, "no idempotent write was sent again"
    assert not any(t.wedged or t.wrong or t.unavailable for t in tallies)
    restarted = [name for name, (_, end) in report.rss.items() if name.startswith("job worker 2")]
    assert restarted and report.rss[restarted[0]][1], "the restarted job worker was not measured"
