"""The current user and user administration."""

from __future__ import annotations

import uuid
from typing import Literal

from generated import models, responses
from impl.handlers.common import Handler, next_link, page_body
from impl.security.principal import Principal
from impl.services.users import UserService


class UsersHandlers(Handler):
    def _service(self) -> UserService:
        return UserService(self.session, passwords=self.runtime.passwords)

    async def get_current_user(self, *, principal: Principal) -> models.UserResponse:
        user = await self._service().get(principal.user_id)
        return models.UserResponse.model_validate(user, from_attributes=True)

    async def update_current_user(
        self, *, body: models.UserUpdateRequest, principal: Principal
    ) -> models.UserResponse:
        patch = body.model_dump(exclude_unset=True)
        user = await self._service().update(principal.user_id, patch)
        return models.UserResponse.model_validate(user, from_attributes=True)

    async def list_users(
        self,
        *,
        cursor: str | None,
        limit: int,
        sort: Literal["email", "-email", "created_at", "-created_at"],
        principal: Principal,
    ) -> responses.ListUsers200Response:
        page = await self._service().list(cursor=cursor, limit=limit, sort=sort)
        return responses.ListUsers200Response(
            body=page_body(models.UserListResponse, page),
            link=next_link(self.request, page.next_cursor),
        )

    async def deactivate_user(
        self, *, user_id: uuid.UUID, principal: Principal
    ) -> models.UserResponse:
        user = await self._service().deactivate(principal.user_id, user_id)
        return models.UserResponse.model_validate(user, from_attributes=True)
