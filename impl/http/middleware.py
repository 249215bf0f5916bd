"""Pure ASGI middleware (no per-request task or body buffering, unlike `BaseHTTPMiddleware`).

`HttpHygieneMiddleware`, outermost: a request id on every response and log line, one
structured access-log line per request, security headers, `RateLimit-*` headers, and a
problem+json 500 for anything that escaped every handler.

`RequestGuard`: what can be refused before the app reads the body: oversized headers (431),
a body in a content coding other than `identity` (415), undeclared form and multipart media
types (415; the generated routers check JSON bodies themselves, but leave form fields to
FastAPI, which would answer 422), bodies over the operation's limit (413, unread), and NUL
characters in text (422), which PostgreSQL cannot store.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from generated._runtime import problem_response
from impl.http.problems import instance, unavailable_response
from impl.http.ratelimit import recorded
from impl.logging import new_request_id, request_id
from impl.outages import unavailable_dependency

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
        except Exception as exc:
            dependency = unavailable_dependency(exc)
            if dependency is not None:  # raised past the app's handlers, e.g. by a commit
                if not response_started:
                    app = scope.get("app")
                    request = Request(scope) if app is not None else None
                    await unavailable_response(request, path, dependency, exc)(
                        scope, receive, send_with_headers
                    )
                return
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


def _identity(content_encodings: Sequence[str]) -> bool:
    """True when every coding listed (in any number of headers) is `identity`."""
    codings = [c.strip().lower() for value in content_encodings for c in value.split(",")]
    return all(coding in ("", "identity") for coding in codings)


def _accepts(declared: Sequence[str], media_type: str) -> bool:
    for pattern in declared:
        if pattern in ("*/*", media_type):
            return True
        if pattern.endswith("/*") and media_type.startswith(pattern[:-1]):
            return True
    return False


class RequestGuard:
    """Checks that need no handler, before a byte of the body reaches the app:

    - request headers larger than `max_header_bytes` in total: 431;
    - a body with a `Content-Encoding` other than `identity`: 415 with `Accept-Encoding:
      identity` (RFC 7694). The service decodes no coding: decoding gzip would need the size
      limit applied to the decoded bytes, for a gain no client of this API needs;
    - a body media type the operation does not declare (form and multipart): 415;
    - a body announced (`Content-Length`) larger than the operation's limit: 413, unread;
    - JSON and form bodies are read here, at most limit bytes (a chunked body that goes past
      it is a 413 without reading further), and handed to the app from memory;
    - a NUL character in the query string or in any string of a JSON or form body: the
      operation's validation status (422 or 400), with a pointer to each field. PostgreSQL
      cannot store NUL in text and SQLite can: both refuse it here, alike.

    Multipart uploads stream through (their size is the upload's own business)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        routes: Sequence[BaseRoute],
        media_types: Mapping[str, Sequence[str]],
        max_body_bytes: Mapping[str, int],
        max_header_bytes: int = 16 * 1024,
    ) -> None:
        self.app = app
        self.routes = routes
        self.media_types = media_types
        self.max_body_bytes = max_body_bytes
        self.max_header_bytes = max_header_bytes

    def _route(self, scope: Scope) -> BaseRoute | None:
        for route in self.routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return route
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if sum(len(name) + len(value) for name, value in scope["headers"]) > self.max_header_bytes:
            await _problem(
                431, f"The request headers are larger than {self.max_header_bytes} bytes.",
                path, "headers_too_large",
            )(scope, receive, send)  # fmt: skip
            return
        query = scope.get("query_string", b"")
        route = None
        if b"%00" in query or b"\x00" in query:
            route = self._route(scope)
            if route is not None:
                pointers = [f"/query/{name}" for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True) if "\x00" in name or "\x00" in value]  # fmt: skip
                await _nul_problem(route, path, pointers)(scope, receive, send)
                return
        if scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        has_body = (length is not None and length.strip() != "0") or "transfer-encoding" in headers
        route = route or (self._route(scope) if has_body else None)
        operation = getattr(route, "operation_id", None)
        if route is None or operation is None:
            await self.app(scope, receive, send)
            return
        declared = self.media_types.get(operation)
        media_type = _media_type(headers.get("content-type"))
        limit = self.max_body_bytes.get(operation)
        if limit is not None and not _identity(headers.getlist("content-encoding")):
            await problem_response(
                415,
                "The request body must not be content-encoded (Content-Encoding: identity).",
                instance=instance(path),
                headers={"Accept-Encoding": "identity"},
                extra={"code": "unsupported_content_encoding"},
            )(scope, receive, send)
            return
        if declared is not None and (media_type is None or not _accepts(declared, media_type)):
            await _problem(
                415,
                f"This operation accepts {', '.join(declared)}, not {media_type or 'an unlabelled body'}.",
                path, "unsupported_media_type",
            )(scope, receive, send)  # fmt: skip
            return
        if limit is not None and length is not None and length.isdigit() and int(length) > limit:
            await _too_large(limit, path)(scope, receive, send)
            return
        if limit is None or media_type is None or media_type == "multipart/form-data":
            await self.app(scope, receive, send)
            return
        try:
            body = await _read_at_most(receive, limit)
        except _Disconnected:
            return  # the client left: nobody to answer
        if body is None:
            await _too_large(limit, path)(scope, receive, send)
            return
        pointers = _nul_pointers(body, media_type)
        if pointers:
            await _nul_problem(route, path, pointers)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def _problem(status: int, detail: str, path: str, code: str) -> Response:
    return problem_response(status, detail, instance=instance(path), extra={"code": code})


def _too_large(limit: int, path: str) -> Response:
    return _problem(
        413, f"The request body is larger than {limit} bytes.", path, "payload_too_large"
    )


def _nul_problem(route: BaseRoute, path: str, pointers: list[str]) -> Response:
    status = int(getattr(getattr(route, "endpoint", None), "__sf_validation_status__", 422))
    return problem_response(
        status,
        "Text may not contain the NUL character (U+0000).",
        instance=instance(path),
        errors=[{"pointer": p, "detail": "contains U+0000"} for p in pointers or ["/body"]],
        extra={"code": "validation_failed"},
    )


class _Disconnected(Exception):
    pass


async def _read_at_most(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None as soon as it is longer than `limit` (the rest stays unread)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect, as the server would

    return replay


def _nul_pointers(body: bytes, media_type: str) -> list[str]:
    """JSON pointers to the strings (keys included) of `body` that contain U+0000."""
    if media_type == "application/x-www-form-urlencoded":
        if b"%00" not in body:
            return []
        pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
        return [f"/body/{name}" for name, value in pairs if "\x00" in name or "\x00" in value]
    if not _is_json(media_type) or b"\\u0000" not in body:
        return []  # the usual case: one scan of the bytes, no parse
    try:
        document = json.loads(body)
    except ValueError:
        return []  # not JSON: the router answers that
    found: list[str] = []
    _walk(document, "/body", found)
    return found


def _walk(node: Any, pointer: str, found: list[str]) -> None:
    if isinstance(node, str):
        if "\x00" in node:
            found.append(pointer)
    elif isinstance(node, dict):
        for key, value in node.items():
            child = pointer + "/" + key.replace("~", "~0").replace("/", "~1")
            if "\x00" in key:
                found.append(child)
            _walk(value, child, found)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _walk(value, f"{pointer}/{index}", found)


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
