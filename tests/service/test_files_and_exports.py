"""Multipart uploads with limits, downloads, and the background export."""

from __future__ import annotations

import asyncio
import csv
import io
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, NoReturn

import httpx
import pytest
from fastapi import FastAPI

from impl.app import build_app
from impl.runtime import Runtime
from impl.security.passwords import Passwords
from impl.settings import Settings
from impl.storage import Chunks
from tests.impl.conftest import eventually
from tests.impl.s3 import bucket_state
from tests.service.conftest import User, assert_problem, make_settings, register


@asynccontextmanager
async def serving(
    settings: Settings, passwords: Passwords
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The app for `settings`, started (lifespan) and stopped again, and a client for it."""
    app = build_app(settings, passwords=passwords)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        yield app, client


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
    async with serving(settings, passwords) as (_app, client):
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
    async with serving(settings, passwords) as (app, client):
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
    async with serving(settings, passwords) as (_restarted, client):
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
    async with serving(settings, passwords) as (_app, client):
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

        async def bucket_empty() -> bool:
            return bucket_state(moto_endpoint, s3_url) == ([], [])

        await eventually(bucket_empty)


def stored_files(settings: Settings) -> list[Path]:
    root = settings.storage_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def test_file_deletions_survive_a_crash_right_after_the_commit(
    settings: Settings, passwords: Passwords, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deleting an attachment, a task or a project deletes their files once the commit is
    done. That used to be an asyncio task of the process that took the request, so a crash
    right after the commit left the files behind for good. Now the deletions are recorded in
    the transaction (and on PostgreSQL their jobs enqueued in it): the next process deletes
    them. On SQLite the in-memory queue's hand-over dies with the process; the records stay."""
    crashing = settings.model_copy(update={"jobs_in_process": False})  # PostgreSQL: no worker
    async with serving(crashing, passwords) as (app, client):
        ada = await register(client, "ada")
        kept, doomed = await ada.project(), await ada.project()
        task, other = await ada.task(kept["id"]), await ada.task(kept["id"])
        doomed_task = await ada.task(doomed["id"])
        uploads = []
        for target in (task, task, other, doomed_task):
            upload = await ada.post(
                f"/v1/tasks/{target['id']}/attachments",
                files={"file": ("a.txt", os.urandom(64), "text/plain")},
            )
            assert upload.status_code == 201, upload.text
            uploads.append(upload.json())
        assert len(stored_files(settings)) == 4

        def dies_with_the_process(coroutine: Any, *, name: str) -> None:
            coroutine.close()  # the process is gone: nothing it meant to do later runs

        monkeypatch.setattr(app.state.runtime.background, "spawn", dies_with_the_process)
        for url, headers in (
            (f"/v1/attachments/{uploads[0]['id']}", {}),
            (f"/v1/tasks/{other['id']}", {"If-Match": other["etag"]}),
            (f"/v1/projects/{doomed['id']}", {"If-Match": doomed["etag"]}),
        ):
            deleted = await ada.delete(url, headers=headers)
            assert deleted.status_code == 204, deleted.text
        assert len(stored_files(settings)) == 4  # nothing deleted them in this process
        survivor = uploads[1]

    async with serving(settings, passwords) as (_restarted, client):

        async def only_the_survivor_left() -> bool:
            return len(stored_files(settings)) == 1

        await eventually(only_the_survivor_left)
        ada.client = client
        await ada.login()
        download = await ada.get(f"/v1/attachments/{survivor['id']}/content")
        assert download.status_code == 200 and len(download.content) == 64
