# Vendored from the specfirst 0.1.0 runtime by `specfirst generate`. DO NOT EDIT.
# Upgrade specfirst and regenerate to update it.
"""Streamed responses (OpenAPI 3.2 ``itemSchema``): each item checked, serialized and framed.

Items go out as JSON Lines, a JSON text sequence (RFC 7464) or server-sent events, as the
media type says; the table of media types and framings is :mod:`.streams`, which imports
nothing heavy because the generator reads it too.
"""

from __future__ import annotations

import functools
import json
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.responses import Response, StreamingResponse

from .codec import _none_means_unset, adapter, dump_json
from .headers import _finish
from .problems import UndeclaredResponseError
from .streams import Framing

_NOTHING: Any = object()


def stream_response(
    operation_id: str,
    status: int,
    tp: Any,
    items: AsyncIterable[Any] | Iterable[Any],
    media_type: str,
    framing: Framing,
    headers: Iterable[tuple[str, Any]],
    sub: Response | None,
) -> Response:
    """A streamed body of OpenAPI 3.2 ``itemSchema`` items, each checked against ``tp``,
    serialized once and framed as JSON Lines, a JSON text sequence (RFC 7464) or
    server-sent events."""
    frames = _frames(operation_id, tp, items, framing, _NOTHING)
    return _finish(
        StreamingResponse(frames, status_code=status, media_type=media_type), headers, sub
    )


async def stream_items(
    operation_id: str,
    status: int,
    tp: Any,
    items: AsyncIterable[Any],
    media_type: str,
    framing: Framing,
    sub: Response | None,
) -> Response:
    """Like :func:`stream_response`, for an implementation that yields the items itself.

    The first item is produced (and checked) before the status line is sent, so a
    ``ProblemError`` the implementation raises before yielding (a 404, a 403 …) is still
    answered as a problem, and an empty stream is still a declared response.
    """
    iterator = aiter(items)
    try:
        first = _checked(operation_id, tp, await anext(iterator))
    except StopAsyncIteration:
        first = _NOTHING
    except BaseException:
        await _close(iterator)
        raise
    frames = _frames(operation_id, tp, iterator, framing, first)
    return _finish(StreamingResponse(frames, status_code=status, media_type=media_type), (), sub)


async def _frames(
    operation_id: str,
    tp: Any,
    items: AsyncIterable[Any] | Iterable[Any],
    framing: Framing,
    first: Any,
) -> AsyncIterator[bytes]:
    try:
        if first is not _NOTHING:
            yield _frame(tp, first, framing)
        if isinstance(items, AsyncIterable):
            async for item in items:
                yield _frame(tp, _checked(operation_id, tp, item), framing)
        else:
            for item in items:
                yield _frame(tp, _checked(operation_id, tp, item), framing)
    finally:
        await _close(items)


async def _close(items: object) -> None:
    """Close an async generator the client stopped reading (runs its ``finally`` blocks)."""
    aclose = getattr(items, "aclose", None)
    if aclose is not None:
        await aclose()


def _checked(operation_id: str, tp: Any, item: Any) -> Any:
    """``item`` validated as one item of the stream; an invalid item is a server error."""
    if isinstance(tp, type) and type(item) is tp:
        return item
    try:
        return adapter(tp).validate_python(item)
    except ValidationError as exc:
        raise UndeclaredResponseError(operation_id, item, f"stream item: {exc}") from None


def _frame(tp: Any, value: Any, framing: Framing) -> bytes:
    if framing == "sse":
        if _plain_event(tp) and type(value) is tp:
            return _sse_event(value.__dict__)
        return _sse_event(_dump_fields(tp, value))
    return _frame_json(dump_json(tp, value), framing)


_PLAIN = frozenset({str, int, str | None, int | None})


@functools.cache
def _plain_event(tp: Any) -> bool:
    """An event model whose fields are strings and integers under their own names (the usual
    ``event``/``id``/``data``/``retry``): its attributes are the event, no serializer needed."""
    if not (isinstance(tp, type) and issubclass(tp, BaseModel)):
        return False
    return all(
        info.annotation in _PLAIN and info.alias in (None, name)
        for name, info in tp.model_fields.items()
    )


def _dump_fields(tp: Any, value: Any) -> Any:
    """``value`` as JSON-compatible Python data, with :func:`dump_json`'s rules for ``None``."""
    none = _none_means_unset(tp)
    if isinstance(value, BaseModel) and type(value) is tp:
        serializer = value.__pydantic_serializer__
        return serializer.to_python(
            value, mode="json", by_alias=True, exclude_none=none, exclude_unset=not none
        )
    return adapter(tp).dump_python(
        value, mode="json", by_alias=True, exclude_none=none, exclude_unset=not none
    )


def _frame_json(data: bytes, framing: Framing) -> bytes:
    if framing == "json-seq":
        return b"\x1e" + data + b"\n"
    return data + b"\n"


def _sse_event(event: Any) -> bytes:
    """One server-sent event: each field on its own line(s), then a blank line.

    ``data`` that is not a string is sent as JSON; a multi-line value becomes one
    ``data:`` line per line, as the HTML standard's parser joins them back (other fields
    cannot span lines: their line breaks become spaces).
    """
    fields = event if isinstance(event, dict) else {"data": event}
    text = ""
    for name, value in fields.items():
        if value is None:
            continue
        line = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        if "\n" in line or "\r" in line:
            parts = line.splitlines() or [""]
            line = "\ndata: ".join(parts) if name == "data" else " ".join(parts)
        text += f"{name}: {line}\n"
    return (text + "\n").encode("utf-8")
