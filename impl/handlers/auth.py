"""Registration, the OAuth2 token endpoint and logout (rate-limited per client address)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict
from typing import Any

from pydantic import ValidationError

from generated import ProblemError, models, responses
from impl.handlers.common import Handler, location
from impl.http.ratelimit import client_address, enforce


class AuthHandlers(Handler):
    async def register(self, *, body: models.UserCreateRequest) -> responses.Register201Response:
        await self._limit("register", "ip", client_address(self.request))
        user = await self.runtime.auth_service(self.session).register(
            email=str(body.email), password=body.password, display_name=body.display_name
        )
        return responses.Register201Response(
            body=models.UserResponse.model_validate(user, from_attributes=True),
            location=location("users", "me"),
        )

    async def create_token(
        self, *, body: responses.CreateTokenForm
    ) -> responses.CreateToken200Response:
        form = _validated_form(body, await self.request.form())
        address = client_address(self.request)
        await self._limit("token", "ip", address)
        if form.username is not None:
            # Per address and account, not per account: wrong passwords sent from elsewhere
            # must not lock the owner out (the per-address limit bounds each guesser).
            await self._limit("token", "user", address, str(form.username).lower())
        pair = await self.runtime.auth_service(self.session).token(
            grant_type=form.grant_type.value,
            username=str(form.username) if form.username is not None else None,
            password=form.password,
            refresh_token=form.refresh_token,
            scope=form.scope,
        )
        return responses.CreateToken200Response(
            body=models.TokenResponse.model_validate(asdict(pair)), cache_control="no-store"
        )

    async def logout(self, *, body: models.LogoutRequestBody) -> responses.Logout204Response:
        await self._limit("logout", "ip", client_address(self.request))
        await self.runtime.auth_service(self.session).logout(body.refresh_token)
        return responses.Logout204Response()

    async def _limit(self, *key: str) -> None:
        settings = self.runtime.settings
        if settings.rate_limit_enabled:
            await enforce(
                self.request, self.runtime.limiter, settings.rate_limit_login, "login", *key
            )


def _validated_form(
    body: responses.CreateTokenForm, raw: Mapping[str, Any]
) -> models.TokenRequestBody:
    """Validate against the whole schema: FastAPI turns an empty optional field (`scope=`) into
    None, which the schema forbids (the model checks `username`'s `format: email` too)."""
    fields = {k: v for k, v in asdict(body).items() if v is not None}
    fields.update({name: "" for name in asdict(body) if raw.get(name) == ""})
    try:
        form = models.TokenRequestBody.model_validate(fields)
    except ValidationError as exc:
        raise _invalid(
            ("/body/" + "/".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()
        ) from None
    return form


def _invalid(errors: Iterable[tuple[str, str]]) -> ProblemError:
    return ProblemError(
        422,
        "the request does not match the API contract",
        errors=[{"pointer": pointer, "detail": detail} for pointer, detail in errors],
        extra={"code": "validation_failed"},
    )
