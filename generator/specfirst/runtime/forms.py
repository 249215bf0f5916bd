"""Form bodies (``application/x-www-form-urlencoded``, ``multipart/form-data``): fields and files.

An operation whose body is a form reads it once per request with :func:`form_of` (its spooled
files are closed after the response), then each field as its ``encoding`` asks:
:func:`form_value` (text, validated laxly as text must be: ``"2"`` is 2; ``name=`` is the
empty string, never an absent field as FastAPI's ``Form()`` reads it), :func:`form_upload` (a
file part, one sent without a filename too) checked by :func:`form_file` (the part's media
type, ``encoding.contentType``) and :func:`form_part_headers` (``encoding.headers``),
:func:`form_json` (a field that carries a JSON document, as text or as an uploaded part),
:func:`form_deep_object` (``name[key]=value`` fields, ``encoding.style: deepObject``) and
:func:`form_mixed` (a union with a text member: text, JSON or an upload).

A field is one part, or every repeated part for an array (OpenAPI's ``explode``): a repeated
part for a field whose schema takes one value (``a=1&a=2``, two parts named ``a``) is an array
it refuses, never a value taken silently (:func:`_one`; FastAPI's ``Form()`` and ``File()``
take the last one).

An operation whose JSON body may also come as a form (the same schema under both media types,
``json_body(..., forms=True)``, or a form of another schema, one of ``json_body``'s
``variants``) has a form handed to :func:`_form_body`: each field is read as the model's
property needs it (:func:`_form_plan`), an uploaded part as its bytes.
"""

from __future__ import annotations

import functools
import io
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request

from .codec import _validate_json, adapter
from .problems import ProtocolProblem, _body_problem, _required_problem, json_pointer

_UploadT = TypeVar("_UploadT", bound="UploadFile | list[UploadFile] | None")
_T = TypeVar("_T")


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
            raise ProtocolProblem(
                415,
                f"part {field!r} must be {' or '.join(accepted)}, not {media}",
                errors=[
                    {"pointer": json_pointer(("body", *at)), "detail": "unsupported media type"}
                ],
            )
    return value


def form_part_headers(
    value: _UploadT,
    field: str,
    declared: tuple[tuple[str, bool, Any, tuple[tuple[str, Any], ...]], ...],
    status: int,
) -> _UploadT:
    """Check the headers of uploaded parts against ``encoding.headers``: required ones present,
    values of their schema's type and constraints (``(name, required, type, ((keyword,
    value), …))`` each, the keywords those of ``pydantic.Field``)."""
    files: list[UploadFile] = (
        list(value) if isinstance(value, list) else [] if value is None else [value]
    )
    errors: list[dict[str, str]] = []
    for index, upload in enumerate(files):
        at: tuple[str | int, ...] = (field, index) if isinstance(value, list) else (field,)
        for name, required, tp, checks in declared:
            pointer = json_pointer(("body", *at, "headers", name))
            raw = upload.headers.get(name)
            if raw is None:
                if required:
                    errors.append({"pointer": pointer, "detail": "required part header"})
                continue
            try:
                _constrained(tp, checks).validate_python(raw)
            except ValidationError as exc:
                errors.append({"pointer": pointer, "detail": exc.errors()[0]["msg"]})
    if errors:
        raise ProtocolProblem(
            status, "the request body does not match the API contract", errors=errors
        )
    return value


@functools.cache
def _constrained(tp: Any, checks: tuple[tuple[str, Any], ...]) -> TypeAdapter[Any]:
    """An adapter for ``tp`` with ``pydantic.Field`` constraints, built once per declaration."""
    return TypeAdapter(typing.Annotated[tp, Field(**dict(checks))] if checks else tp)


def _media_matches(media: str, pattern: str) -> bool:
    pattern = pattern.split(";", 1)[0].strip().lower()
    if pattern in ("*/*", media):
        return True
    return pattern.endswith("/*") and media.startswith(pattern[:-1])


async def form_json(
    form: FormData, field: str, tp: Any, *, required: bool, sequence: bool, status: int
) -> Any:
    """A form field that carries a JSON document, validated into ``tp``: a text part, or an
    uploaded one (a JSON part sent as a file) read as its bytes. For a ``sequence``, one part
    per item, or one part holding the whole JSON array (:func:`_json_list`)."""
    values: list[Any] = form.getlist(field)
    if not values:
        if required:
            raise _required_problem(status, (field,))
        return None
    if sequence:
        return await _json_list(values, tp, field, status)
    return await _json_field(_one(values, field, status), tp, (field,), status)


async def form_of(request: Request) -> FormData:
    """The request's form body, parsed once (Starlette keeps it), its spooled files closed after
    the response, as FastAPI closes those of the forms it reads: every file part, read by a
    field or sent in place of a text one, is closed."""
    form = await request.form()
    _close_after_response(request, form)
    return form


def form_upload(form: FormData, field: str, *, required: bool, sequence: bool, status: int) -> Any:
    """A file part of a form body (every repeated one for a ``sequence``), an ``UploadFile``.

    A part sent without a filename, which RFC 7578 allows, is text to Starlette: it is the
    file of its text's bytes (UTF-8) here, with no filename. So is every part of a ``format:
    byte`` string, base64 text by OpenAPI's reading, when a client sends it as text. An empty
    part is an empty file, never an absent field (FastAPI's ``File()`` reads it as absent).
    """
    values = form.getlist(field)
    if not values:
        if required:
            raise _required_problem(status, (field,))
        return None
    uploads = [v if isinstance(v, UploadFile) else _text_upload(v) for v in values]
    return uploads if sequence else _one(uploads, field, status)


_CLOSING = "specfirst.form_closing"


def _close_after_response(request: Request, form: FormData) -> None:
    """Close ``form`` when FastAPI's per-request exit stack unwinds (after the response)."""
    stack = request.scope.get("fastapi_middleware_astack")
    if stack is None or request.scope.get(_CLOSING):
        return
    request.scope[_CLOSING] = True
    stack.push_async_callback(form.close)


def _one(values: list[_T], field: str, status: int) -> _T:
    """The one part of a field whose schema takes one value. Sent more than once (``a=1&a=2``,
    two parts named ``a``), it is an array, which that schema refuses: taking one of them
    would hide the client's mistake (schemathesis sends such arrays as invalid data)."""
    if len(values) > 1:
        raise ProtocolProblem(
            status,
            "the request body does not match the API contract",
            errors=[
                {
                    "pointer": json_pointer(("body", field)),
                    "detail": f"sent {len(values)} times: takes one value, not an array",
                }
            ],
        )
    return values[0]


def _text_upload(text: str) -> UploadFile:
    data = text.encode("utf-8")
    return UploadFile(io.BytesIO(data), size=len(data))


def form_value(
    form: FormData,
    field: str,
    tp: Any,
    *,
    required: bool,
    sequence: bool,
    status: int,
    checks: tuple[tuple[str, Any], ...] = (),
) -> Any:
    """A text field of a form body (every repeated one for a ``sequence``), validated into
    ``tp`` with ``pydantic.Field`` constraints ``checks``; lax, as text must be: ``"2"`` is 2.

    ``name=`` is the empty string, as the spec reads it (a required string sent empty is
    valid; an integer sent empty is not), never an absent field.
    """
    values = [value for value in form.getlist(field) if isinstance(value, str)]
    if not values:
        if required:
            raise _required_problem(status, (field,))
        return None
    if not sequence:
        _one(form.getlist(field), field, status)  # a file sent beside the text counts too
    try:
        return _constrained(tp, checks).validate_python(values if sequence else values[0])
    except ValidationError as exc:
        raise _body_problem(exc, status, (field,)) from None


def form_mixed(
    form: FormData, field: str, tp: Any, *, required: bool, sequence: bool, status: int
) -> Any:
    """A form field whose schema is a union with a text member (every repeated one for a
    ``sequence``): telegram.org's ``chat_id`` (``anyOf: [integer, string]``) is text, ``"@name"``
    as much as ``"42"``; its ``animation`` (``anyOf: [{$ref: InputFile}, {type: string}]``, an
    empty schema or a string) is a file_id as text or an uploaded file. Neither is JSON text,
    and ``name=`` is the empty string, never an absent field.

    A part is read as JSON only when it holds an object or array valid for the union (a
    structured member); otherwise as text, laxly as text must be (``"2"`` is 2 where only a
    number fits), and an uploaded file is taken as it is, valid where a member admits any value.
    Repeated parts are an array: taken where a member admits one, refused otherwise.
    """
    values = form.getlist(field)
    if not values:
        if required:
            raise _required_problem(status, (field,))
        return None
    if sequence:
        return [_mixed_value(v, tp, (field, i), status) for i, v in enumerate(values)]
    if len(values) > 1:
        try:  # repeated: an array, valid where a member of the union is one
            return adapter(tp).validate_python(values)
        except ValidationError:
            pass
    return _mixed_value(_one(values, field, status), tp, (field,), status)


def _mixed_value(value: str | UploadFile, tp: Any, at: tuple[str | int, ...], status: int) -> Any:
    if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
        try:
            return _validate_json(tp, value)
        except ValidationError:
            pass  # text that only looks like JSON: a string member may still take it
    try:
        return adapter(tp).validate_python(value)
    except ValidationError as exc:
        raise _body_problem(exc, status, at) from None


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


async def form_present(request: Request, status: int) -> None:
    """Refuse a request without the required form body its fields cannot refuse themselves
    (every field optional, or none declared: pdfblocks' ``merge_documents``).

    Absent is no ``Content-Type`` and no bytes; a form with no fields under a form
    ``Content-Type`` is an empty form, which such a schema allows. Without a ``Content-Type``
    the form was not read (Starlette reads none), so the bytes can still be.
    """
    if await form_absent(request):
        raise _required_problem(status)


async def form_unread(request: Request, media: str, *, required: bool, status: int) -> None:
    """Refuse a form or multipart body whose schema is not an object (an array, a string): a
    form's fields are an object's properties, so nothing encodes such a body as one and the
    app reads none. Any body sent is answered 415; an absent one is refused (``status``) when
    the body is required, and passes when it is optional (the service gets ``body=None``).
    Absent as for :func:`form_present`."""
    if await form_absent(request):
        if required:
            raise _required_problem(status)
        return
    raise ProtocolProblem(
        415,
        f"this operation's {media} body has a schema that is not an object: a form has no "
        "fields for it, so it cannot be read",
    )


async def reject_unknown_fields(request: Request, known: frozenset[str], status: int) -> None:
    """Refuse a form whose schema has ``additionalProperties: false`` when it holds a field
    the schema does not declare (a ``name[key]`` field belongs to ``name``): each field's
    reader reads its own field only, and would let the others through."""
    if await form_absent(request):
        return
    form = await form_of(request)  # refused or not, its spooled files are closed
    unknown = sorted({key for key in form if key.partition("[")[0] not in known})
    if unknown:
        raise ProtocolProblem(
            status,
            f"unknown form field(s): {', '.join(unknown)}",
            errors=[
                {"pointer": json_pointer(("body", name)), "detail": "not a property of this body"}
                for name in unknown
            ],
        )


async def form_absent(request: Request) -> bool:
    """Whether an optional form body was left out (the service gets ``body=None``), rather
    than sent without its required fields (which those fields refuse). Absent as for
    :func:`form_present`: no ``Content-Type`` and no bytes."""
    return "content-type" not in request.headers and not await request.body()


async def _form_body(request: Request, tp: Any, *, required: bool, status: int) -> Any:
    """A form (or multipart) body of an operation whose JSON body may also come as a form.

    Each field is read as the model's property needs it: arrays from every repeated field (one
    is still a list), structured properties (objects, arrays of objects) from JSON text (a
    multipart part, or a form value) or from ``name[key]=value`` fields, the rest as text that
    lax validation converts (``"2"`` for an integer).
    """
    if not await request.body():
        # No bytes: no body, except that an empty urlencoded form is how ``{}`` is encoded (a
        # multipart body, even one without parts, has at least its closing boundary).
        urlencoded = (
            request.headers.get("content-type", "")
            .lower()
            .startswith("application/x-www-form-urlencoded")
        )
        if not required:
            return None
        if not urlencoded:
            raise _required_problem(status)
    # A form without fields (a required urlencoded body sent empty, or a multipart with no
    # parts) is the form of an object with none: the type's own rules accept or refuse it.
    form = await request.form()
    try:  # every part is read into memory here: the spooled files can go
        data = await _form_data(form, tp, status)
    finally:
        await form.close()
    try:
        return adapter(tp).validate_python(data)
    except ValidationError as exc:
        raise _body_problem(exc, status) from None


async def _form_data(form: FormData, tp: Any, status: int) -> dict[str, Any]:
    """The fields of ``form`` as model ``tp``'s properties need them (:func:`_form_body`)."""
    plan = _form_plan(tp)
    data: dict[str, Any] = {}
    deep: dict[str, dict[str, Any]] = {}
    for key in form:
        values: list[Any] = form.getlist(key)
        name, bracket, rest = key.partition("[")
        if (
            bracket
            and rest.endswith("]")
            and key not in plan
            and plan.get(name, ("",))[0] == "json"
        ):
            found = deep.setdefault(name, {})
            sub = rest[:-1]
            found[sub] = values if len(values) > 1 else values[0]
            continue
        kind, item_tp = plan.get(key, ("value", None))
        if kind in ("list", "value"):
            # an uploaded part (a file, or text sent with a filename) is its bytes: a binary
            # property takes them as they are, a text one decodes them
            values = [await v.read() if isinstance(v, UploadFile) else v for v in values]
        if kind == "list":
            data[key] = values
        elif kind == "json":
            data[key] = await _json_field(_one(values, key, status), item_tp, (key,), status)
        elif kind == "json_list":
            data[key] = await _json_list(values, item_tp, key, status)
        else:
            data[key] = values if len(values) > 1 else values[0]
    for name, fields in deep.items():
        data.setdefault(name, fields)
    return data


async def _json_list(values: list[Any], tp: Any, key: str, status: int) -> list[Any]:
    """An array of structured items: one part (or field) per item, as OpenAPI encodes an
    array in a form; or one part holding the whole JSON array, as schemathesis and many
    clients send it (velopayments' ``file`` of payee records). Each item is validated."""
    if len(values) == 1:
        raw = await values[0].read() if isinstance(values[0], UploadFile) else values[0]
        whole = _whole_array(raw, tp, key, status)
        if whole is not None:
            return whole
        values = [raw]
    return [await _json_field(v, tp, (key, i), status) for i, v in enumerate(values)]


def _whole_array(raw: Any, tp: Any, field: str, status: int) -> list[Any] | None:
    """The items of ``raw`` when it is a JSON array of ``tp`` items (each validated), or None
    when it is one item. Where ``tp`` is an array itself, ``[`` starts either; the one part
    is read as the whole array, as schemathesis and JSON-minded clients send it (reading
    ``[{}]`` as one item would take the array of one object it means as valid)."""
    head = raw.lstrip()[:1] if isinstance(raw, (str, bytes)) else None
    if head not in ("[", b"["):
        return None
    try:
        return list(_validate_json(list[tp], raw))
    except ValidationError as exc:
        raise _body_problem(exc, status, (field,)) from None


async def _json_field(value: Any, tp: Any, at: tuple[str | int, ...], status: int) -> Any:
    """A structured form field: its JSON text (or part) validated strictly into ``tp``."""
    raw = await value.read() if isinstance(value, UploadFile) else value
    try:
        return _validate_json(tp, raw)
    except ValidationError as exc:
        raise _body_problem(exc, status, at) from None


@functools.cache
def _form_plan(tp: Any) -> dict[str, tuple[str, Any]]:
    """How to read each property of model ``tp`` from a form: wire name → (kind, type)."""
    tp = _strip(tp)  # a nullable body's model (a form is never null)
    if not (isinstance(tp, type) and issubclass(tp, BaseModel)) or "root" in tp.model_fields:
        return {}
    plan: dict[str, tuple[str, Any]] = {}
    for name, info in tp.model_fields.items():
        annotation = _strip(info.annotation)
        origin = typing.get_origin(annotation)
        if origin in (list, set, frozenset, tuple) or annotation in (list, set, frozenset, tuple):
            item = (typing.get_args(annotation) or (Any,))[0]
            structured = _structured(item) or _is_list(item)  # an item array is JSON too
            kind = ("json_list", item) if structured else ("list", None)
        elif _structured(annotation):
            kind = ("json", info.annotation)
        else:
            continue
        plan[info.alias or name] = kind
    return plan


def _strip(tp: Any) -> Any:
    """``tp`` without ``Annotated`` and ``| None``."""
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return _strip(args[0])
    return tp


def _structured(tp: Any) -> bool:
    """Values of ``tp`` are objects or arrays (JSON in a form field), not text."""
    tp = _strip(tp)
    if tp is dict or typing.get_origin(tp) is dict:
        return True
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        root = tp.model_fields.get("root")
        return root is None or _structured(root.annotation) or _is_list(root.annotation)
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        return any(_structured(a) for a in typing.get_args(tp))
    return False


def _is_list(tp: Any) -> bool:
    tp = _strip(tp)
    return typing.get_origin(tp) in (list, set, frozenset, tuple)
