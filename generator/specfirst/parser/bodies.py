"""Request bodies: JSON, text and binary bodies, form and multipart fields.

One media type is typed per body, JSON first; a JSON body also reads another JSON media
type, and a form or multipart one of the same schema. A form or multipart body becomes a
``<Op>Form`` class of fields: plain values, files (``UploadFile``), JSON text, or
``deepObject`` objects.
:func:`json_body_schema` also serves webhook and callback payloads, and pass 1.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from specfirst import naming
from specfirst.diagnostics import Level
from specfirst.ir import Body, BodyKind, BodyVariant, FormField, Header, PartKind
from specfirst.loader import Pointer
from specfirst.parser.context import Context
from specfirst.parser.media import (
    body_kind,
    form_encodable,
    json_media,
    media_kind,
    raw_form,
    read_media,
)
from specfirst.parser.model_types import SchemaTypes
from specfirst.parser.parameters import value_format
from specfirst.parser.responses import read_headers
from specfirst.schema_types import (
    checked_format,
    constraints,
    declared_types,
    is_simple,
    primitive_type,
    schema_types,
)


def read_body(
    ctx: Context, types: SchemaTypes, op: Mapping[str, Any], ptr: Pointer, prefix: str
) -> Body | None:
    """The request body as the handler receives it (one media type; JSON preferred)."""
    body, bptr = ctx.deref(op.get("requestBody"), (*ptr, "requestBody"))
    if not isinstance(body, Mapping):
        return None
    content = body.get("content") or {}
    if not isinstance(content, Mapping) or not content:
        return None
    media, alternates, variant_media = read_media(
        content, lambda m, obj: media_kind(str(m), obj, ctx.resolve_schema), ctx.resolve_schema
    )
    raw = raw_form(content, ctx.resolve_schema)
    # a form of a string alone: its raw text, or bytes for a binary one (raw_form)
    kind = raw[1] if raw is not None else media_kind(media, content[media], ctx.resolve_schema)
    variants: list[BodyVariant] = []
    for other in variant_media:
        # Another kind, or a form of another schema: read into its own type.
        other_schema = _schema_of(content[other])
        variant = _variant(types, other_schema, (*bptr, "content", other), other)
        variants.append(variant)
        if variant.kind is not BodyKind.MULTIPART and variant.kind is not BodyKind.FORM:
            resolved = ctx.resolve_schema(other_schema)
            if resolved and declared_types(resolved) != ["string"]:
                ctx.warn(
                    "unsupported",
                    f"request body media type {other} is received as "
                    f"{variant.py_type}, undecoded: the implementation validates it",
                    (*bptr, "content", other),
                    Level.INFO,
                )
    if len(content) > 1:
        read = {*alternates, *variant_media}
        unread = [str(m) for m in content if m != media and m not in read]
        formless = [m for m in unread if _formless(ctx, m, content[m])]
        for other in formless:
            ctx.warn(
                "unsupported",
                f"request body media type {other} has a schema that is not an object: a "
                "form's fields are an object's properties, so it has no encoding; answered "
                f"415 (the body is read as {media})",
                (*bptr, "content", other, "schema"),
                Level.WARNING,
            )
        others = ", ".join(m for m in unread if m not in formless)
        if others:
            ctx.warn(
                "unsupported",
                f"request body media types {others} are accepted as {media} only",
                (*bptr, "content"),
                Level.INFO,
            )
    media_obj = content[media] if isinstance(content[media], Mapping) else {}
    schema = media_obj.get("schema")
    sptr: Pointer = (*bptr, "content", media, "schema")
    required = bool(body.get("required"))
    description = body.get("description") if isinstance(body.get("description"), str) else None
    if kind is BodyKind.JSON:
        py_type = _json_type(ctx, types, schema, sptr)
        checked = _simple_checks(ctx, schema, py_type) if not alternates else {}
        return Body(
            media,
            kind,
            py_type,
            required,
            description=description,
            alternates=tuple(alternates),
            variants=tuple(variants),
            **checked,
        )
    if kind is BodyKind.TEXT:
        return _text_body(ctx, media, schema, required, description)
    if kind is BodyKind.BINARY:
        return Body(media, kind, "bytes", required, description=description)
    fieldless = _formless(ctx, media, media_obj)
    if fieldless:
        ctx.warn(
            "unsupported",
            f"request body media type {media} has a schema that is not an object: a form's "
            "fields are an object's properties, so it has no encoding; a body sent is "
            "answered 415" + (" (and an absent one refused: it is required)" if required else ""),
            sptr,
            Level.WARNING,
        )
    fields = (
        []
        if fieldless
        else _form_fields(ctx, types, schema, sptr, media, media_obj.get("encoding"))
    )
    return Body(
        media,
        kind,
        f"{prefix}Form",
        required,
        form_class=f"{prefix}Form",
        form_fields=tuple(fields),
        description=description,
        closed=ctx.resolve_schema(schema).get("additionalProperties") is False,
        unread=fieldless,
    )


def _json_type(ctx: Context, types: SchemaTypes, schema: Any, pointer: Pointer) -> str:
    """The type a JSON body is read into: its schema's, ``| None`` when the schema admits
    ``null`` (a ``nullable`` model: stream-io's ``CreateBlockListRequest``), so that a ``null``
    body, which such a schema allows even when the body is required, is accepted."""
    py_type = types.schema_type(schema, pointer, "Request")
    if py_type == "Any" or "None" in py_type.split(" | "):
        return py_type
    resolved = ctx.resolve_schema(schema)
    if isinstance(resolved, Mapping) and "null" in schema_types(resolved):
        return f"{py_type} | None"
    return py_type


_TEXT_FORMATS = frozenset({"date", "date-time", "uuid"})
"""The formats a text body (a ``str``) must read as, as a model reads them, where
:func:`~specfirst.schema_types.checked_format` checks none (``uuid`` under OpenAPI 3.0)."""


def _text_body(
    ctx: Context, media: str, schema: Any, required: bool, description: str | None
) -> Body:
    """A text body (or a form of a string read as its text): a ``str``, checked for its
    schema's keywords (``maxLength``, ``pattern`` …) and its format, as a string property of
    a model is: a checked one (``email``, ``uuid`` under 3.1 …), or one it must read as
    (``date-time``, ``date``, ``uuid`` under 3.0). Its schema may be a component's."""
    resolved = ctx.resolve_schema(schema)
    if not isinstance(resolved, Mapping) or declared_types(resolved) not in ([], ["string"]):
        return Body(media, BodyKind.TEXT, "str", required, description=description)
    fmt = resolved.get("format")
    reads = (
        fmt in _TEXT_FORMATS
        and checked_format(resolved, openapi_31=ctx.openapi_31) is None
        and "enum" not in resolved  # its members decide, not its format
        and "const" not in resolved
    )
    # the text stays a str, so its length is bounded too (a parameter of such a format is
    # parsed into an object, and its keywords are taken without those)
    checked = _simple_checks(
        ctx, {k: v for k, v in resolved.items() if k != "format"} if reads else resolved, "str"
    )
    return Body(
        media,
        BodyKind.TEXT,
        "str",
        required,
        description=description,
        constraints=checked.get("constraints", ()),
        checked_format=checked.get("checked_format"),
        text_format=str(fmt) if reads else None,
    )


def _simple_checks(ctx: Context, schema: Any, py_type: str) -> dict[str, Any]:
    """The validation keywords of a JSON body's inline schema that needs no model (an array of
    strings: threatjammer's ``POST /v1/assess/ip``, ``minItems``, ``maxItems``, ``uniqueItems``
    and its items' format), which its type (``list[str]``) does not carry: the
    :class:`~specfirst.ir.Body` fields that check them, as a parameter's are checked. A
    nullable body (``| None``) or a model checks its own."""
    if not isinstance(schema, Mapping) or "$ref" in schema or not is_simple(schema):
        return {}
    if py_type.startswith("models.") or "None" in py_type.split(" | "):
        return {}
    openapi_31 = ctx.openapi_31
    found: dict[str, Any] = {
        "constraints": constraints(schema, openapi_31=openapi_31),
        "checked_format": value_format(ctx, schema),
    }
    if "array" in declared_types(schema):
        items = schema.get("items")
        if isinstance(items, Mapping) and "$ref" not in items:
            found["item_constraints"] = constraints(items, openapi_31=openapi_31)
            found["checked_format"] = value_format(ctx, items)
        else:  # a model's items check themselves
            found["checked_format"] = None
        found["unique_items"] = schema.get("uniqueItems") is True
    return {key: value for key, value in found.items() if value}


def _formless(ctx: Context, media: str, media_obj: Any) -> bool:
    """A form or multipart media type whose schema is not an object: no fields, no encoding
    (:func:`~specfirst.parser.media.form_encodable`)."""
    return body_kind(media) in (BodyKind.FORM, BodyKind.MULTIPART) and not form_encodable(
        ctx.resolve_schema(_schema_of(media_obj))
    )


def _variant(types: SchemaTypes, schema: Any, ptr: Pointer, media: str) -> BodyVariant:
    """How a JSON body's media type of another kind is read: a form into the model of its
    schema (hoisted by pass 1, :func:`form_variant`), text as ``str``, the rest as ``bytes``."""
    kind = body_kind(media)
    if kind in (BodyKind.FORM, BodyKind.MULTIPART):
        return BodyVariant(media, kind, types.schema_type(schema, (*ptr, "schema"), "Request"))
    if kind is BodyKind.TEXT:
        return BodyVariant(media, kind, "str")
    return BodyVariant(media, BodyKind.BINARY, "bytes")


def form_variant(content: Mapping[str, Any], media: str) -> bool:
    """Whether form media type ``media`` of a body is read into a model of its own: the body
    also comes as JSON, under another schema (the same schema reads into the JSON type)."""
    if body_kind(media) not in (BodyKind.FORM, BodyKind.MULTIPART):
        return False
    json_media = [m for m in content if body_kind(str(m)) is BodyKind.JSON]
    if not json_media:
        return False
    schema = _schema_of(content[media])
    return bool(schema != _schema_of(content[json_media[0]]))


def _schema_of(media_obj: Any) -> Any:
    return media_obj.get("schema") if isinstance(media_obj, Mapping) else None


def json_body_schema(
    ctx: Context, op: Mapping[str, Any], ptr: Pointer
) -> tuple[Any, Pointer, str] | None:
    """The schema of the first JSON media type of the request body, its pointer and media."""
    body, body_ptr = ctx.deref(op.get("requestBody"), (*ptr, "requestBody"))
    if not isinstance(body, Mapping) or not isinstance(body.get("content"), Mapping):
        return None
    for media, content in body["content"].items():
        if body_kind(str(media)) is BodyKind.JSON and isinstance(content, Mapping):
            return (
                content.get("schema") or {},
                (*body_ptr, "content", media, "schema"),
                str(media),
            )
    return None


def form_properties(
    ctx: Context, schema: Any, pointer: Pointer
) -> Iterator[tuple[str, Mapping[str, Any], Pointer]]:
    """The fields of a form body schema: name, schema as written, and its pointer."""
    schema, pointer = ctx.deref(schema, pointer)
    props = schema.get("properties") if isinstance(schema, Mapping) else None
    if not isinstance(props, Mapping):
        return
    for name, prop in props.items():
        if isinstance(prop, Mapping):
            yield str(name), prop, (*pointer, "properties", name)


def _form_fields(
    ctx: Context, types: SchemaTypes, schema: Any, pointer: Pointer, media: str, encoding: Any
) -> list[FormField]:
    """The fields of a form or multipart body: a value, a file, JSON text or a deepObject."""
    resolved = ctx.resolve_schema(schema)
    required = set(resolved.get("required") or [])
    multipart = body_kind(media) is BodyKind.MULTIPART
    encoding = encoding if isinstance(encoding, Mapping) else {}
    taken: set[str] = {"model_config"}
    fields: list[FormField] = []
    for name, raw, prop_ptr in form_properties(ctx, schema, pointer):
        enc = encoding.get(name)
        enc = enc if isinstance(enc, Mapping) else {}
        enc_ptr: Pointer = (*pointer[:-1], "encoding", name)
        accepted = tuple(
            t.strip() for t in str(enc.get("contentType") or "").split(",") if t.strip()
        )
        prop = ctx.resolve_schema(raw)
        is_list = "array" in declared_types(prop)
        item_raw = prop.get("items") if is_list and isinstance(prop.get("items"), Mapping) else {}
        item = ctx.resolve_schema(item_raw) if is_list else prop
        item_ptr: Pointer = (*prop_ptr, "items") if is_list else prop_ptr
        if _is_file_part(item, accepted):
            kind = PartKind.FILE
            base = "UploadFile"
        elif is_simple(item) or not _is_structured(item):
            kind = PartKind.VALUE
            base = primitive_type(item, lambda _ref: "str").replace(" | None", "")
            if base in ("Any", "bytes") or base.startswith("dict["):
                base = "str"
        elif accepted and not any(json_media(t) for t in accepted):
            kind, base = PartKind.VALUE, "str"
            ctx.warn(
                "unsupported",
                f"form field {name!r} is {', '.join(accepted)}: received as text, undecoded",
                enc_ptr,
                Level.INFO,
            )
        elif not multipart and enc.get("style") == "deepObject" and not is_list:
            kind = PartKind.DEEP
            base = types.schema_type(raw, prop_ptr, "Request")
        elif _admits_text(ctx, item):
            kind = PartKind.MIXED
            base = types.schema_type(item_raw if is_list else raw, item_ptr, "Request")
        else:
            kind = PartKind.JSON
            base = types.schema_type(item_raw if is_list else raw, item_ptr, "Request")
            if not multipart and not any(json_media(t) for t in accepted):
                ctx.warn(
                    "unsupported",
                    f"form field {name!r} holds structured data: read as JSON text "
                    "(encoding style deepObject reads name[key]=value fields)",
                    prop_ptr,
                    Level.INFO,
                )
        part_headers: tuple[Header, ...] = ()
        if multipart and isinstance(enc.get("headers"), Mapping) and enc["headers"]:
            if kind is PartKind.FILE:
                part_headers = tuple(
                    read_headers(
                        ctx,
                        enc["headers"],
                        (*enc_ptr, "headers"),
                        set(),
                        constrained=True,
                    )
                )
            else:
                ctx.warn(
                    "unsupported",
                    f"headers of multipart part {name!r} are not validated: only file "
                    "parts keep their headers",
                    (*enc_ptr, "headers"),
                    Level.INFO,
                )
        if kind in (PartKind.JSON, PartKind.MIXED) and is_list:
            py_type, item_type = f"list[{base}]", base
        else:
            py_type = f"list[{base}]" if is_list and kind is not PartKind.DEEP else base
            item_type = ""
        fields.append(
            FormField(
                name=name,
                py_name=naming.unique(naming.snake(name), taken),
                py_type=py_type,
                required=name in required,
                is_list=is_list and kind is not PartKind.DEEP,
                kind=kind,
                constraints=constraints(prop, openapi_31=ctx.openapi_31)
                if kind is PartKind.VALUE
                else (),
                content_types=accepted if kind is PartKind.FILE else (),
                item_type=item_type,
                part_headers=part_headers,
                checked_format=checked_format(item, openapi_31=ctx.openapi_31)
                if kind is PartKind.VALUE
                else None,
            )
        )
    if not fields and resolved:
        ctx.warn(
            "unsupported",
            "form body without properties is received as an empty form",
            pointer,
            Level.INFO,
        )
    fields.sort(key=lambda f: not f.required)
    return fields


def _is_structured(schema: Mapping[str, Any]) -> bool:
    """A schema whose values are objects, arrays or compositions (JSON in a form field)."""
    keys = ("properties", "additionalProperties", "items", "allOf", "oneOf", "anyOf", "$ref")
    return any(k in schema for k in keys) or bool({"object", "array"} & set(declared_types(schema)))


def _admits_text(ctx: Context, schema: Mapping[str, Any]) -> bool:
    """A union with a member that a part carries as text, not JSON: a primitive
    (telegram.org's ``chat_id``, ``anyOf: [integer, string]``) or an empty schema (its
    ``InputFile``, an upload, beside a ``string`` file_id)."""
    members = schema.get("anyOf") or schema.get("oneOf")
    if not isinstance(members, list) or "properties" in schema or "allOf" in schema:
        return False
    if {"object", "array"} & set(declared_types(schema)):
        return False
    resolved = (ctx.resolve_schema(m) for m in members if isinstance(m, Mapping))
    return any(isinstance(m, Mapping) and not _is_structured(m) for m in resolved)


def _is_file_part(schema: Mapping[str, Any], accepted: tuple[str, ...]) -> bool:
    """Binary content: ``format: binary/byte``, ``contentMediaType`` (3.1), or a schema-less
    (or plain string) part whose ``encoding.contentType`` is neither text nor JSON."""
    types = declared_types(schema)
    if schema.get("format") in ("binary", "byte") and "string" in types:
        return True
    if "contentMediaType" in schema or "contentEncoding" in schema:
        return True
    untyped = not types or (types == ["string"] and "format" not in schema and "enum" not in schema)
    return (
        untyped
        and bool(accepted)
        and not any(json_media(t) or t.lower().startswith("text/") for t in accepted)
    )
