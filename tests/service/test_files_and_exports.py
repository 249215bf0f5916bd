"""Multipart uploads with limits, downloads, and the background export."""

from __future__ import annotations

import asyncio
import csv
import io
import os
from pathlib import Path
from typing import Any, NoReturn

import httpx
import pytest
from fastapi import FastAPI

from impl.app import build_app
from impl.runtime import Runtime
from impl.security.passwords import Passwords
from impl.storage import Chunks
from tests.impl.s3 import bucket_state
from tests.service.conftest import User, assert_problem, make_settings, register


async def test_upload_and_download_an_attachment(ada: User) -> None:
    project = await ada.project()
    task = await ada.task(project["id"])
    upload = await ada.post(
        f"/v1/tasks/{task['id']}/attachments",
        files={"file": ("../../notes é.txt", b"hello, world\n", "text/plain; charset=utf-8")},
        data={"description": "Notes"},
    )
    assert upload.status_code == 201, upload.text
    attachment = upload.json()
    assert attachment["filename"] == "notes é.txt" and attachment["size_bytes"] == 13
    assert upload.headers["location"] == f"/v1/attachments/{attachment['id']}"

    download = await ada.get(f"/v1/attachments/{attachment['id']}/content")
    assert download.status_code == 200 and download.content == b"hello, world\n"
    assert download.headers["content-type"] == "text/plain; charset=utf-8"
    disposition = download.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="notes _.txt"')
    assert "filename*=UTF-8''notes%20%C3%A9.txt" in disposition
    assert download.headers["x-content-type-options"] == "nosniff"

    listed = await ada.get(f"/v1/tasks/{task['id']}/attachments")
    assert [a["id"] for a in listed.json()["items"]] == [attachment["id"]]
    assert (await ada.delete(f"/v1/attachments/{attachment['id']}")).status_code == 204
    assert_problem(await ada.get(f"/v1/attachments/{attachment['id']}/content"), 404)


async def test_upload_limits_are_415_and_413(tmp_path: Path, passwords: Passwords) -> None:
    settings = make_settings(
        tmp_path,
        max_upload_bytes=1024,
        # The operator narrows the spec's list (encoding.contentType of the file part).
        allowed_upload_media_types=("image/png", "text/plain"),
    )
    app = build_app(settings, passwords=passwords)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        ada = await register(client, "ada")
        project = await ada.project()
        task = await ada.task(project["id"])
        url = f"/v1/tasks/{task['id']}/attachments"
        # Not in the spec's list: the generated router refuses it, naming the part.
        exe = await ada.post(url, files={"file": ("x.exe", b"MZ", "application/x-msdownload")})
        assert [e["pointer"] for e in assert_problem(exe, 415)["errors"]] == ["/body/file"]
        # In the spec's list, not in the operator's.
        pdf = await ada.post(url, files={"file": ("x.pdf", b"%PDF", "application/pdf")})
        assert_problem(pdf, 415, "unsupported_media_type")
        # Announced as too large: refused before the body is read.
        huge = await ada.post(url, files={"file": ("big.txt", b"x" * 200_000, "text/plain")})
        assert_problem(huge, 413, "payload_too_large")
        # Within the announced size but over the limit once streamed.
        over = await ada.post(url, files={"file": ("big.txt", b"x" * 2048, "text/plain")})
        assert_problem(over, 413, "payload_too_large")
        not_multipart = await ada.post(url, json={"file": "x"})
        assert_problem(not_multipart, 415)
        assert (await ada.get(url)).json()["items"] == []


async def test_export_runs_in_the_background(app: FastAPI, ada: User) -> None:
    project = await ada.project()
    await ada.task(project["id"], title="=SUM(A1)", priority="urgent")
    await ada.task(project["id"], title="Plain")
    started = await ada.post(f"/v1/projects/{project['id']}/exports", json={"format": "csv"})
    assert started.status_code == 202, started.text
    export = started.json()
    assert started.headers["location"] == f"/v1/exports/{export['id']}"
    assert started.headers["retry-after"] == "1"
    assert export["status"] in ("pending", "running", "done")

    for _ in range(100):
        status = await ada.get(started.headers["location"])
        assert status.status_code == 200
        if status.json()["status"] == "done":
            break
        await asyncio.sleep(0.02)
    assert status.json()["row_count"] == 2 and status.json()["finished_at"]

    download = await ada.get(f"/v1/exports/{export['id']}/content")
    assert download.status_code == 200
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert download.headers["content-disposition"].startswith('attachment; filename="tasks-')
    rows = list(csv.reader(io.StringIO(download.text)))
    assert rows[0][:3] == ["id", "title", "status"]
    assert sorted(row[1] for row in rows[1:]) == ["'=SUM(A1)", "Plain"]  # no CSV injection


async def test_export_without_a_body_and_before_it_is_done(ada: User, grace: User) -> None:
    project = await ada.project()
    started = await ada.post(f"/v1/projects/{project['id']}/exports")
    assert started.status_code == 202, started.text
    assert_problem(await grace.get(started.headers["location"]), 404)
    assert_problem(await grace.post(f"/v1/projects/{project['id']}/exports"), 404)


async def wait_for_export(user: User, export_id: str, *, seconds: float = 30) -> dict[str, Any]:
    """Poll the export's status until it is done or failed (the row is the truth)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        status = await user.get(f"/v1/exports/{export_id}")
        assert status.status_code == 200, status.text
        if status.json()["status"] in ("done", "failed"):
            return status.json()  # type: ignore[no-any-return]
        assert asyncio.get_running_loop().time() < deadline, status.json()
        await asyncio.sleep(0.05)


async def test_pending_exports_of_a_process_that_died_complete_after_a_restart(
    tmp_path: Path, passwords: Passwords
) -> None:
    """SQLite: the queue is in memory, so the pending rows are the outbox. A process that
    died between the commit and the hand-over leaves a pending export; the next start runs it
    (it used to mark it failed, "interrupted by a restart")."""
    settings = make_settings(tmp_path)
    app = build_app(settings, passwords=passwords)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        ada = await register(client, "ada")
        project = await ada.project()
        await ada.task(project["id"], title="kept")
        runtime = app.state.runtime

        async def dies_before_the_hand_over(session: object, export_id: object) -> None:
            return None

        runtime.jobs.enqueue_export = dies_before_the_hand_over
        export = (await ada.post(f"/v1/projects/{project['id']}/exports")).json()
        await asyncio.sleep(0.2)
        assert (await ada.get(f"/v1/exports/{export['id']}")).json()["status"] == "pending"
    restarted = build_app(settings, passwords=passwords)
    async with (
        restarted.router.lifespan_context(restarted),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=restarted), base_url="http://t"
        ) as client,
    ):
        ada.client = client
        await ada.login()
        status = await wait_for_export(ada, export["id"])
        assert status["status"] == "done" and status["row_count"] == 1, status
        download = await ada.get(f"/v1/exports/{export['id']}/content")
        assert download.status_code == 200 and "kept" in download.text


async def test_downloads_stream_and_never_read_a_whole_file(
    ada: User, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = await ada.project()
    task = await ada.task(project["id"], title="é" * 50)
    data = os.urandom(3 * 1024 * 1024 + 17)
    upload = await ada.post(
        f"/v1/tasks/{task['id']}/attachments",
        files={"file": ("big.zip", data, "application/zip")},
    )
    assert upload.status_code == 201, upload.text
    started = await ada.post(f"/v1/projects/{project['id']}/exports")
    assert (await wait_for_export(ada, started.json()["id"]))["status"] == "done"

    def whole_file_read(*args: object, **kwargs: object) -> NoReturn:
        raise AssertionError("a download read a whole file into memory")

    for name in ("read_bytes", "read_text"):
        monkeypatch.setattr(Path, name, whole_file_read)
    chunk_sizes: list[int] = []
    opened = runtime.storage.open

    async def spy(key: str) -> Chunks:
        chunks = await opened(key)

        class Spied(Chunks):
            async def __anext__(self) -> bytes:
                chunk = await chunks.__anext__()
                chunk_sizes.append(len(chunk))
                return chunk

        return Spied()

    monkeypatch.setattr(runtime.storage, "open", spy)
    download = await ada.get(f"/v1/attachments/{upload.json()['id']}/content")
    assert download.status_code == 200 and download.content == data
    assert len(chunk_sizes) > 3 and max(chunk_sizes) <= 1024 * 1024
    csv_download = await ada.get(f"/v1/exports/{started.json()['id']}/content")
    assert csv_download.status_code == 200 and "é" * 50 in csv_download.text


async def test_attachments_and_exports_through_s3(
    tmp_path: Path, passwords: Passwords, s3_url: str, moto_endpoint: str
) -> None:
    settings = make_settings(tmp_path, storage_url=s3_url)
    app = build_app(settings, passwords=passwords)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        ada = await register(client, "ada")
        project = await ada.project()
        task = await ada.task(project["id"], title="in the bucket")
        data = os.urandom(6 * 1024 * 1024)  # past one part: a multipart upload
        upload = await ada.post(
            f"/v1/tasks/{task['id']}/attachments",
            files={"file": ("big.zip", data, "application/zip")},
        )
        assert upload.status_code == 201, upload.text
        download = await ada.get(f"/v1/attachments/{upload.json()['id']}/content")
        assert download.status_code == 200 and download.content == data
        started = await ada.post(f"/v1/projects/{project['id']}/exports")
        assert (await wait_for_export(ada, started.json()["id"]))["status"] == "done"
        csv_download = await ada.get(f"/v1/exports/{started.json()['id']}/content")
        assert csv_download.status_code == 200 and "in the bucket" in csv_download.text
        objects, _ = bucket_state(moto_endpoint, s3_url)
        assert len(objects) == 2 and all(key.startswith("files/") for key in objects)
        assert not list((tmp_path / "files").rglob("*"))  # nothing went to local disk
        # Deleting the project deletes its files from the bucket.
        deleted = await ada.delete(
            f"/v1/projects/{project['id']}", headers={"If-Match": project["etag"]}
        )
        assert deleted.status_code == 204, deleted.text
        await app.state.runtime.background.drain(timeout=10)
        assert bucket_state(moto_endpoint, s3_url) == ([], [])
