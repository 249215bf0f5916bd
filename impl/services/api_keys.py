"""API keys: create (secret shown once), list, revoke."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from impl.db.models import ApiKey, User
from impl.errors import Conflict, FieldError, NotFound, UnprocessableContent
from impl.repositories import api_keys, users
from impl.repositories.locks import lock_row
from impl.security.api_keys import generate_api_key
from impl.security.principal import API_KEY_SCOPES, scopes_for


@dataclass(frozen=True, slots=True)
class CreatedApiKey:
    api_key: ApiKey
    plaintext: str


class ApiKeyService:
    def __init__(self, session: AsyncSession, *, max_per_user: int = 25) -> None:
        self.session = session
        self.max_per_user = max_per_user

    async def create(
        self,
        user_id: uuid.UUID,
        *,
        name: str,
        scopes: Sequence[str],
        expires_in_days: int | None = None,
    ) -> CreatedApiKey:
        """A new key; it expires `expires_in_days` days from now (never when `None`)."""
        user = await users.get(self.session, user_id)
        if user is None:
            raise NotFound(f"User {user_id} does not exist.")
        allowed = API_KEY_SCOPES & scopes_for(is_admin=user.is_admin)
        bad = sorted(set(scopes) - allowed)
        if bad:
            raise UnprocessableContent(
                "API keys cannot carry these scopes.",
                errors=[FieldError("/scopes", f"Not allowed: {', '.join(bad)}.")],
            )
        if expires_in_days is not None and expires_in_days < 1:
            raise UnprocessableContent(
                "An API key must be valid for at least a day.",
                errors=[FieldError("/expires_in_days", "Must be at least 1.")],
            )
        expires_at = (
            datetime.now(UTC) + timedelta(days=expires_in_days)
            if expires_in_days is not None
            else None
        )
        # Concurrent creates by one user take turns from here, so none can see a stale count.
        await lock_row(self.session, User, user_id)
        if await api_keys.count_active(self.session, user_id) >= self.max_per_user:
            raise Conflict(f"You already have {self.max_per_user} API keys; revoke one first.")
        generated = generate_api_key()
        key = await api_keys.add(
            self.session,
            user_id=user_id,
            name=name,
            prefix=generated.prefix,
            key_hash=generated.digest,
            scopes=sorted(set(scopes)),
            expires_at=expires_at,
        )
        return CreatedApiKey(api_key=key, plaintext=generated.plaintext)

    async def list(self, user_id: uuid.UUID) -> Sequence[ApiKey]:
        return await api_keys.list_active(self.session, user_id)

    async def revoke(self, user_id: uuid.UUID, key_id: uuid.UUID) -> None:
        key = await api_keys.get_for_user(self.session, user_id, key_id)
        if key is None:
            raise NotFound(f"API key {key_id} does not exist.")
        key.revoked_at = datetime.now(UTC)
        await self.session.flush()
