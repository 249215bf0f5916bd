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
