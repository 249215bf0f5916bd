"""What the soak sees from outside the service: its processes (in /proc), their logs, and
the database read directly (not through the fault proxy); and a job worker it can kill.

Linux only (/proc), like the machines the soak runs on.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from tests.reliability.servers import ROOT, Server


def rss_kib(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


def api_workers(server: Server) -> list[int]:
    """The uvicorn worker processes (the supervisor's `multiprocessing` children)."""
    pid = server.process.pid
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return []
    workers = []
    for child in children:
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"spawn_main" in cmdline:
            workers.append(int(child))
    return sorted(workers)


class JobWorkerProcess:
    """`python -m impl.worker`, restartable, its output appended to one log."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.process: subprocess.Popen[bytes] | None = None
        self.generation = 0

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> None:
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "impl.worker"], cwd=ROOT, env=self.env,
                stdout=sink, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.generation += 1

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()  # SIGKILL: no shutdown, no cleanup
        self.process.wait()

    def stop(self) -> int | None:
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


class Ledger:
    """The scratch database, read by the soak itself to see exports as they are."""

    def __init__(self, database_url: str) -> None:
        self.dsn = (
            make_url(database_url)
            .set(drivername="postgresql")
            .render_as_string(hide_password=False)
        )

    async def fetch(self, query: str, *args: Any) -> list[Any]:
        import asyncpg  # type: ignore[import-untyped]

        connection = await asyncpg.connect(self.dsn, timeout=10)
        try:
            return list(await connection.fetch(query, *args))
        finally:
            await connection.close()

    async def statuses(self) -> Counter[str]:
        rows = await self.fetch("SELECT status, count(*) AS n FROM exports GROUP BY status")
        return Counter({row["status"]: row["n"] for row in rows})

    async def seed(self, project: str, rows: int) -> None:
        """`rows` tasks in `project`, so that its export takes a while."""
        await self.fetch(
            "INSERT INTO tasks (id, project_id, title, status, priority, created_by, created_at,"
            " updated_at, version) SELECT gen_random_uuid(), $1::uuid, 'bulk-' || g, 'todo',"
            " 'medium', (SELECT user_id FROM memberships WHERE project_id = $1::uuid LIMIT 1),"
            " now(), now(), 1 FROM generate_series(1, $2::int) AS g",
            project, rows,
        )  # fmt: skip


async def logged(log: Path, message: str, pid: int, until: float) -> bool:
    """Wait until a JSON log line of process `pid` says `message` (False past `until`)."""
    needle, tag = f'"message": "{message}"', f'"pid": {pid}'
    while time.monotonic() < until:
        if any(needle in line and tag in line for line in log.read_text().splitlines()):
            return True
        await asyncio.sleep(0.2)
    return False


def connections(pid: int, port: int) -> int:
    """Established TCP connections to local `port` that process `pid` holds."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    for line in Path(f"/proc/{pid}/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].rsplit(":", 1)[1], 16)
        if local_port == port and fields[3] == "01" and fields[9] in inodes:
            count += 1
    return count
