"""The reference service as real processes: `uvicorn impl.main:app --workers N` on a free
loopback port, with its log in a file, for tests that need the network and several workers."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(
        self, process: subprocess.Popen[bytes], url: str, log: Path, env: dict[str, str]
    ) -> None:
        self.process, self.url, self.log, self.env = process, url, log, env

    def lines(self) -> list[dict[str, object]]:
        out = []
        for raw in self.log.read_text(errors="replace").splitlines():
            if raw.startswith("{"):
                out.append(json.loads(raw))
        return out


def wait_ready(process: subprocess.Popen[bytes], url: str, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=url) as client:
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if client.get("/v1/health/ready").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server never became ready:\n" + log.read_text()
            time.sleep(0.2)


def service_env(overrides: Mapping[str, str]) -> dict[str, str]:
    return {
        **os.environ,
        "ENVIRONMENT": "production",
        "JWT_SECRET": "reliability-test-secret-" + "y" * 40,
        "MIGRATE_ON_STARTUP": "true",  # the workers race for it: an advisory lock serializes
        "LOG_LEVEL": "INFO",
        **overrides,
    }


@contextmanager
def running(
    env: dict[str, str], log: Path, *, workers: int = 2, port: int | None = None
) -> Iterator[Server]:
    """The service until the block ends (SIGTERM, then SIGKILL after 30 s)."""
    port = port or free_port()
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "impl.main:app", "--workers", str(workers),
             "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(process, url, log)
        yield Server(process, url, log, env)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
