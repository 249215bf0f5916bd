"""Background CSV exports: 202 + Location of a status resource, then the download."""

from __future__ import annotations

import uuid

from generated import models, responses
from impl.handlers.common import Handler, location, reject_nulls
from impl.security.principal import Principal
from impl.services.exports import ExportService
from impl.storage import decode_utf8


class ExportsHandlers(Handler):
    def _service(self) -> ExportService:
        return ExportService(self.session, storage=self.runtime.storage, jobs=self.runtime.jobs)

    async def create_export(
        self, *, project_id: uuid.UUID, body: models.ExportCreate | None, principal: Principal
    ) -> responses.CreateExport202Response:
        if body is not None:
            reject_nulls(body, "format")
        export_format = (
            body.format if body is not None and body.format is not None else models.ExportFormat.csv
        )
        export = await self._service().create(
            principal.user_id, project_id, format=export_format.value
        )
        return responses.CreateExport202Response(
            body=models.ExportResponse.model_validate(export, from_attributes=True),
            location=location("exports", export.id),
            retry_after=1,
        )

    async def get_export(
        self, *, export_id: uuid.UUID, principal: Principal
    ) -> models.ExportResponse:
        export = await self._service().get(principal.user_id, export_id)
        return models.ExportResponse.model_validate(export, from_attributes=True)

    async def download_export(
        self, *, export_id: uuid.UUID, principal: Principal
    ) -> responses.DownloadExport200Response:
        content = await self._service().content(principal.user_id, export_id)
        return responses.DownloadExport200Response(
            body=decode_utf8(content.chunks),  # streamed: never the whole file in memory
            media_type="text/csv; charset=utf-8",
            content_disposition=f'attachment; filename="{content.filename}"',
        )
