"""File attachments: streamed upload with size and media-type limits, download, delete."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import AsyncIterable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession

from impl.background import Background, after_rollback
from impl.db.models import Attachment
from impl.errors import Forbidden, NotFound, UnsupportedMediaType
from impl.repositories import attachments, memberships, tasks
from impl.services.access import MANAGERS, require_task
from impl.services.common import delete_files_with_commit
from impl.services.pagination import DEFAULT_LIMIT, Page, datetime_field, paginate, parse_sort
from impl.storage import BlobMissing, Chunks, Storage

if TYPE_CHECKING:
    from impl.queue import JobQueue

_OLDEST_FIRST = parse_sort("created_at", {"created_at": datetime_field(Attachment.created_at)})
_UNSAFE = re.compile(r'["\\/]')
# Control (Cc) and format (Cf) characters, surrogates (Cs), line and paragraph separators:
# invisible, and the bidirectional controls among them (U+202E ...) make a name display as
# another (`invoice\u202efdp.exe` shows as `invoiceexe.pdf`).
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


@dataclass(frozen=True, slots=True)
class AttachmentContent:
    attachment: Attachment
    chunks: Chunks
    """The file, streamed in bounded chunks (already opened: errors surfaced before)."""

    @property
    def content_disposition(self) -> str:
        return content_disposition(self.attachment.filename)


def base_media_type(content_type: str | None) -> str:
    return (content_type or "application/octet-stream").split(";", 1)[0].strip().lower()


_CHARSET = re.compile(r'^\s*charset\s*=\s*"?([A-Za-z0-9._:-]{1,40})"?\s*$', re.IGNORECASE)


def stored_media_type(content_type: str | None) -> str:
    """What is stored and served back: the media type and its charset, if any. Other
    parameters are dropped, so a part's Content-Type of any length fits the column."""
    media_type = base_media_type(content_type)
    for parameter in (content_type or "").split(";")[1:]:
        match = _CHARSET.match(parameter)
        if match:
            return f"{media_type}; charset={match.group(1).lower()}"
    return media_type


def safe_filename(name: str | None) -> str:
    """The last path segment, without control, format or bidirectional-override characters
    (stripped) or quotes (replaced), at most 255 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    visible = "".join(c for c in base if unicodedata.category(c) not in _INVISIBLE)
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", visible)).strip(" .")
    return cleaned[:255] or "file"


def content_disposition(filename: str) -> str:
    """RFC 6266: an ASCII `filename` fallback plus RFC 8187 `filename*` for the real name."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
    if ascii_name == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


class AttachmentService:
    def __init__(
        self,
        session: AsyncSession,
        *,
        storage: Storage,
        background: Background | None = None,
        jobs: JobQueue | None = None,
        max_bytes: int,
        allowed_media_types: Collection[str],
    ) -> None:
        self.session = session
        self.storage = storage
        self.background = background
        self.jobs = jobs
        self.max_bytes = max_bytes
        self.allowed_media_types = frozenset(allowed_media_types)

    async def upload(
        self,
        user_id: uuid.UUID,
        task_id: uuid.UUID,
        *,
        filename: str | None,
        content_type: str | None,
        chunks: AsyncIterable[bytes],
        description: str | None = None,
    ) -> Attachment:
        await require_task(self.session, task_id, user_id)
        media_type = base_media_type(content_type)
        if self.allowed_media_types and media_type not in self.allowed_media_types:
            raise UnsupportedMediaType(f"Files of type {media_type} are not accepted.")
        blob = await self.storage.save(chunks, max_bytes=self.max_bytes)

        if self.background is not None:
            storage, background = self.storage, self.background

            def discard() -> None:  # the row never existed: do not keep its file
                background.spawn(storage.delete(blob.key), name="discard-upload")

            after_rollback(self.session, discard)
        return await attachments.add(
            self.session,
            task_id=task_id,
            uploaded_by=user_id,
            filename=safe_filename(filename),
            media_type=stored_media_type(content_type),
            size_bytes=blob.size,
            sha256=blob.sha256,
            storage_key=blob.key,
            description=description,
        )

    async def list(
        self,
        user_id: uuid.UUID,
        task_id: uuid.UUID,
        *,
        cursor: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> Page[Attachment]:
        await require_task(self.session, task_id, user_id)
        return await paginate(
            self.session,
            attachments.of_task(task_id),
            id_column=Attachment.id,
            sort=_OLDEST_FIRST,
            cursor=cursor,
            limit=limit,
        )

    async def content(self, user_id: uuid.UUID, attachment_id: uuid.UUID) -> AttachmentContent:
        attachment, _ = await self._require(user_id, attachment_id)
        try:
            chunks = await self.storage.open(attachment.storage_key)
        except BlobMissing as exc:  # deleted by a concurrent request since the row was read
            raise NotFound(f"Attachment {attachment_id} does not exist.") from exc
        return AttachmentContent(attachment, chunks)

    async def delete(self, user_id: uuid.UUID, attachment_id: uuid.UUID) -> None:
        attachment, role = await self._require(user_id, attachment_id)
        if attachment.uploaded_by != user_id and role not in MANAGERS:
            raise Forbidden(
                "Only the uploader or a project owner or admin can delete an attachment."
            )
        await attachments.delete(self.session, attachment)
        await delete_files_with_commit(self.session, self.jobs, [attachment.storage_key])

    async def _require(
        self, user_id: uuid.UUID, attachment_id: uuid.UUID
    ) -> tuple[Attachment, str]:
        attachment = await attachments.get(self.session, attachment_id)
        task = await tasks.get(self.session, attachment.task_id) if attachment else None
        membership = await memberships.get(self.session, task.project_id, user_id) if task else None
        if attachment is None or membership is None:
            raise NotFound(f"Attachment {attachment_id} does not exist.")
        return attachment, membership.role
