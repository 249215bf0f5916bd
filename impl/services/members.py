"""Project membership management."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from impl.db.models import Membership, Project
from impl.errors import Conflict, Forbidden, NotFound
from impl.repositories import memberships, users
from impl.repositories.locks import lock_row
from impl.services.access import MANAGERS, require_member
from impl.services.emails import checked_email
from impl.services.pagination import DEFAULT_LIMIT, Page, datetime_field, paginate, parse_sort

_BY_JOINED = {"added_at": datetime_field(Membership.added_at)}


class MemberService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(
        self,
        user_id: uuid.UUID,
        project_id: uuid.UUID,
        *,
        cursor: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> Page[Membership]:
        await require_member(self.session, project_id, user_id)
        return await paginate(
            self.session,
            memberships.of_project(project_id),
            id_column=Membership.user_id,
            sort=parse_sort("added_at", _BY_JOINED),
            cursor=cursor,
            limit=limit,
            key_of=lambda m: (m.added_at, m.user_id),
        )

    async def add(
        self, actor_id: uuid.UUID, project_id: uuid.UUID, *, email: str, role: str = "member"
    ) -> Membership:
        actor = await require_member(self.session, project_id, actor_id, roles=MANAGERS)
        if role == "owner" and actor.role != "owner":
            raise Forbidden("Only an owner can add another owner.")
        user = await users.get_by_email(self.session, checked_email(email))
        if user is None or not user.is_active:
            # Who has an account is server state, not a property of the request, so not a 422.
            # Not a 404 either: on this URL that reads as "no such project" (to clients, and to
            # schemathesis' ensure_resource_availability after createProject → addMember).
            raise Conflict("No active user has this email address.", code="user_not_found")
        if await memberships.get(self.session, project_id, user.id) is not None:
            raise Conflict("This user is already a member of the project.", code="already_member")
        return await memberships.add(
            self.session, project_id=project_id, user_id=user.id, role=role
        )

    async def remove(self, actor_id: uuid.UUID, project_id: uuid.UUID, user_id: uuid.UUID) -> None:
        actor = await require_member(self.session, project_id, actor_id)
        target = (
            actor
            if user_id == actor_id
            else await memberships.get(self.session, project_id, user_id)
        )
        if target is None:
            raise NotFound(f"User {user_id} is not a member of this project.")
        if target is not actor:
            if actor.role not in MANAGERS:
                raise Forbidden("Removing someone else needs the owner or admin role.")
            if target.role == "owner" and actor.role != "owner":
                raise Forbidden("Only an owner can remove an owner.")
        if target.role == "owner":
            # Two owners leaving at once must take turns, or each counts the other and both go.
            await lock_row(self.session, Project, project_id)
        if target.role == "owner" and await memberships.count_owners(self.session, project_id) <= 1:
            raise Conflict(
                "The last owner cannot leave; make someone else an owner first.", code="last_owner"
            )
        await memberships.delete(self.session, target)
