from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from impl.background import Background
from impl.db.engine import Database
from impl.db.models import User
from impl.errors import Conflict, NotFound, PayloadTooLarge, UnsupportedMediaType
from impl.jobs import JobWorker
from impl.queue import JobQueue
from impl.services.attachments import AttachmentService, content_disposition, safe_filename
from impl.services.exports import ExportJob, ExportPolicy, ExportService
from impl.services.projects import ProjectService, ProjectView
from impl.services.tasks import TaskDraft, TaskService
from impl.settings import Settings
from impl.storage import LocalStorage, Storage
from tests.impl.conftest import RunningWorker, eventually


async def _chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


def _attachments(
    session: object, storage: LocalStorage, background: Background, jobs: JobQueue | None = None
) -> AttachmentService:
    return AttachmentService(
        session,  # type: ignore[arg-type]
        storage=storage,
        background=background,
        jobs=jobs,
        max_bytes=10,
        allowed_media_types={"text/plain"},
    )


async def test_upload_limits_and_download(
    db: Database,
    ada: User,
    grace: User,
    project: ProjectView,
    storage: LocalStorage,
    background: Background,
    jobs: JobQueue,
    settings: Settings,
) -> None:
    async with db.transaction() as session:
        task = await TaskService(session).create(ada.id, project.id, TaskDraft(title="t"))
        service = _attachments(session, storage, background)
        with pytest.raises(UnsupportedMediaType):
            await service.upload(
                ada.id,
                task.id,
                filename="x.exe",
                content_type="application/x-msdownload",
                chunks=_chunks(b"MZ"),
            )
        with pytest.raises(PayloadTooLarge):
            await service.upload(
                ada.id,
                task.id,
                filename="big.txt",
                content_type="text/plain",
                chunks=_chunks(b"12345", b"678901"),
            )
        attachment = await service.upload(
            ada.id,
            task.id,
            filename="../../etc/notes.txt",
            content_type="text/plain; charset=utf-8",
            chunks=_chunks(b"hello"),
        )
    assert attachment.filename == "notes.txt" and attachment.size_bytes == 5
    assert attachment.media_type == "text/plain; charset=utf-8"
    assert not list(storage.root.rglob("*.part"))  # the rejected upload left nothing behind
    async with db.session() as session:
        content = await _attachments(session, storage, background).content(ada.id, attachment.id)
        assert b"".join([chunk async for chunk in content.chunks]) == b"hello"
        with pytest.raises(NotFound):
            await _attachments(session, storage, background).content(grace.id, attachment.id)
    async with db.transaction() as session:
        await _attachments(session, storage, background, jobs).delete(ada.id, attachment.id)
    async with RunningWorker(JobWorker(settings, storage, jobs)):
        await eventually(lambda: _gone(storage, attachment.storage_key))


async def _gone(storage: Storage, key: str) -> bool:
    return not await storage.exists(key)


def test_filenames_and_content_disposition() -> None:
    assert safe_filename('C:\\Users\\x\\"evil".txt') == "_evil_.txt"
    assert safe_filename("") == "file"
    assert content_disposition("a.png") == 'attachment; filename="a.png"'
    assert content_disposition("résumé.pdf") == (
        "attachment; filename=\"r_sum_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf"
    )


async def _read(storage: Storage, key: str) -> bytes:
    return b"".join([chunk async for chunk in await storage.open(key)])


async def test_an_export_job_writes_the_csv(
    db: Database,
    ada: User,
    grace: User,
    project: ProjectView,
    storage: LocalStorage,
    jobs: JobQueue,
) -> None:
    async with db.transaction() as session:
        await TaskService(session).create(ada.id, project.id, TaskDraft(title="=HYPERLINK(1)"))
        await TaskService(session).create(ada.id, project.id, TaskDraft(title="plain, with comma"))
    async with db.transaction() as session:
        export = await ExportService(session, storage=storage).create(ada.id, project.id)
        assert export.status == "pending"
    async with db.session() as session:
        with pytest.raises(NotFound):
            await ExportService(session, storage=storage).get(grace.id, export.id)
    await ExportJob(db, storage, ExportPolicy(), jobs).run(export.id)
    async with db.session() as session:
        service = ExportService(session, storage=storage)
        done = await service.get(ada.id, export.id)
        assert done.status == "done" and done.row_count == 2 and done.finished_at is not None
        content = await service.content(ada.id, export.id)
        csv_text = b"".join([chunk async for chunk in content.chunks]).decode()
    assert csv_text.startswith("id,title,status,priority")
    assert "'=HYPERLINK(1)" in csv_text and '"plain, with comma"' in csv_text


async def test_download_before_done_is_a_conflict(
    db: Database, ada: User, project: ProjectView, storage: LocalStorage
) -> None:
    async with db.transaction() as session:
        export = await ExportService(session, storage=storage).create(ada.id, project.id)
    async with db.session() as session:
        with pytest.raises(Conflict):
            await ExportService(session, storage=storage).content(ada.id, export.id)


async def test_deleting_a_project_removes_its_files(
    db: Database,
    ada: User,
    project: ProjectView,
    storage: LocalStorage,
    background: Background,
    jobs: JobQueue,
    settings: Settings,
) -> None:
    async with db.transaction() as session:
        task = await TaskService(session).create(ada.id, project.id, TaskDraft(title="t"))
        attachment = await _attachments(session, storage, background).upload(
            ada.id, task.id, filename="a.txt", content_type="text/plain", chunks=_chunks(b"a")
        )
    async with db.transaction() as session:
        await ProjectService(session, jobs=jobs).delete(ada.id, project.id, if_match=project.etag)
    async with RunningWorker(JobWorker(settings, storage, jobs)):
        await eventually(lambda: _gone(storage, attachment.storage_key))
