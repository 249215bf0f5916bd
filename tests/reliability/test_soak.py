"""Short soaks in `make test` (outage 8 clients x 6 s, shutdown 8 x 4 s; the full one is `make soak`: 64 clients x 30 s per scenario).

Two workers on PostgreSQL + Redis, mixed authenticated reads and writes, and each scenario's
checks (`tests/reliability/soak.py`): no 5xx (503 with `Retry-After` only while the database is
black-holed), every acknowledged write stored exactly once, the login rate limit exact in sum
across the workers, and on shutdown every request a worker handled answered to its client.
"""

from __future__ import annotations

import pytest

from tests.reliability.soak import run

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
