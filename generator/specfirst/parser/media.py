"""Media types: which kind of body each one is, JSON or not, streamed or not.

Shared by request bodies, responses, senders and pass 1 (which hoists only what is typed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specfirst.ir import BodyKind
from specfirst.runtime.streams import STREAM_FORMATS


def json_media(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"


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


def read_media(content: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    """The media type a request body is typed by (JSON first, then form, multipart, text,
    binary; the first of its kind) and the others the app reads into the same type: for a
    JSON body, the other JSON media types, and forms or multipart of the same schema. The
    app answers any other media type 415. ``content`` must not be empty."""
    media = min(content, key=lambda m: (_PREFERENCE.index(body_kind(m)), list(content).index(m)))
    kind = body_kind(media)
    chosen = content[media].get("schema") if isinstance(content[media], Mapping) else None
    alternates: list[str] = []
    for other, other_obj in content.items():
        if other == media or kind is not BodyKind.JSON:
            continue
        other_schema = other_obj.get("schema") if isinstance(other_obj, Mapping) else None
        other_kind = body_kind(other)
        # A JSON body that may also come as a form (the same schema): read either.
        if other_kind is BodyKind.JSON or (
            other_kind in (BodyKind.FORM, BodyKind.MULTIPART) and other_schema == chosen
        ):
            alternates.append(str(other))
    return media, tuple(alternates)


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
