"""File attachments: streamed multipart upload with limits, download, delete."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

from fastapi import UploadFile

from generated import models, responses
from impl.handlers.common import Handler, location, next_link, page_body
from impl.security.principal import Principal
from impl.services.attachments import AttachmentService

_CHUNK = 256 * 1024


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(_CHUNK):
        yield chunk


class AttachmentsHandlers(Handler):
    def _service(self) -> AttachmentService:
        settings = self.runtime.settings
        return AttachmentService(
            self.session,
            storage=self.runtime.storage,
            background=self.runtime.background,
            jobs=self.runtime.jobs,
            max_bytes=settings.max_upload_bytes,
            allowed_media_types=settings.allowed_upload_media_types,
        )

    async def list_attachments(
        self, *, task_id: uuid.UUID, cursor: str | None, limit: int, principal: Principal
    ) -> responses.ListAttachments200Response:
        page = await self._service().list(principal.user_id, task_id, cursor=cursor, limit=limit)
        return responses.ListAttachments200Response(
            body=page_body(models.AttachmentListResponse, page),
            link=next_link(self.request, page.next_cursor),
        )

    async def upload_attachment(
        self, *, task_id: uuid.UUID, body: responses.UploadAttachmentForm, principal: Principal
    ) -> responses.UploadAttachment201Response:
        attachment = await self._service().upload(
            principal.user_id,
            task_id,
            filename=body.file.filename,
            content_type=body.file.content_type,
            chunks=_chunks(body.file),
            description=body.description,
        )
        return responses.UploadAttachment201Response(
            body=models.AttachmentResponse.model_validate(attachment, from_attributes=True),
            location=location("attachments", attachment.id),
        )

    async def download_attachment(
        self, *, attachment_id: uuid.UUID, principal: Principal
    ) -> responses.DownloadAttachment200Response:
        content = await self._service().content(principal.user_id, attachment_id)
        return responses.DownloadAttachment200Response(
            body=content.chunks,  # streamed: never the whole file in memory
            media_type=content.attachment.media_type,
            content_disposition=content.content_disposition,
            etag=f'"{content.attachment.sha256}"',
        )

    async def delete_attachment(
        self, *, attachment_id: uuid.UUID, principal: Principal
    ) -> responses.DeleteAttachment204Response:
        await self._service().delete(principal.user_id, attachment_id)
        return responses.DeleteAttachment204Response()
