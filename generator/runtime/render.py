"""Turning typed results into HTTP responses, serializing each body exactly once.

The generated router knows every response type, so it skips FastAPI's validate-then-serialize
of a ``response_model``: a cached ``TypeAdapter`` writes JSON bytes straight into the
``Response``.
"""

from __future__ import annotations

import datetime
import enum
import functools
from collections.abc import AsyncIterable, Iterable
from typing import Any

from pydantic import BaseModel, TypeAdapter
from starlette.responses import Response, StreamingResponse


@functools.cache
def adapter(tp: Any) -> TypeAdapter[Any]:
    return TypeAdapter(tp)


def dump_json(tp: Any, value: Any) -> bytes:
    if isinstance(value, BaseModel) and type(value) is tp:
        return value.__pydantic_serializer__.to_json(value, by_alias=True, exclude_unset=True)
    return adapter(tp).dump_json(value, by_alias=True, exclude_unset=True)


def header_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ",".join(header_value(v) for v in value)
    return str(value)


def _finish(response: Response, headers: Iterable[tuple[str, Any]], sub: Response | None) -> Response:
    for name, value in headers:
        if value is not None:
            response.headers[name] = header_value(value)
    if sub is not None and sub.raw_headers:
        response.raw_headers.extend(
            (k, v) for k, v in sub.raw_headers if k not in (b"content-length", b"content-type")
        )
    return response


def json_response(
    status: int, tp: Any, value: Any, media_type: str, headers: Iterable[tuple[str, Any]], sub: Response | None
) -> Response:
    return _finish(Response(dump_json(tp, value), status_code=status, media_type=media_type), headers, sub)


def raw_response(
    status: int, value: Any, media_type: str, headers: Iterable[tuple[str, Any]], sub: Response | None
) -> Response:
    if isinstance(value, str):
        response: Response = Response(value.encode("utf-8"), status_code=status, media_type=media_type)
    elif isinstance(value, bytes | bytearray | memoryview):
        response = Response(bytes(value), status_code=status, media_type=media_type)
    elif isinstance(value, AsyncIterable | Iterable):
        response = StreamingResponse(value, status_code=status, media_type=media_type)
    else:
        raise TypeError(f"a {media_type} body must be bytes, str or an iterator of bytes")
    return _finish(response, headers, sub)


def empty_response(status: int, headers: Iterable[tuple[str, Any]], sub: Response | None) -> Response:
    return _finish(Response(status_code=status), headers, sub)
