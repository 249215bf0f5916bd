"""Memory of streamed downloads: 64 concurrent slow downloads of a 10 MiB attachment.

Serves the reference service with one uvicorn worker (SQLite, local disk by default;
`--s3` stores files in moto's S3 server started here), uploads one 10 MiB attachment, then
runs 64 clients that each download it at once, slowly (a 64 KiB read every 20 ms), while the
worker's resident memory (VmRSS from /proc) is sampled every 50 ms. Prints the worker's RSS
before, the peak during, and the growth. Downloads stream in 64 KiB chunks, so the growth
stays far below 64 x 10 MiB; the issue measured ~140 -> ~500 MiB when they were read whole.

    .venv/bin/python bench/download_memory.py [--clients 64] [--mib 10] [--s3]

Loopback only, bounded: every client stops after one download, the whole run after 300 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reliability.servers import running, service_env

PASSWORD = "correct horse battery staple"


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def prepare(url: str, mib: int) -> tuple[str, dict[str, str]]:
    with httpx.Client(base_url=url, timeout=60) as client:
        body = {"email": "bench@example.com", "password": PASSWORD, "display_name": "Bench"}
        assert client.post("/v1/auth/register", json=body).status_code == 201
        token = client.post(
            "/v1/auth/token",
            data={"grant_type": "password", "username": body["email"], "password": PASSWORD},
        ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        project = client.post("/v1/projects", json={"name": "bench"}, headers=auth).json()
        task = client.post(
            f"/v1/projects/{project['id']}/tasks", json={"title": "t"}, headers=auth
        ).json()
        upload = client.post(
            f"/v1/tasks/{task['id']}/attachments",
            files={"file": ("big.zip", os.urandom(mib * 1024 * 1024), "application/zip")},
            headers=auth,
        )
        assert upload.status_code == 201, upload.text
        return f"/v1/attachments/{upload.json()['id']}/content", auth


def slow_download(url: str, path: str, auth: dict[str, str], sizes: list[int]) -> None:
    received = 0
    with (
        httpx.Client(base_url=url, timeout=120) as client,
        client.stream("GET", path, headers=auth) as response,
    ):
        assert response.status_code == 200, response.status_code
        for chunk in response.iter_raw(64 * 1024):
            received += len(chunk)
            time.sleep(0.02)
    sizes.append(received)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--mib", type=int, default=10)
    parser.add_argument("--s3", action="store_true", help="store files in moto's S3 server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/bench.db",
            "STORAGE_DIR": f"{tmp}/files",
            "MAX_UPLOAD_BYTES": str(args.mib * 1024 * 1024 + 1),
            "RATE_LIMIT_API": "100000/minute",
            "LOG_LEVEL": "WARNING",
        }
        moto = None
        if args.s3:
            import boto3
            from moto.server import ThreadedMotoServer

            moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
            moto.start()
            host, port = moto.get_host_and_port()
            aws = {
                "AWS_ENDPOINT_URL": f"http://{host}:{port}",
                "AWS_ACCESS_KEY_ID": "bench",
                "AWS_SECRET_ACCESS_KEY": "bench",
                "AWS_REGION": "us-east-1",
            }
            boto3.client(
                "s3",
                endpoint_url=aws["AWS_ENDPOINT_URL"],
                region_name="us-east-1",
                aws_access_key_id="bench",
                aws_secret_access_key="bench",
            ).create_bucket(Bucket="bench-files")
            env |= aws | {"STORAGE_URL": "s3://bench-files/files"}
        try:
            with running(service_env(env), Path(tmp) / "server.log", workers=1) as server:
                path, auth = prepare(server.url, args.mib)
                pid = server.process.pid
                time.sleep(1.0)
                before = rss_mib(pid)
                peak, done = before, threading.Event()

                def sample() -> None:
                    nonlocal peak
                    while not done.is_set():
                        peak = max(peak, rss_mib(pid))
                        time.sleep(0.05)

                sampler = threading.Thread(target=sample)
                sampler.start()
                sizes: list[int] = []
                started = time.monotonic()
                clients = [
                    threading.Thread(target=slow_download, args=(server.url, path, auth, sizes))
                    for _ in range(args.clients)
                ]
                for client in clients:
                    client.start()
                for client in clients:
                    client.join(timeout=max(1.0, 300 - (time.monotonic() - started)))
                done.set()
                sampler.join()
        finally:
            if moto is not None:
                moto.stop()
    complete = sum(1 for size in sizes if size == args.mib * 1024 * 1024)
    print(
        f"{args.clients} concurrent slow downloads of {args.mib} MiB "
        f"({'S3 (moto)' if args.s3 else 'local disk'}): {complete} complete in "
        f"{time.monotonic() - started:.1f} s; worker RSS {before:.0f} MiB before, "
        f"{peak:.0f} MiB peak, +{peak - before:.0f} MiB"
    )


if __name__ == "__main__":
    main()
