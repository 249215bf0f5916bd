"""Who is calling: the result of authenticating any credential."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

ALL_SCOPES = frozenset(
    {"profile", "projects:read", "projects:write", "tasks:read", "tasks:write", "api-keys", "admin"}
)
USER_SCOPES = ALL_SCOPES - {"admin"}
API_KEY_SCOPES = USER_SCOPES - {"api-keys"}


def scopes_for(*, is_admin: bool) -> frozenset[str]:
    """Every scope an account may hold."""
    return ALL_SCOPES if is_admin else USER_SCOPES


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller: a user, through a bearer token or an API key."""

    user_id: uuid.UUID
    scopes: frozenset[str]
    method: Literal["bearer", "api_key"]
    credential_id: str
    """The token's `jti` or the API key's id: what to name in an audit log."""
    is_admin: bool = False

    def has_scopes(self, required: Iterable[str]) -> bool:
        return self.scopes.issuperset(required)
