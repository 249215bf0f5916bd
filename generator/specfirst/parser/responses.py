"""Responses: each status's result class, body type and headers.

One media type per response is typed (the first; for an error status whose first is opaque
bytes, the first JSON or text one declared beside it, which the runtime's own answers can be
sent in: :func:`_typed_media`); a JSON body gets its model or primitive
type, text ``str``, anything else ``bytes``, and an ``itemSchema`` of a stream media type an
``AsyncIterator`` of its items. :func:`read_headers` also reads the headers a multipart
file part declares.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from specfirst import naming
from specfirst.diagnostics import Level
from specfirst.ir import BodyKind, Constraint, Header, Response, is_problem_json
from specfirst.loader import Pointer
from specfirst.parser.context import Context
from specfirst.parser.errors import is_error_status
from specfirst.parser.media import body_kind, is_binary_schema, stream_format
from specfirst.parser.model_types import SchemaTypes
from specfirst.runtime.conform import build
from specfirst.runtime.headers import header_value
from specfirst.schema_types import constraints, is_simple, primitive_type


def read_responses(
    ctx: Context, types: SchemaTypes, op: Mapping[str, Any], ptr: Pointer, prefix: str
) -> list[Response]:
    """An operation's responses: status, result class, body type (one media type each), headers."""
    result: list[Response] = []
    responses = op.get("responses") or {}
    for status, raw in responses.items():
        status = str(status)
        resp, rptr = ctx.deref(raw, (*ptr, "responses", status))
        if not isinstance(resp, Mapping):
            continue
        if not (status == "default" or re.fullmatch(r"[1-5](\d\d|XX)", status.upper())):
            ctx.warn("unsupported", f"response status {status!r}", rptr)
            continue
        content = resp.get("content") or {}
        media: str | None = None
        kind: BodyKind | None = None
        py_type: str | None = None
        stream: str | None = None
        item_type: str | None = None
        xml: str | None = None
        problem_type: str | None = None
        if (
            isinstance(content, Mapping)
            and content
            and status not in ("204", "304")
            and not status.startswith("1")
        ):
            media = _typed_media(ctx, content, status)
            kind = body_kind(media)
            media_obj = content[media] if isinstance(content[media], Mapping) else {}
            schema = media_obj.get("schema")
            sptr: Pointer = (*rptr, "content", media, "schema")
            if is_binary_schema(ctx.resolve_schema(schema)):
                kind = BodyKind.BINARY
            stream = stream_format(media) if "itemSchema" in media_obj else None
            if "itemSchema" in media_obj and stream is None:
                ctx.warn(
                    "unsupported",
                    f"itemSchema of {media!r} responses: a stream of that media type is "
                    "sent as raw bytes (streams of application/jsonl, application/json-seq "
                    "and text/event-stream are typed)",
                    (*rptr, "content", media, "itemSchema"),
                    Level.INFO,
                )
            if stream is not None:
                kind = BodyKind.BINARY
                item_type = types.schema_type(
                    media_obj.get("itemSchema"),
                    (*rptr, "content", media, "itemSchema"),
                    "Response",
                )
                py_type = f"AsyncIterator[{item_type}]"
            elif kind is BodyKind.JSON:
                py_type = types.schema_type(schema, sptr, "Response")
            elif kind is BodyKind.TEXT:
                py_type = "str"
            else:
                py_type = "bytes"
                if xml_media(media) and kind is BodyKind.BINARY:
                    xml = xml_schema(ctx, schema)
            if media == "*/*":
                media = "application/json" if kind is BodyKind.JSON else "application/octet-stream"
            problem_type = _problem_type(types, content, media, status, rptr)
        headers: list[Header] = []
        taken: set[str] = {"body", "status_code", "headers"}
        headers.extend(read_headers(ctx, resp.get("headers") or {}, (*rptr, "headers"), taken))
        headers.sort(key=lambda h: not h.required)
        result.append(
            Response(
                status=status.upper() if status != "default" else status,
                class_name=f"{prefix}{naming.status_label(status)}Response",
                description=resp.get("description")
                if isinstance(resp.get("description"), str)
                else None,
                media_type=media,
                kind=kind,
                py_type=py_type,
                headers=tuple(headers),
                media_types=tuple(str(m) for m in content) if isinstance(content, Mapping) else (),
                stream=stream,
                item_type=item_type,
                xml_schema=xml,
                problem_type=problem_type,
            )
        )
    return result


def _problem_type(
    types: SchemaTypes, content: Mapping[str, Any], typed: str, status: str, rptr: Pointer
) -> str | None:
    """For an error status typed by ``typed``, the type of the schema of a problem+json media
    type declared beside it (openbankingproject.ch's ``Error400_AIS`` beside the
    ``application/json`` ``Error400_NG_AIS``), or None."""
    if not is_error_status(status) or is_problem_json(typed):
        return None
    for media, media_obj in content.items():
        if is_problem_json(str(media)) and isinstance(media_obj, Mapping):
            schema = media_obj.get("schema")
            if schema is not None:
                sptr: Pointer = (*rptr, "content", str(media), "schema")
                return types.schema_type(schema, sptr, "Response")
    return None


def _typed_media(ctx: Context, content: Mapping[str, Any], status: str) -> str:
    """The media type a response is typed by: the first declared; for an error status (4xx,
    5xx, ``default``) whose first is opaque bytes and not XML (a signed
    ``application/jose+jwe`` before ``application/json``), the first JSON or text media type
    declared beside it, so that the runtime's own error answers have a declared format."""
    first = str(next(iter(content)))
    if not is_error_status(status) or not _opaque(ctx, content, first) or xml_media(first):
        return first
    for media in content:
        if body_kind(str(media)) in (BodyKind.JSON, BodyKind.TEXT) and not _opaque(
            ctx, content, str(media)
        ):
            return str(media)
    return first


def _opaque(ctx: Context, content: Mapping[str, Any], media: str) -> bool:
    media_obj = content[media] if isinstance(content[media], Mapping) else {}
    if "itemSchema" in media_obj:
        return False  # a stream: typed by its items
    kind = body_kind(media)
    return kind is BodyKind.BINARY or is_binary_schema(ctx.resolve_schema(media_obj.get("schema")))


_XML_KEPT = frozenset(
    {
        *("type", "properties", "required", "items", "xml", "enum", "const", "default"),
        *("format", "pattern", "minLength", "maxLength", "minimum", "maximum", "minItems"),
        "maxItems",
    }
)


def xml_media(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base in ("application/xml", "text/xml") or base.endswith("+xml")


def xml_schema(ctx: Context, schema: Any) -> str | None:
    """An XML body's object schema with its ``$ref``s inlined (a few levels deep), as a Python
    literal: what the runtime builds an error body in XML from. The root element is named by
    ``xml.name``, else by the component the schema refers to, else ``error``."""
    if not isinstance(schema, Mapping):
        return None
    ref = schema.get("$ref")
    inlined = _inline(ctx, schema, 0)
    if not inlined.get("properties"):
        return None  # nothing to say what went wrong in
    xml = dict(inlined.get("xml") or {})
    if not xml.get("name"):
        named = isinstance(ref, str) and ref.startswith("#/components/schemas/")
        xml["name"] = ref.rsplit("/", 1)[-1] if named and isinstance(ref, str) else "error"
    inlined["xml"] = xml
    return repr(inlined)


def _inline(ctx: Context, schema: Any, depth: int) -> dict[str, Any]:
    resolved = ctx.resolve_schema(schema)
    if depth > 6:
        return {}
    out: dict[str, Any] = {}
    for key, value in resolved.items():
        if key not in _XML_KEPT:
            continue
        if key == "properties" and isinstance(value, Mapping):
            value = {str(k): _inline(ctx, v, depth + 1) for k, v in value.items()}
        elif key == "items":
            value = _inline(ctx, value, depth + 1)
        else:
            try:  # plain JSON data, a literal needing no import (a YAML date is left out)
                value = json.loads(json.dumps(value))
            except (TypeError, ValueError):
                continue
        out[key] = value
    return out


def read_headers(
    ctx: Context, raw: Any, ptr: Pointer, taken: set[str], *, constrained: bool = False
) -> list[Header]:
    """Header objects (of a response, or of a multipart part), ``Content-Type`` left out.

    ``constrained``: with the schema's constraints, for headers checked on the way in."""
    headers: list[Header] = []
    for hname, raw_header in raw.items() if isinstance(raw, Mapping) else ():
        if str(hname).lower() == "content-type":
            continue
        header, _hptr = ctx.deref(raw_header, (*ptr, hname))
        if not isinstance(header, Mapping):
            continue
        hschema = ctx.resolve_schema(header.get("schema") or {"type": "string"})
        htype = primitive_type(hschema, lambda _ref: "str") if is_simple(hschema) else "str"
        if htype in ("Any", "bytes") or htype.startswith("dict["):
            htype = "str"
        htype = htype.replace(" | None", "")
        checks: tuple[Constraint, ...] = ()
        if constrained and htype.startswith("list["):
            htype = "str"  # checked as the text it arrives as
        elif constrained:
            checks = tuple(constraints(hschema, openapi_31=ctx.openapi_31))
        headers.append(
            Header(
                name=str(hname),
                py_name=naming.unique(naming.snake(str(hname)), taken),
                py_type=htype,
                constraints=checks,
                required=bool(header.get("required")),
                description=header.get("description")
                if isinstance(header.get("description"), str)
                else None,
                example=_header_example(header, hschema) if header.get("required") else None,
            )
        )
    return headers


def _header_example(header: Mapping[str, Any], schema: Mapping[str, Any]) -> str | None:
    """A value of a header as its text: the header's ``example`` (or its schema's, or the
    schema's ``default``) where it is a plain value, else one built from the schema (None when
    none can be)."""
    for value in (header.get("example"), schema.get("example"), schema.get("default")):
        if isinstance(value, str | int | float | bool) and value != "":
            return header_value(value)
    try:
        value = build(schema, {})
    except (ValueError, TypeError, RecursionError):
        return None
    if value is None or isinstance(value, dict):
        return None
    return header_value(value)
