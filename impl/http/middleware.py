"""Pure ASGI middleware (no per-request task or body buffering, unlike `BaseHTTPMiddleware`).

`HttpHygieneMiddleware`, outermost: a request id on every response and log line, one
structured access-log line per request, security headers, `RateLimit-*` headers, and a
problem+json 500 for anything that escaped every handler.

`MediaTypeGuard`: for form and multipart bodies, a media type the operation does not declare
is a 415 (the generated routers check JSON bodies themselves, but leave form fields to
FastAPI, which would answer 422), and an upload announced larger than allowed is a 413 before
a byte of it is read.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping, Sequence
from typing import Any

from starlette.datastructures import Headers
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from generated._runtime import problem_response
from impl.http.problems import instance
from impl.http.ratelimit import recorded
from impl.logging import new_request_id, request_id

access_log = logging.getLogger("impl.access")
error_log = logging.getLogger("impl.errors")

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_DOCS_PATHS = ("/docs", "/redoc")
_BASE_SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
_API_CSP = b"default-src 'none'; frame-ancestors 'none'"
_DOCS_CSP = b"frame-ancestors 'none'"  # the docs pages run their own scripts and styles
_HSTS = b"max-age=63072000; includeSubDomains"


class HttpHygieneMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get(REQUEST_ID_HEADER)
        rid = incoming if incoming and _VALID_REQUEST_ID.match(incoming) else new_request_id()
        token = request_id.set(rid)
        scope.setdefault("state", {})["request_id"] = rid
        started = time.perf_counter()
        status = 500
        response_started = False
        path: str = scope["path"]
        csp = _DOCS_CSP if path.startswith(_DOCS_PATHS) else _API_CSP
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                headers: list[tuple[bytes, bytes]] = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                extra = [(b"x-request-id", rid.encode()), *_BASE_SECURITY_HEADERS]
                extra.append((b"content-security-policy", csp))
                if https:
                    extra.append((b"strict-transport-security", _HSTS))
                limit = recorded(scope)
                if limit is not None:
                    extra += [(k.lower().encode(), v.encode()) for k, v in limit.headers().items()]
                headers += [(k, v) for k, v in extra if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            error_log.exception("unhandled error in %s %s", scope["method"], path)
            if not response_started:
                response = problem_response(
                    500,
                    "An unexpected error occurred; quote the X-Request-ID when reporting it.",
                    instance=instance(path),
                    extra={"code": "internal_error"},
                )
                await response(scope, receive, send_with_headers)
        finally:
            access_log.info(
                "%s %s %d",
                scope["method"],
                path,
                status,
                extra={
                    "method": scope["method"],
                    "path": path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "client": (scope.get("client") or ("-",))[0],
                },
            )
            request_id.reset(token)


def _media_type(value: str | None) -> str | None:
    return value.split(";", 1)[0].strip().lower() if value else None


def _accepts(declared: Sequence[str], media_type: str) -> bool:
    for pattern in declared:
        if pattern in ("*/*", media_type):
            return True
        if pattern.endswith("/*") and media_type.startswith(pattern[:-1]):
            return True
    return False


class MediaTypeGuard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        routes: Sequence[BaseRoute],
        media_types: Mapping[str, Sequence[str]],
        max_body_bytes: Mapping[str, int],
    ) -> None:
        self.app = app
        self.routes = routes
        self.media_types = media_types
        self.max_body_bytes = max_body_bytes

    def _operation(self, scope: Scope) -> str | None:
        for route in self.routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return getattr(route, "operation_id", None)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        has_body = (length is not None and length.strip() != "0") or "transfer-encoding" in headers
        operation = self._operation(scope) if has_body else None
        problem = None
        if operation is not None:
            declared = self.media_types.get(operation)
            media_type = _media_type(headers.get("content-type"))
            limit = self.max_body_bytes.get(operation)
            if declared is not None and (media_type is None or not _accepts(declared, media_type)):
                problem = problem_response(
                    415,
                    f"This operation accepts {', '.join(declared)}, not {media_type or 'an unlabelled body'}.",
                    instance=instance(scope["path"]),
                    extra={"code": "unsupported_media_type"},
                )
            elif (
                limit is not None
                and length is not None
                and length.isdigit()
                and int(length) > limit
            ):
                problem = problem_response(
                    413,
                    f"The request body is larger than {limit} bytes.",
                    instance=instance(scope["path"]),
                    extra={"code": "payload_too_large"},
                )
        if problem is not None:
            await problem(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def declared_request_media_types(spec: Mapping[str, Any]) -> dict[str, list[str]]:
    """operationId → the media types its non-JSON request body declares, read once from the
    spec (JSON bodies are the generated routers' business)."""
    out: dict[str, list[str]] = {}
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, Mapping) and "operationId" in operation:
                content = (operation.get("requestBody") or {}).get("content") or {}
                declared = [str(m).lower() for m in content]
                if declared and not all(_is_json(m) for m in declared):
                    out[operation["operationId"]] = declared
    return out
