"""One-line schema summaries for the reference page: ``array of Task``, ``string (uuid), ≤ 200``.

A ``$ref`` to a schema the page lists becomes a link to it; composition reads ``(A | B)`` for
``oneOf``/``anyOf`` and ``(A & B)`` for ``allOf``; constraints follow in parentheses; a
nullable schema (3.0 ``nullable`` or a ``null`` type) ends in ``| null``. Nesting deeper than
four levels shows ``…``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from specfirst.loader import ref_pointer

__all__ = ["type_text"]


def type_text(schema: Any, anchors: Mapping[str, str], depth: int = 0) -> Markup:
    """A one-line summary of a schema: ``array of Task``, ``string (uuid), ≤ 200``."""
    if depth > 4:
        return Markup("…")
    if isinstance(schema, bool):
        return Markup("any") if schema else Markup("nothing")
    if not isinstance(schema, dict):
        return Markup("any")
    ref = schema.get("$ref")
    if isinstance(ref, str):
        pointer = ref_pointer(ref)
        if len(pointer) == 3 and pointer[:2] == ("components", "schemas"):
            name = str(pointer[2])
            anchor = anchors.get(name)
            if anchor:
                return Markup('<a href="#{}"><code>{}</code></a>').format(anchor, name)
        return Markup("<code>{}</code>").format(ref)
    for key, joiner in (("oneOf", " | "), ("anyOf", " | "), ("allOf", " & ")):
        parts = schema.get(key)
        if isinstance(parts, list) and parts:
            inner = Markup(joiner).join(type_text(p, anchors, depth + 1) for p in parts)
            return inner if len(parts) == 1 else Markup("({})").format(inner)
    if "const" in schema:
        return Markup("<code>{}</code>").format(_literal(schema["const"]))
    types = schema.get("type")
    names = [str(t) for t in types] if isinstance(types, list) else [str(types)] if types else []
    if not names:
        names = ["object"] if "properties" in schema else ["array"] if "items" in schema else []
    pieces: list[Markup] = []
    for name in names:
        if name == "array":
            pieces.append(
                Markup("array of {}").format(type_text(schema.get("items"), anchors, depth + 1))
            )
        elif name != "null":
            pieces.append(Markup(escape(name)))
    if not pieces:
        pieces.append(Markup("null") if names else Markup("any"))
    text = Markup(" | ").join(pieces)
    details = []
    if isinstance(schema.get("format"), str):
        details.append(schema["format"])
    enum = schema.get("enum")
    if isinstance(enum, list):
        details.append(
            "one of "
            + ", ".join(_literal(v) for v in enum[:12])
            + (", …" if len(enum) > 12 else "")
        )
    for key, sign in (
        ("minimum", "≥"),
        ("maximum", "≤"),
        ("exclusiveMinimum", ">"),
        ("exclusiveMaximum", "<"),
        ("minLength", "length ≥"),
        ("maxLength", "length ≤"),
        ("minItems", "items ≥"),
        ("maxItems", "items ≤"),
        ("pattern", "pattern"),
    ):
        value = schema.get(key)
        if value is not None and not isinstance(value, bool | dict | list):
            details.append(f"{sign} {value}")
    if details:
        text = Markup('{} <span class="meta">({})</span>').format(text, "; ".join(details))
    if "null" in names or schema.get("nullable") is True:
        text = Markup("{} | null").format(text)
    return text


def _literal(value: object) -> str:
    import json

    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)
