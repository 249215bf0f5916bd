"""Comments on tasks."""

from __future__ import annotations

import uuid

from generated import models, responses
from impl.handlers.common import Handler, location, next_link, page_body
from impl.security.principal import Principal
from impl.services.comments import CommentService


class CommentsHandlers(Handler):
    async def list_comments(
        self, *, task_id: uuid.UUID, cursor: str | None, limit: int, principal: Principal
    ) -> responses.ListComments200Response:
        page = await CommentService(self.session).list(
            principal.user_id, task_id, cursor=cursor, limit=limit
        )
        return responses.ListComments200Response(
            body=page_body(models.CommentListResponse, page),
            link=next_link(self.request, page.next_cursor),
        )

    async def create_comment(
        self, *, task_id: uuid.UUID, body: models.CommentCreate, principal: Principal
    ) -> responses.CreateComment201Response:
        comment = await CommentService(self.session).create(
            principal.user_id, task_id, body=body.body
        )
        return responses.CreateComment201Response(
            body=models.CommentResponse.model_validate(comment, from_attributes=True),
            location=location("comments", comment.id),
        )

    async def delete_comment(
        self, *, comment_id: uuid.UUID, principal: Principal
    ) -> responses.DeleteComment204Response:
        await CommentService(self.session).delete(principal.user_id, comment_id)
        return responses.DeleteComment204Response()
