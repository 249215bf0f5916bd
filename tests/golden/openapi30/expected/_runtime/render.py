# Vendored from the specfirst 0.1.0 runtime by `specfirst generate`. DO NOT EDIT.
# Upgrade specfirst and regenerate to update it.
"""Turning typed results into HTTP responses, serializing each body exactly once.

The generated router knows every response type, so it skips FastAPI's validate-then-serialize
of a ``response_model``: a cached ``TypeAdapter`` writes JSON bytes straight into the
``Response``.
"""

from __future__ import annotations

import datetime
import enum
import functools
import json
import types
import typing
from collections.abc import AsyncIterable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from .problems import ProblemError, UndeclaredResponseError, json_pointer


@functools.cache
def adapter(tp: Any) -> TypeAdapter[Any]:
    return TypeAdapter(tp)


def dump_json(tp: Any, value: Any) -> bytes:
    """JSON for a response body of type ``tp``, omitting optional properties never set.

    An optional property that is not nullable holds ``None`` when absent, and sending that
    ``None`` as ``null`` would break the schema. ``exclude_unset`` omits it, at a cost of about
    a third of the serialization time; where every ``None``-admitting field of every model in
    ``tp`` is such a property (so ``None`` can only mean "not set"), the cheaper
    ``exclude_none`` gives the same document.
    """
    none = _none_means_unset(tp)
    if isinstance(value, BaseModel) and type(value) is tp:
        serializer = value.__pydantic_serializer__
        return serializer.to_json(value, by_alias=True, exclude_none=none, exclude_unset=not none)
    return adapter(tp).dump_json(value, by_alias=True, exclude_none=none, exclude_unset=not none)


@functools.cache
def _none_means_unset(tp: Any) -> bool:
    return _fields_none_only_when_unset(tp, set())


def _fields_none_only_when_unset(tp: Any, seen: set[type]) -> bool:
    """True when both modes give the same document for every value of ``tp``.

    That is when no model reachable from ``tp`` has a field that may legitimately be ``None``
    (a nullable one, or ``Any``: its explicit ``None`` must be sent as ``null``) or a default
    other than ``None``. The fields the generator registered as optional-and-not-nullable
    (``__sf_not_null__``, see ``specfirst.runtime.base``) are ``None`` only when unset.
    """
    if tp is Any or tp is object or isinstance(tp, str | typing.ForwardRef):
        return False  # anything, or a reference not resolved: assume None may be meant
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if tp in seen:
            return True
        seen.add(tp)
        if not getattr(tp, "__pydantic_fields_complete__", True):
            tp.model_rebuild(raise_errors=False)  # resolve forward references (defer_build)
        not_null = set(getattr(tp, "__sf_not_null__", ()))
        for name, info in tp.model_fields.items():
            if _admits_none(info.annotation) and name not in not_null:
                return False
            if not info.is_required() and info.get_default() is not None:
                return False  # exclude_unset omits an unset default; exclude_none would not
            if not _fields_none_only_when_unset(info.annotation, seen):
                return False
        return True
    args = typing.get_args(tp)
    if typing.get_origin(tp) is typing.Annotated:
        args = args[:1]
    elif typing.get_origin(tp) is typing.Literal:
        return True
    return all(_fields_none_only_when_unset(arg, seen) for arg in args)


def _admits_none(tp: Any) -> bool:
    if tp is None or tp is type(None) or tp is Any or tp is object:
        return True
    if typing.get_origin(tp) is typing.Annotated:
        return _admits_none(typing.get_args(tp)[0])
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        return any(_admits_none(arg) for arg in typing.get_args(tp))
    return False


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


def _finish(
    response: Response, headers: Iterable[tuple[str, Any]], sub: Response | None
) -> Response:
    for name, value in headers:
        if value is not None:
            response.headers[name] = header_value(value)
    if sub is not None and sub.raw_headers:
        response.raw_headers.extend(
            (k, v) for k, v in sub.raw_headers if k not in (b"content-length", b"content-type")
        )
    return response


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


def reject_unknown_query(request: Request, known: frozenset[str], status: int) -> None:
    """Answer a validation error naming every query parameter the operation does not declare."""
    unknown = sorted({key for key in request.query_params if key not in known})
    if unknown:
        raise ProblemError(
            status,
            f"unknown query parameter(s): {', '.join(unknown)}",
            errors=[
                {"pointer": f"/query/{name}", "detail": "not a parameter of this operation"}
                for name in unknown
            ],
        )


_JSON_TYPES = ("application/json", "+json")


async def json_body(
    request: Request, tp: Any, *, required: bool, status: int, forms: bool = False
) -> Any:
    """Read and validate a JSON request body in one pass (pydantic-core parses the bytes).

    Runs inside the endpoint, after the security requirement was checked, so an anonymous
    caller learns nothing from validation errors. Wrong media type → 415. With ``forms``, the
    operation also declares a form media type with the same schema: such a body is read as a
    form and validated into the same type.
    """
    if forms:
        form_media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if form_media == "application/x-www-form-urlencoded" or form_media.startswith("multipart/"):
            return await _form_body(request, tp, required=required, status=status)
    raw = await request.body()
    if not raw:
        if required:
            raise _required_problem(status)
        return None
    media = request.headers.get("content-type", "application/json").split(";", 1)[0].strip().lower()
    if media and not (media == "application/json" or media.endswith("+json")):
        raise ProblemError(415, f"expected a JSON body, got {media!r}")
    try:
        return _validate_json(tp, raw)
    except ValidationError as exc:
        raise _body_problem(exc, status) from None


def _validate_json(tp: Any, raw: str | bytes) -> Any:
    """Validate a JSON document strictly (JSON has its own types: "30" is not an integer, true
    is not 1); strings still become datetimes, dates, UUIDs and enums, which JSON cannot carry."""
    try:
        return adapter(tp).validate_json(raw, strict=True)
    except ValidationError as exc:
        if not _integral_floats_rejected(exc):
            raise
        # JSON Schema counts 3.0 as an integer; pydantic's strict mode does not.
        try:
            fixed = _ints_for_integral_floats(raw)
        except ValueError:
            raise exc from None
        return adapter(tp).validate_json(fixed, strict=True)


_UploadT = TypeVar("_UploadT", bound="UploadFile | list[UploadFile] | None")


def form_file(value: _UploadT, field: str, accepted: tuple[str, ...]) -> _UploadT:
    """Refuse (415) an uploaded part whose media type ``encoding.contentType`` does not list.

    ``accepted`` holds media types and ranges (``image/*``, ``*/*``); a part that names no
    type counts as ``application/octet-stream``.
    """
    files: list[UploadFile] = (
        list(value) if isinstance(value, list) else [] if value is None else [value]
    )
    for index, upload in enumerate(files):
        media = (upload.content_type or "application/octet-stream").split(";", 1)[0]
        media = media.strip().lower()
        if not any(_media_matches(media, pattern) for pattern in accepted):
            at: tuple[str | int, ...] = (field, index) if isinstance(value, list) else (field,)
            raise ProblemError(
                415,
                f"part {field!r} must be {' or '.join(accepted)}, not {media}",
                errors=[
                    {"pointer": json_pointer(("body", *at)), "detail": "unsupported media type"}
                ],
            )
    return value


def _media_matches(media: str, pattern: str) -> bool:
    pattern = pattern.split(";", 1)[0].strip().lower()
    if pattern in ("*/*", media):
        return True
    return pattern.endswith("/*") and media.startswith(pattern[:-1])


def form_json(value: str | list[str] | None, field: str, tp: Any, status: int) -> Any:
    """Decode and validate a form field that carries a JSON document (one per part for lists)."""
    if value is None:
        return None
    parts = value if isinstance(value, list) else [value]
    out = []
    for index, text in enumerate(parts):
        try:
            out.append(_validate_json(tp, text))
        except ValidationError as exc:
            at: tuple[str | int, ...] = (field, index) if isinstance(value, list) else (field,)
            raise _body_problem(exc, status, at) from None
    return out if isinstance(value, list) else out[0]


def form_deep_object(form: FormData, field: str, tp: Any, *, required: bool, status: int) -> Any:
    """Read ``field[key]=value`` form fields (``encoding.style: deepObject``) into ``tp``.

    Values are text, so validation is lax here: ``"1"`` becomes ``1`` for an integer property.
    """
    prefix = field + "["
    found: dict[str, Any] = {}
    for key, item in form.multi_items():
        if key.startswith(prefix) and key.endswith("]") and isinstance(item, str):
            name = key[len(prefix) : -1]
            if name in found:
                previous = found[name]
                found[name] = [*previous, item] if isinstance(previous, list) else [previous, item]
            else:
                found[name] = item
    if not found:
        if required:
            raise _required_problem(status, (field,))
        return None
    try:
        return adapter(tp).validate_python(found)
    except ValidationError as exc:
        raise _body_problem(exc, status, (field,)) from None


async def _form_body(request: Request, tp: Any, *, required: bool, status: int) -> Any:
    form = await request.form()
    data: dict[str, Any] = {}
    for key in form:
        values = form.getlist(key)
        data[key] = values if len(values) > 1 else values[0]
    if not data:
        if required:
            raise _required_problem(status)
        return None
    try:
        return adapter(tp).validate_python(data)
    except ValidationError as exc:
        raise _body_problem(exc, status) from None


def _integral_floats_rejected(exc: ValidationError) -> bool:
    return any(
        e["type"] == "int_type"
        and isinstance(e.get("input"), float)
        and float(e["input"]).is_integer()
        for e in exc.errors(include_url=False)
    )


def _integral(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() and abs(value) < 2**63 else value


def _ints_for_integral_floats(raw: str | bytes) -> bytes:
    return json.dumps(json.loads(raw, parse_float=_integral), ensure_ascii=False).encode("utf-8")


def _required_problem(status: int, at: tuple[str, ...] = ()) -> ProblemError:
    """A required body (``at`` empty) or body field is absent."""
    detail = "the request body does not match the API contract" if at else None
    return ProblemError(
        status,
        detail or "a request body is required",
        errors=[{"pointer": json_pointer(("body", *at)), "detail": "required"}],
    )


def _body_problem(
    exc: ValidationError, status: int, at: tuple[str | int, ...] = ()
) -> ProblemError:
    errors = [
        {
            "pointer": json_pointer(("body", *at, *error["loc"])),
            "detail": error["msg"],
        }
        for error in exc.errors(include_url=False, include_input=False)
    ]
    return ProblemError(status, "the request body does not match the API contract", errors=errors)


def json_response(
    status: int,
    tp: Any,
    value: Any,
    media_type: str,
    headers: Iterable[tuple[str, Any]],
    sub: Response | None,
) -> Response:
    return _finish(
        Response(dump_json(tp, value), status_code=status, media_type=media_type), headers, sub
    )


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


def empty_response(
    status: int, headers: Iterable[tuple[str, Any]], sub: Response | None
) -> Response:
    return _finish(Response(status_code=status), headers, sub)
