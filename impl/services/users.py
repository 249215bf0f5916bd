"""The current user's account, and user administration."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from impl.db.models import User
from impl.errors import Conflict, FieldError, Forbidden, NotFound, UnprocessableContent
from impl.repositories import refresh_tokens, users
from impl.security.passwords import Passwords
from impl.services.emails import checked_email
from impl.services.merge_patch import patch_fields
from impl.services.pagination import (
    DEFAULT_LIMIT,
    Page,
    SortField,
    datetime_field,
    paginate,
    parse_sort,
)

SORT_FIELDS = {"email": SortField(User.email), "created_at": datetime_field(User.created_at)}
_PATCHABLE = frozenset({"display_name", "email", "password", "current_password"})


class UserService:
    def __init__(self, session: AsyncSession, *, passwords: Passwords) -> None:
        self.session = session
        self.passwords = passwords

    async def get(self, user_id: uuid.UUID) -> User:
        user = await users.get(self.session, user_id)
        if user is None:
            raise NotFound(f"User {user_id} does not exist.")
        return user

    async def update(self, user_id: uuid.UUID, patch: Mapping[str, Any]) -> User:
        """Apply a merge patch to the user's own account."""
        changes = patch_fields(patch, allowed=_PATCHABLE, nullable=frozenset())
        email = checked_email(changes["email"]) if "email" in changes else None
        user = await self.get(user_id)
        if "password" in changes:
            current = changes.get("current_password")
            if not current:  # the schema's `dependentRequired`: the request is invalid
                raise UnprocessableContent(
                    "Changing the password needs the current password.",
                    errors=[FieldError("/current_password", "Required with `password`.")],
                )
            verified = user.password_hash
            if not (await self.passwords.verify_async(verified, current)).ok:
                # A well-formed request the caller may not make: 403, not a validation error.
                raise Forbidden("The current password is wrong.", code="wrong_password")
            new_hash = await self.passwords.hash_async(changes["password"])
            if not await users.replace_password_hash(
                self.session, user, verified=verified, new=new_hash
            ):
                raise Conflict(
                    "The password was changed by another request meanwhile; nothing was changed.",
                    code="password_changed",
                )
            await refresh_tokens.revoke_all_for_user(self.session, user.id, datetime.now(UTC))
        if email is not None:
            if await users.email_taken(self.session, email, except_id=user.id):
                raise Conflict("This email address is already registered.", code="email_taken")
            user.email = email
        if "display_name" in changes:
            user.display_name = changes["display_name"]
        await self.session.flush()
        return user

    async def list(
        self, *, cursor: str | None = None, limit: int = DEFAULT_LIMIT, sort: str = "created_at"
    ) -> Page[User]:
        return await paginate(
            self.session,
            users.list_statement(),
            id_column=User.id,
            sort=parse_sort(sort, SORT_FIELDS),
            cursor=cursor,
            limit=limit,
        )

    async def deactivate(self, actor_id: uuid.UUID, user_id: uuid.UUID) -> User:
        if actor_id == user_id:
            raise Conflict("Administrators cannot deactivate their own account.")
        user = await self.get(user_id)
        if user.is_active:
            user.is_active = False
            await refresh_tokens.revoke_all_for_user(self.session, user.id, datetime.now(UTC))
            await self.session.flush()
        return user
