"""API keys: create (the secret shown once), list (prefix only), revoke."""

from __future__ import annotations

import uuid

from generated import models, responses
from impl.handlers.common import Handler, location
from impl.security.principal import Principal
from impl.services.api_keys import ApiKeyService


class ApiKeysHandlers(Handler):
    def _service(self) -> ApiKeyService:
        return ApiKeyService(self.session, max_per_user=self.runtime.settings.max_api_keys_per_user)

    async def list_api_keys(self, *, principal: Principal) -> models.ApiKeyListResponse:
        keys = await self._service().list(principal.user_id)
        return models.ApiKeyListResponse.model_validate({"items": keys}, from_attributes=True)

    async def create_api_key(
        self, *, body: models.ApiKeyCreate, principal: Principal
    ) -> responses.CreateApiKey201Response:
        created = await self._service().create(
            principal.user_id,
            name=body.name,
            scopes=[scope.value for scope in body.scopes],
            expires_in_days=body.expires_in_days,
        )
        key = created.api_key
        return responses.CreateApiKey201Response(
            body=models.ApiKeyWithSecretResponse(
                id=key.id,
                name=key.name,
                prefix=key.prefix,
                scopes=[models.ApiKeyScope(scope) for scope in key.scopes],
                created_at=key.created_at,
                last_used_at=key.last_used_at,
                expires_at=key.expires_at,
                key=created.plaintext,
            ),
            location=location("api-keys", key.id),
            cache_control="no-store",
        )

    async def revoke_api_key(
        self, *, api_key_id: uuid.UUID, principal: Principal
    ) -> responses.RevokeApiKey204Response:
        await self._service().revoke(principal.user_id, api_key_id)
        return responses.RevokeApiKey204Response()
