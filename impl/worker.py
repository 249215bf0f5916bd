"""A job worker as its own process: `python -m impl.worker` (`make worker`).

Runs export jobs from the PostgreSQL queue until SIGTERM or SIGINT, then lets the jobs it
holds finish (up to `SHUTDOWN_GRACE_SECONDS`; a job cut short is picked up again by another
worker after `JOB_LEASE_SECONDS`). Run as many as you like, on as many hosts as you like,
with the API's settings (`DATABASE_URL`, `STORAGE_URL`, ...): the queue hands each job to
one of them. With SQLite there is nothing to run here: the API process runs its jobs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys

from impl.background import Background
from impl.jobs import JobWorker
from impl.process import configured_settings
from impl.queue import job_queue
from impl.settings import Settings
from impl.storage import storage_from_settings

log = logging.getLogger("impl.worker")


async def serve(settings: Settings) -> None:
    storage = storage_from_settings(settings)
    background = Background()
    worker = JobWorker(settings, storage, job_queue(settings, background))
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, worker.stop)
    log.info("job worker started", extra={"concurrency": settings.job_concurrency})
    task = asyncio.create_task(worker.run(), name="job-worker")
    try:
        await worker.stopped()
        _, pending = await asyncio.wait({task}, timeout=settings.shutdown_grace_seconds)
        for left in pending:
            left.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await left
    finally:
        await worker.aclose()
        await background.drain(timeout=settings.shutdown_grace_seconds)
    log.info("job worker stopped")


def main() -> None:
    settings = configured_settings()
    if settings.database_url.startswith("sqlite"):
        print(
            "specfirst: nothing to run: with SQLite the API process (`make run`) runs the jobs; "
            "set DATABASE_URL to PostgreSQL to run workers of their own",
            file=sys.stderr,
        )
        raise SystemExit(1)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()
