"""Media types: which kind of body each one is, JSON or not, streamed or not.

Shared by request bodies, responses, senders and pass 1 (which hoists only what is typed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from specfirst.ir import BodyKind
from specfirst.runtime.streams import STREAM_FORMATS
from specfirst.schema_types import schema_types

# JSON by another name: ``text/json`` (ASP.NET's Swashbuckle declares every body under it
# beside application/json) and ``application/x-json``, as schemathesis and clients read them.
JSON_ALIASES = ("application/json", "text/json", "application/x-json")

_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MEDIA_TYPE = re.compile(rf"{_TOKEN}/{_TOKEN}")
"""``type/subtype`` (RFC 9110 tokens; ``*`` is one, so ranges match), parameters aside."""


def is_media_type(key: str) -> bool:
    """Whether a ``content`` key is a media type (``type/subtype``, parameters aside): not
    truora's ``PDF``, nor spoonacular's empty key (lint rule ``media-type-valid``)."""
    return _MEDIA_TYPE.fullmatch(key.split(";", 1)[0].strip()) is not None


def json_media(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base in JSON_ALIASES or base.endswith("+json") or base == "*/*"


def body_kind(media_type: str) -> BodyKind:
    base = media_type.split(";")[0].strip().lower()
    if json_media(base):
        return BodyKind.JSON
    if base == "application/x-www-form-urlencoded":
        return BodyKind.FORM
    if base.startswith("multipart/"):
        return BodyKind.MULTIPART
    if base.startswith("text/") and base != "text/event-stream":
        return BodyKind.TEXT
    return BodyKind.BINARY


_PREFERENCE = (BodyKind.JSON, BodyKind.FORM, BodyKind.MULTIPART, BodyKind.TEXT, BodyKind.BINARY)


def read_media(
    content: Mapping[str, Any],
    kind_of: Callable[[str, Any], BodyKind] | None = None,
    schema_of: Callable[[Any], Any] | None = None,
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """How the app reads a request body declared under ``content`` (not empty): the media type
    the body is typed by (JSON first, then form, multipart, text, binary; the first of its
    kind), the others read into that same type (for a JSON body: the other JSON media types,
    and forms or multipart of the same schema), and the others read each into a type of its
    own (for a JSON body: every other media type, ``variants``). The app answers any media
    type in none of the three 415. ``kind_of(media, media_object)`` says how a media type is
    read (default: by its name, :func:`body_kind`); the parser's also looks at the schema (a
    file is bytes under any media type).

    A form or multipart media type whose schema is not an object (an array: archive.org's
    wayback ``AvailabilityRequests`` under JSON, form and CSV alike) has no fields, so no
    encoding (:func:`form_encodable`): it is read only when no other media type is declared.
    ``schema_of(schema)`` follows a ``$ref`` for that test (default: the schema as written)."""

    def kind(media: str) -> BodyKind:
        return kind_of(media, content[media]) if kind_of is not None else body_kind(media)

    def encodable(media: str) -> bool:
        if kinds[media] not in (BodyKind.FORM, BodyKind.MULTIPART):
            return True
        schema = _schema_of(content[media])
        return form_encodable(schema_of(schema) if schema_of is not None else schema)

    kinds = {str(m): kind(m) for m in content}
    order = list(kinds)
    unencodable = {m for m in order if not encodable(m)}
    media = min(
        order, key=lambda m: (m in unencodable, _PREFERENCE.index(kinds[m]), order.index(m))
    )
    if kinds[media] is not BodyKind.JSON:
        return media, (), ()
    chosen = _schema_of(content[media])
    alternates: list[str] = []
    variants: list[str] = []
    for other in order:
        if other == media or other in unencodable:
            continue
        other_kind = kinds[other]
        # A JSON body that may also come as a form (the same schema): read either.
        if other_kind is BodyKind.JSON or (
            other_kind in (BodyKind.FORM, BodyKind.MULTIPART)
            and _schema_of(content[other]) == chosen
        ):
            alternates.append(other)
        else:
            variants.append(other)
    return media, tuple(alternates), tuple(variants)


def form_encodable(schema: Any) -> bool:
    """Whether a form or multipart body of ``schema`` (its ``$ref`` followed) can be encoded:
    its fields are an object's properties (OpenAPI's ``encoding`` is keyed by them), so a
    schema whose ``type`` names no object (an array, a string) has none. A schema that names
    no type (a composition, an untyped one) is given the benefit of the doubt."""
    if not isinstance(schema, Mapping):
        return True
    types = schema_types(schema)
    if not types:
        return "items" not in schema or "properties" in schema
    return "object" in types


def raw_form(
    content: Mapping[str, Any], schema_of: Callable[[Any], Any] | None = None
) -> tuple[str, BodyKind] | None:
    """The form or multipart media type of a body the app reads raw, and how, or None: the
    body's only media type, whose schema is a string. No form has fields for a string
    (:func:`form_encodable`), so what is sent is the body: its text (``TEXT``, a ``str``, as a
    ``text/plain`` body: spoonacular's ``POST /food/detect``, ``application/x-www-form-urlencoded``
    of ``type: string``, its example the form's encoded text ``text=I like to eat…``), or its
    bytes for a binary string (``BINARY``, ``bytes``: ``format: binary``, a file sent as the
    whole body). An array, or such a form beside other media types, is not read raw."""
    if len(content) != 1:
        return None
    ((media, media_obj),) = content.items()
    if body_kind(str(media)) not in (BodyKind.FORM, BodyKind.MULTIPART):
        return None
    schema = _schema_of(media_obj)
    resolved = schema_of(schema) if schema_of is not None else schema
    if not isinstance(resolved, Mapping) or schema_types(resolved) != ["string"]:
        return None
    return str(media), BodyKind.BINARY if is_binary_schema(resolved) else BodyKind.TEXT


def media_kind(
    media: str, media_obj: Any, schema_of: Callable[[Any], Any] | None = None
) -> BodyKind:
    """How a request body of this media type is read: as its media type says, except that a
    binary string schema (``format: binary``) is raw bytes under a JSON one too, as for
    responses (``*/*`` counts as JSON, but not when its schema is a file: apicurio's ``*/*``
    artifact content beside its JSON ``application/vnd.create.extended+json``).
    ``schema_of(schema)`` follows a ``$ref`` (default: the schema as written)."""
    kind = body_kind(media)
    schema = _schema_of(media_obj)
    if kind is BodyKind.JSON and is_binary_schema(schema_of(schema) if schema_of else schema):
        return BodyKind.BINARY
    return kind


def raw_kind(
    content: Mapping[str, Any], schema_of: Callable[[Any], Any] | None = None
) -> BodyKind | None:
    """``TEXT`` or ``BINARY`` when the app reads a body declared under ``content`` as the raw
    text or bytes sent, whatever its ``Content-Type`` (so it never answers 415 for it), else
    None: the media type it reads (:func:`read_media`) is a text or binary one
    (:func:`media_kind`), or the body is a form of a string alone (:func:`raw_form`)."""
    if not content:
        return None
    raw = raw_form(content, schema_of)
    if raw is not None:
        return raw[1]
    media, _, _ = read_media(content, lambda m, obj: media_kind(m, obj, schema_of), schema_of)
    kind = media_kind(media, content[media], schema_of)
    return kind if kind in (BodyKind.TEXT, BodyKind.BINARY) else None


def _schema_of(media_obj: Any) -> Any:
    return media_obj.get("schema") if isinstance(media_obj, Mapping) else None


def stream_format(media: str) -> str | None:
    """The stream format of a media type sent as a sequence of items: ``jsonl``, ``json-seq`` or ``sse``."""
    return STREAM_FORMATS.get(media.split(";")[0].strip().lower())


def is_binary_schema(schema: Any) -> bool:
    """A string schema carrying raw bytes (``format: binary`` or 3.1 ``contentMediaType``)."""
    if not isinstance(schema, Mapping):
        return False
    if schema.get("format") == "binary":
        return True
    return "contentMediaType" in schema and "contentEncoding" not in schema
