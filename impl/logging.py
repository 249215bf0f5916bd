"""Structured JSON logging with a request id on every line.

`request_id` is a context variable: the HTTP layer sets it per request (from `X-Request-ID`
or a new one), and every log record emitted while handling that request carries it, including
records from background tasks started within the request.

Exceptions are logged with their stack and their types, never their messages: a message may
quote what a request sent (asyncpg's `invalid input for query argument $1: '<value>'`, a
`ValueError` naming the text it could not parse), and `hide_parameters` does not reach those.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TypeAlias

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

# Attributes every LogRecord has; anything else was passed through `extra=` and is logged.
_STANDARD_ATTRS = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys() | {"message", "asctime"}
)
_REDACTED_KEYS = frozenset(
    {"password", "current_password", "token", "access_token", "refresh_token", "authorization",
     "x-api-key", "api_key", "key", "secret", "jwt_secret", "cookie"}
)  # fmt: skip


ExcInfo: TypeAlias = (
    tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]
)


def _kind(error: BaseException) -> str:
    """The exception's class, and the SQLSTATE a database error carries (never its text)."""
    name = f"{type(error).__module__}.{type(error).__qualname__}"
    code = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
    if isinstance(code, str) and code.isalnum():
        name += f" (SQLSTATE {code})"
    orig = getattr(error, "orig", None)  # what SQLAlchemy's DBAPIError wraps
    if isinstance(orig, BaseException) and orig is not error:
        name += f", wrapping {_kind(orig)}"
    return name


def format_exception_without_messages(exc_info: ExcInfo) -> str:
    """Like `traceback.format_exception`, for each exception of the chain (causes first), but
    each one named by its type alone: file, line, function and source line are code, the
    message may be data."""
    chain: list[BaseException] = []
    current = exc_info[1]
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    blocks = []
    for error in reversed(chain):
        frames = "".join(traceback.format_list(traceback.extract_tb(error.__traceback__)))
        blocks.append(f"Traceback (most recent call last):\n{frames}{_kind(error)}")
    return "\n\nwhile handling it, or because of it:\n\n".join(blocks)


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Stamps the current request id on each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class TextFormatter(logging.Formatter):
    """`LOG_JSON=false`: plain lines; exceptions without their messages."""

    def formatException(self, ei: ExcInfo) -> str:
        return format_exception_without_messages(ei)


class JsonFormatter(TextFormatter):
    """One JSON object per line: time, level, logger, message, request_id, pid, extras, exception.

    Values under well-known secret names are replaced by "[redacted]", so a careless
    `extra={"password": ...}` never reaches the log.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "pid": record.process,
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS and key not in entry:
                entry[key] = redact(key, value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def redact(key: str, value: Any) -> Any:
    if key.lower() in _REDACTED_KEYS:
        return "[redacted]"
    if isinstance(value, dict):
        return {k: redact(str(k), v) for k, v in value.items()}
    return value


def configure_logging(level: str = "INFO", *, json_lines: bool = True) -> None:
    """Route all logging (ours, uvicorn's, SQLAlchemy's) through one stderr handler."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        JsonFormatter()
        if json_lines
        else TextFormatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
