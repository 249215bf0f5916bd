"""Project membership."""

from __future__ import annotations

import uuid

from generated import models, responses
from impl.db.models import Membership
from impl.handlers.common import Handler, location, next_link, reject_nulls
from impl.security.principal import Principal
from impl.services.members import MemberService


def _fields(membership: Membership) -> dict[str, object]:
    return {
        "user_id": membership.user_id,
        "email": membership.user.email,
        "display_name": membership.user.display_name,
        "role": membership.role,
        "added_at": membership.added_at,
    }


class MembersHandlers(Handler):
    async def list_members(
        self, *, project_id: uuid.UUID, cursor: str | None, limit: int, principal: Principal
    ) -> responses.ListMembers200Response:
        page = await MemberService(self.session).list(
            principal.user_id, project_id, cursor=cursor, limit=limit
        )
        return responses.ListMembers200Response(
            body=models.MemberListResponse(
                items=[models.MemberResponse.model_validate(_fields(m)) for m in page.items],
                next_cursor=models.Cursor(page.next_cursor),
            ),
            link=next_link(self.request, page.next_cursor),
        )

    async def add_member(
        self, *, project_id: uuid.UUID, body: models.MemberCreate, principal: Principal
    ) -> responses.AddMember201Response:
        reject_nulls(body, "role")
        membership = await MemberService(self.session).add(
            principal.user_id,
            project_id,
            email=str(body.email),
            role=(body.role or models.MemberRole.member).value,
        )
        return responses.AddMember201Response(
            body=models.MemberResponse.model_validate(_fields(membership)),
            location=location("projects", project_id, "members", membership.user_id),
        )

    async def remove_member(
        self, *, project_id: uuid.UUID, user_id: uuid.UUID, principal: Principal
    ) -> responses.RemoveMember204Response:
        await MemberService(self.session).remove(principal.user_id, project_id, user_id)
        return responses.RemoveMember204Response()
