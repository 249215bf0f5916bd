"""Credential → principal for the generated security layer, plus the per-principal rate limit."""

from __future__ import annotations

from impl.errors import Unauthorized
from impl.handlers.common import Handler
from impl.http.ratelimit import already_counted, enforce
from impl.security.principal import Principal


class SecurityHandlers(Handler):
    async def authenticate_oauth2_password(self, token: str) -> Principal | None:
        try:
            principal = await self.runtime.auth_service(self.session).authenticate_bearer(token)
        except Unauthorized:
            return None
        await self._limit(principal)
        return principal

    async def authenticate_api_key_auth(self, api_key: str) -> Principal | None:
        try:
            principal = await self.runtime.auth_service(self.session).authenticate_api_key(api_key)
        except Unauthorized:
            return None
        await self._limit(principal)
        return principal

    async def _limit(self, principal: Principal) -> None:
        settings = self.runtime.settings
        if settings.rate_limit_enabled and not already_counted(
            self.request, f"user:{principal.user_id}"
        ):
            await enforce(
                self.request,
                self.runtime.limiter,
                settings.rate_limit_api,
                "api",
                str(principal.user_id),
            )
