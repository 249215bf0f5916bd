"""Request body limits read from the contract, once, at start-up.

A JSON body valid under a schema whose strings, arrays and objects are all bounded (`maxLength`,
`maxItems`, `enum`, known formats, `additionalProperties: false`) cannot exceed a size that
follows from those bounds. `json_size_bound` computes it: the largest compact JSON text of a
valid instance, with every character escaped as `\\uXXXX\\uXXXX` (12 bytes, a code point outside
the BMP). `body_limits` turns it into each operation's limit, with slack for whitespace, capped
by `MAX_BODY_BYTES` (also the limit of operations whose schema is unbounded), and overridden per
operation by `BODY_LIMITS`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

_ESCAPED_CHAR = 12
_NUMBER = 32  # "-1.2345678901234567e+308" and then some
_FORMAT_LENGTHS = {"uuid": 36, "date": 10, "date-time": 64, "time": 32}
_WHITESPACE_SLACK = 4096


def _resolve(schema: Any, root: Mapping[str, Any]) -> Any:
    seen = 0
    while isinstance(schema, Mapping) and "$ref" in schema and seen < 64:
        ref = str(schema["$ref"])
        if not ref.startswith("#/"):
            return None
        node: Any = root
        for part in ref[2:].split("/"):
            node = node.get(part.replace("~1", "/").replace("~0", "~")) if node else None
        schema, seen = node, seen + 1
    return schema


def json_size_bound(schema: Any, root: Mapping[str, Any], depth: int = 0) -> int | None:
    """Bytes of the largest compact JSON text `schema` admits, or None when unbounded."""
    schema = _resolve(schema, root)
    if schema is True or schema is None or depth > 32:
        return None
    if not isinstance(schema, Mapping):
        return None
    if "const" in schema:
        return len(json.dumps(schema["const"])) * _ESCAPED_CHAR
    if "enum" in schema:
        return max(len(json.dumps(v)) for v in schema["enum"]) * _ESCAPED_CHAR
    for combinator in ("oneOf", "anyOf"):
        if combinator in schema:
            bounds = [json_size_bound(s, root, depth + 1) for s in schema[combinator]]
            return None if None in bounds else max(b for b in bounds if b is not None)
    if "allOf" in schema:
        known = [b for s in schema["allOf"] if (b := json_size_bound(s, root, depth + 1))]
        return min(known) if known else None
    types = schema.get("type")
    types = [types] if isinstance(types, str) else list(types or [])
    if not types:
        return None
    bounds = [_type_bound(t, schema, root, depth) for t in types]
    return None if None in bounds else max(b for b in bounds if b is not None)


def _type_bound(
    kind: str, schema: Mapping[str, Any], root: Mapping[str, Any], depth: int
) -> int | None:
    if kind == "null":
        return 4
    if kind == "boolean":
        return 5
    if kind in ("integer", "number"):
        return _NUMBER
    if kind == "string":
        length = schema.get("maxLength", _FORMAT_LENGTHS.get(str(schema.get("format"))))
        return None if length is None else 2 + int(length) * _ESCAPED_CHAR
    if kind == "array":
        items = json_size_bound(schema.get("items", True), root, depth + 1)
        count = schema.get("maxItems")
        return None if items is None or count is None else 2 + int(count) * (items + 1)
    if kind == "object":
        if schema.get("additionalProperties", True) is not False:
            return None
        total = 2
        for name, sub in (schema.get("properties") or {}).items():
            bound = json_size_bound(sub, root, depth + 1)
            if bound is None:
                return None
            total += len(json.dumps(name)) * _ESCAPED_CHAR + 1 + bound + 1
        return total
    return None


def body_limits(
    spec: Mapping[str, Any], *, ceiling: int, overrides: Mapping[str, int]
) -> dict[str, int]:
    """operationId → the largest request body (bytes) it reads, for every operation with one."""
    limits: dict[str, int] = {}
    for item in (spec.get("paths") or {}).values():
        for operation in item.values():
            if not isinstance(operation, Mapping) or "requestBody" not in operation:
                continue
            body = _resolve(operation["requestBody"], spec) or {}
            bounds = [
                json_size_bound(media.get("schema"), spec)
                for media_type, media in (body.get("content") or {}).items()
                if media_type.endswith(("json", "x-www-form-urlencoded"))
            ]
            limit = ceiling
            if bounds and None not in bounds:
                bound = max(b for b in bounds if b is not None)
                limit = min(ceiling, 2 * bound + _WHITESPACE_SLACK)
            limits[operation["operationId"]] = overrides.get(operation["operationId"], limit)
    return limits
