"""`build_app(settings)`: the generated app wired to the handlers, middleware and lifespan.

Tests build apps from their own settings here; `impl.main` builds the one uvicorn serves.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Any

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from generated import create_app
from impl.handlers.api_keys import ApiKeysHandlers
from impl.handlers.attachments import AttachmentsHandlers
from impl.handlers.auth import AuthHandlers
from impl.handlers.comments import CommentsHandlers
from impl.handlers.exports import ExportsHandlers
from impl.handlers.health import HealthHandlers
from impl.handlers.members import MembersHandlers
from impl.handlers.projects import ProjectsHandlers
from impl.handlers.security import SecurityHandlers
from impl.handlers.tasks import TasksHandlers
from impl.handlers.users import UsersHandlers
from impl.http import problems
from impl.http.limits import body_limits
from impl.http.middleware import HttpHygieneMiddleware, RequestGuard, declared_request_media_types
from impl.runtime import Runtime
from impl.security.passwords import Passwords
from impl.settings import ConfigurationError, Settings

log = logging.getLogger("impl")

# Multipart framing around the file: boundaries, part headers, the description field.
_MULTIPART_OVERHEAD = 64 * 1024
_EXPOSED_HEADERS = [
    "ETag", "Location", "Link", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining",
    "RateLimit-Reset", "Content-Disposition", "X-Request-ID", "Idempotent-Replayed",
]  # fmt: skip
_ALLOWED_HEADERS = [
    "Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key",
    "X-API-Key", "X-Request-ID",
]  # fmt: skip


def check_against_spec(settings: Settings, spec: Mapping[str, Any]) -> None:
    """Refuse settings that would make the service break its own contract.

    `MAX_API_KEYS_PER_USER` above `ApiKeyList.items.maxItems` would let a user create keys
    that `GET /api-keys` can then no longer list; unknown operations in `BODY_LIMITS` are
    typos that would silently leave the derived limit in place."""
    schemas = spec.get("components", {}).get("schemas", {})
    max_items = schemas.get("ApiKeyList", {}).get("properties", {}).get("items", {}).get("maxItems")
    if max_items is not None and settings.max_api_keys_per_user > max_items:
        raise ConfigurationError(
            f"MAX_API_KEYS_PER_USER={settings.max_api_keys_per_user} exceeds the "
            f"{max_items} keys the API can list (ApiKeyList.items.maxItems in the spec); "
            f"set it to {max_items} or less."
        )
    operations = {
        operation["operationId"]
        for item in spec.get("paths", {}).values()
        for operation in item.values()
        if isinstance(operation, Mapping) and "requestBody" in operation
    }
    unknown = sorted(set(settings.body_limits) - operations)
    if unknown:
        raise ConfigurationError(
            f"BODY_LIMITS names {', '.join(unknown)}, which is no operation with a request "
            f"body; known: {', '.join(sorted(operations))}."
        )


def build_app(settings: Settings, *, passwords: Passwords | None = None) -> FastAPI:
    """The service for `settings`. Connections open in the lifespan, not here.

    Raises `ConfigurationError` when the settings contradict the spec."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = await Runtime.start(settings, passwords=passwords)
        app.state.runtime = runtime
        log.info(
            "started",
            extra={"environment": settings.environment, "database": runtime.database.backend,
                   "redis": bool(settings.redis_url)},
        )  # fmt: skip
        try:
            yield
        finally:
            log.info("shutting down: draining background work")
            await runtime.aclose()
            log.info("stopped")

    app = create_app(
        security=SecurityHandlers,
        auth=AuthHandlers,
        users=UsersHandlers,
        api_keys=ApiKeysHandlers,
        projects=ProjectsHandlers,
        members=MembersHandlers,
        tasks=TasksHandlers,
        comments=CommentsHandlers,
        attachments=AttachmentsHandlers,
        exports=ExportsHandlers,
        health=HealthHandlers,
        # A problem with an undeclared status: 500 outside production, so contract runs see it.
        undeclared_problems="log" if settings.environment == "production" else "error",
        lifespan=lifespan,
    )
    problems.install(app)
    spec = json.loads(files("generated").joinpath("openapi.json").read_bytes())
    check_against_spec(settings, spec)
    limits = body_limits(spec, ceiling=settings.max_body_bytes, overrides=settings.body_limits)
    limits["uploadAttachment"] = settings.max_upload_bytes + _MULTIPART_OVERHEAD
    app.add_middleware(
        RequestGuard,
        routes=app.router.routes,
        media_types=declared_request_media_types(spec),
        max_body_bytes=limits,
        max_header_bytes=settings.max_header_bytes,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=_ALLOWED_HEADERS,
            expose_headers=_EXPOSED_HEADERS,
            max_age=600,
        )
    app.add_middleware(HttpHygieneMiddleware)
    return app
