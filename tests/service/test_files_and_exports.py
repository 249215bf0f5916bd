"""Multipart uploads with limits, downloads, and the background export."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import httpx
from fastapi import FastAPI

from impl.app import build_app
from impl.security.passwords import Passwords
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


async def test_interrupted_exports_are_marked_failed_at_start_up(
    tmp_path: Path, passwords: Passwords
) -> None:
    settings = make_settings(tmp_path)
    app = build_app(settings, passwords=passwords)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        ada = await register(client, "ada")
        project = await ada.project()
        runtime = app.state.runtime
        runtime.exports.submit = lambda export_id: None  # the worker "dies" before running it
        export = (await ada.post(f"/v1/projects/{project['id']}/exports")).json()
    restarted = build_app(settings, passwords=passwords)
    async with (
        restarted.router.lifespan_context(restarted),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=restarted), base_url="http://t"
        ) as client,
    ):
        ada.client = client
        await ada.login()
        status = (await ada.get(f"/v1/exports/{export['id']}")).json()
        assert status["status"] == "failed" and "restart" in status["error"]
        assert_problem(
            await ada.get(f"/v1/exports/{export['id']}/content"), 409, "export_not_ready"
        )
