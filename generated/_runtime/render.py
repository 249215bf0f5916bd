# Vendored from the specfirst 0.1.0 runtime by `specfirst generate`. DO NOT EDIT.
# Upgrade specfirst and regenerate to update it.
"""Turning typed results into HTTP responses, serializing each body exactly once.

The generated router knows every response type, so it skips FastAPI's validate-then-serialize
of a ``response_model``: a cached ``TypeAdapter`` writes JSON bytes straight into the
``Response``. Each operation has a :class:`Responses` table from result type to entry
(:class:`Json`, :class:`Raw`, :class:`Empty`, :class:`Stream`).

This is also the one module generated routers call (``from .._runtime import render as rt``,
then ``rt.<name>``). The request-side helpers they call are imported here from the modules
that hold them, as the same objects, so ``rt.<name>`` is still one lookup and one call:
:func:`~.bodies.json_body` (and :data:`~.bodies.UNIQUE_ITEMS`), the ``form_*`` checks of :mod:`.forms`,
:func:`~.params.reject_unknown_query`, :func:`~.streaming.stream_items`, and
:class:`~.errors.ErrorFormat` (an operation's declared error responses).
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable, Mapping
from typing import Any, Union

from pydantic import TypeAdapter, ValidationError
from pydantic_core import PydanticSerializationError, SchemaSerializer
from starlette.responses import Response, StreamingResponse

from .bodies import UNIQUE_ITEMS, json_body, raw_body
from .codec import adapter, writer
from .errors import ErrorFormat
from .forms import (
    form_absent,
    form_deep_object,
    form_file,
    form_json,
    form_mixed,
    form_of,
    form_part_headers,
    form_present,
    form_unread,
    form_upload,
    form_value,
    reject_unknown_fields,
)
from .headers import HeaderValueError, _finish
from .params import reject_unknown_query
from .problems import UndeclaredResponseError, json_pointer
from .results import Result
from .streaming import stream_items, stream_response
from .streams import Framing


def ranged_status(operation_id: str, declared: str, result: Any) -> int:
    """The status a ``2XX``/``default`` result chose, if the declared range admits it."""
    status = result.status_code
    if declared[0].isdigit():
        ok = isinstance(status, int) and status // 100 == int(declared[0])
    else:
        ok = isinstance(status, int) and 100 <= status <= 599
    if not ok:
        raise UndeclaredResponseError(operation_id, result, f"status {status!r} outside {declared}")
    return int(status)


class JsonBytes(Response):
    """A response of JSON bytes already serialized: Starlette's ``Response`` without the work
    its constructor does for every kind of content (the same status line and headers)."""

    def __init__(self, body: bytes, status_code: int, media_type: str) -> None:
        self.status_code = status_code
        self.media_type = media_type
        self.background = None
        self.body = body
        self.raw_headers = [
            (b"content-length", str(len(body)).encode("latin-1")),
            (b"content-type", media_type.encode("latin-1")),
        ]


class Json:
    """A JSON response: its status, body type, media type and headers.

    ``headers`` maps each header's wire name to the result attribute that holds its value.
    ``status`` is a number, or a range (``"2XX"``, ``"default"``) the result's ``status_code``
    must fall in. The body is serialized by one pydantic-core call, with the adapter built on
    first use (a large API has thousands of responses; building them all at import would cost
    its start-up). A body the implementation built as models is not validated again; plain
    dicts and lists where the type says models are validated in one pass first, as FastAPI's
    ``response_model`` does, and a value that does not validate is an error naming the operation.
    """

    __slots__ = ("_adapter", "_none", "_writer", "headers", "media_type", "status", "tp")

    def __init__(
        self,
        status: int | str,
        tp: Any,
        media_type: str = "application/json",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status = status
        self.tp = tp
        self.media_type = media_type
        self.headers = tuple((headers or {}).items())
        self._adapter: TypeAdapter[Any] | None = None
        self._writer: SchemaSerializer | None = None
        self._none = False

    def dump(self, operation_id: str, value: Any) -> bytes:
        ta, write = self._adapter, self._writer
        if ta is None or write is None:
            ta = self._adapter = adapter(self.tp)
            write, self._none = writer(self.tp)
            self._writer = write
        none = self._none
        if _plain(value):  # a handler ported from FastAPI: dicts where models are declared
            value = self._validate(operation_id, ta, value)
        else:
            try:
                return write.to_json(
                    value,
                    by_alias=True,
                    exclude_none=none,
                    exclude_unset=not none,
                    warnings="error",
                )
            except PydanticSerializationError:
                value = self._validate(operation_id, ta, value)  # not (only) what the type says
        return write.to_json(value, by_alias=True, exclude_none=none, exclude_unset=not none)

    @staticmethod
    def _validate(operation_id: str, ta: TypeAdapter[Any], value: Any) -> Any:
        try:
            return ta.validate_python(value)
        except ValidationError as exc:
            first = exc.errors(include_url=False, include_input=False)[0]
            where = json_pointer(first["loc"])
            raise UndeclaredResponseError(
                operation_id, value, f"body at {where}: {first['msg']}"
            ) from None

    def render(self, operation_id: str, result: Any, body: Any, sub: Response | None) -> Response:
        status = _status(operation_id, self.status, result)
        response = JsonBytes(self.dump(operation_id, body), status, self.media_type)
        if self.headers or sub is not None:
            return _finish(response, _header_values(self.headers, result), sub)
        return response


class Raw:
    """A non-JSON response: bytes, text or an iterator of bytes, sent as it is."""

    __slots__ = ("headers", "media_type", "status")

    def __init__(
        self, status: int | str, media_type: str, headers: Mapping[str, str] | None = None
    ) -> None:
        self.status = status
        self.media_type = media_type
        self.headers = tuple((headers or {}).items())

    def render(self, operation_id: str, result: Any, body: Any, sub: Response | None) -> Response:
        status = _status(operation_id, self.status, result)
        media_type = getattr(result, "media_type", None) or self.media_type
        return raw_response(status, body, media_type, _header_values(self.headers, result), sub)


class Empty:
    """A response without a body."""

    __slots__ = ("headers", "status")

    def __init__(self, status: int | str, headers: Mapping[str, str] | None = None) -> None:
        self.status = status
        self.headers = tuple((headers or {}).items())

    def render(self, operation_id: str, result: Any, body: Any, sub: Response | None) -> Response:
        status = _status(operation_id, self.status, result)
        return _finish(Response(status_code=status), _header_values(self.headers, result), sub)


Entry = Union["Json", "Raw", "Empty", "Stream"]


class Responses:
    """An operation's responses by result type: how each returned value becomes a response.

    Keys are the operation's result classes (their ``body`` and header attributes are sent)
    and the types it may return bare (sent as the single success response: a model, ``list``
    for an array, ``type(None)`` for an empty one). One dict lookup per request; a subclass
    finds its base's entry. A plain ``dict`` or ``list`` where the bare success is a model
    (a handler ported from FastAPI) is validated into it; anything else is an undeclared
    response, a 500 problem that names the operation.
    """

    __slots__ = ("_entries", "_fallback", "operation_id")

    def __init__(self, operation_id: str, table: Mapping[type, Entry]) -> None:
        self.operation_id = operation_id
        # type -> (entry, bare): a bare value is the body itself, a result class holds one
        self._entries = {key: (e, not issubclass(key, Result)) for key, e in table.items()}
        self._fallback = next(
            ((e, True) for e, bare in self._entries.values() if bare and isinstance(e, Json)),
            None,
        )

    def __call__(self, result: object, sub: Response | None) -> Response:
        found = self._entries.get(type(result)) or self._lookup(result)
        entry, bare = found
        body = result if bare else getattr(result, "body", None)
        try:
            return entry.render(self.operation_id, result, body, sub)
        except HeaderValueError as exc:
            raise UndeclaredResponseError(self.operation_id, result, str(exc)) from None

    def _lookup(self, result: object) -> tuple[Entry, bool]:
        for base in type(result).__mro__[1:]:
            if base in self._entries:
                return self._entries[base]
        if self._fallback is not None and isinstance(result, dict | list | tuple):
            return self._fallback
        raise UndeclaredResponseError(self.operation_id, result)


def _plain(value: Any) -> bool:
    """A dict, or a list of dicts: what FastAPI handlers return for a ``response_model``."""
    kind = type(value)
    return kind is dict or (kind is list and bool(value) and type(value[0]) is dict)


def _status(operation_id: str, declared: int | str, result: Any) -> int:
    return declared if isinstance(declared, int) else ranged_status(operation_id, declared, result)


def _header_values(headers: tuple[tuple[str, str], ...], result: Any) -> list[tuple[str, Any]]:
    return [(name, getattr(result, attr, None)) for name, attr in headers]


def raw_response(
    status: int,
    value: Any,
    media_type: str,
    headers: Iterable[tuple[str, Any]],
    sub: Response | None,
) -> Response:
    if isinstance(value, str):
        response: Response = Response(
            value.encode("utf-8"), status_code=status, media_type=media_type
        )
    elif isinstance(value, bytes | bytearray | memoryview):
        response = Response(bytes(value), status_code=status, media_type=media_type)
    elif isinstance(value, AsyncIterable | Iterable):
        response = StreamingResponse(value, status_code=status, media_type=media_type)
    else:
        raise TypeError(f"a {media_type} body must be bytes, str or an iterator of bytes")
    return _finish(response, headers, sub)


class Stream:
    """A streamed response (OpenAPI 3.2 ``itemSchema``): the result's ``body`` is an iterator
    of items, each checked against ``tp`` and framed as ``framing`` says."""

    __slots__ = ("framing", "headers", "media_type", "status", "tp")

    def __init__(
        self,
        status: int | str,
        tp: Any,
        media_type: str,
        framing: Framing,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status = status
        self.tp = tp
        self.media_type = media_type
        self.framing: Framing = framing
        self.headers = tuple((headers or {}).items())

    def render(self, operation_id: str, result: Any, body: Any, sub: Response | None) -> Response:
        status = _status(operation_id, self.status, result)
        headers = _header_values(self.headers, result)
        return stream_response(
            operation_id, status, self.tp, body, self.media_type, self.framing, headers, sub
        )


__all__ = [
    "Empty",
    "Entry",
    "Json",
    "JsonBytes",
    "Raw",
    "Responses",
    "Stream",
    "ranged_status",
    "raw_response",
]
# Defined in .bodies, .errors, .forms, .params and .streaming; generated routers call them as
# rt.<name>.
__all__ += [
    "UNIQUE_ITEMS",
    "ErrorFormat",
    "form_absent",
    "form_deep_object",
    "form_file",
    "form_json",
    "form_mixed",
    "form_of",
    "form_part_headers",
    "form_present",
    "form_unread",
    "form_upload",
    "form_value",
    "json_body",
    "raw_body",
    "reject_unknown_fields",
    "reject_unknown_query",
    "stream_items",
]
