"""Secrets must never reach a log line: the watch that every service test runs under.

`SecretWatch` learns the secrets a test's HTTP traffic carries (passwords sent, access and
refresh tokens and API keys received) and also knows their shapes (argon2 hashes, JWTs, full
API keys, refresh tokens). `CollectingHandler` formats every log record of the test exactly as
production does (`JsonFormatter`, tracebacks included). `leaks()` lists each log line that
holds a secret.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from urllib.parse import parse_qsl

import httpx

from impl.logging import JsonFormatter, RequestIdFilter

_SHAPES = {
    "argon2 hash": re.compile(r"\$argon2(id|i|d)\$"),
    "JWT": re.compile(r"eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}"),
    "API key": re.compile(r"sf_[A-Za-z0-9]{8}_[\w-]{20,}"),
    "refresh token": re.compile(r"rt_[\w-]{30,}"),
}
_SECRET_FIELDS = ("password", "current_password", "new_password", "refresh_token")
_SECRET_RESPONSE_FIELDS = ("access_token", "refresh_token", "key")


class SecretWatch:
    def __init__(self) -> None:
        self.known: set[str] = set()

    def learn(self, value: object) -> None:
        if isinstance(value, str) and len(value) >= 8:
            self.known.add(value)

    async def on_request(self, request: httpx.Request) -> None:
        content_type = request.headers.get("content-type", "")
        try:
            body = request.content
        except httpx.RequestNotRead:
            return
        fields: dict[str, object] = {}
        if "json" in content_type:
            try:
                parsed = json.loads(body)
            except ValueError:
                return
            fields = parsed if isinstance(parsed, dict) else {}
        elif "x-www-form-urlencoded" in content_type:
            fields = dict(parse_qsl(body.decode(errors="replace")))
        for name in _SECRET_FIELDS:
            self.learn(fields.get(name))
        self.learn(request.headers.get("x-api-key"))
        authorization = request.headers.get("authorization", "")
        self.learn(authorization.removeprefix("Bearer ").strip())

    async def on_response(self, response: httpx.Response) -> None:
        if "json" not in response.headers.get("content-type", ""):
            return
        await response.aread()
        try:
            body = response.json()
        except ValueError:
            return
        if isinstance(body, dict):
            for name in _SECRET_RESPONSE_FIELDS:
                self.learn(body.get(name))

    def leaks(self, lines: Iterable[str]) -> list[str]:
        found = []
        for line in lines:
            kinds = [kind for kind, shape in _SHAPES.items() if shape.search(line)]
            kinds += ["a secret of this test" for secret in self.known if secret in line]
            if kinds:
                found.append(f"{', '.join(sorted(set(kinds)))}: {line[:300]}")
        return found


class CollectingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.addFilter(RequestIdFilter())
        self.setFormatter(JsonFormatter())

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextmanager
def collecting_logs(level: int = logging.INFO) -> Iterator[CollectingHandler]:
    """Every log record at `level` and above while the block runs, as production writes it."""
    handler = CollectingHandler()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(level)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
