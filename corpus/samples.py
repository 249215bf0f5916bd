"""Example values for a schema: enough to build a request that an app should route and accept.

Used by the corpus runner to probe every operation of a generated app. Values come from the
spec when it gives them (``example``, ``default``, ``enum``, ``const``), otherwise from the type,
format and bounds. They are best effort: an operation may still answer its validation status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specfirst.loader import ref_pointer

_FORMATS: dict[str, Any] = {
    "date-time": "2024-01-02T03:04:05Z",
    "date": "2024-01-02",
    "time": "03:04:05",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "email": "user@example.com",
    "uri": "https://example.com/x",
    "url": "https://example.com/x",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "eA==",
    "binary": "x",
    "duration": "P1D",
}


class Sampler:
    """Builds sample values against one document (``$ref``s resolved within it)."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc

    def resolve(self, node: Any) -> Any:
        seen: set[str] = set()
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen or not ref.startswith("#/"):
                return {}
            seen.add(ref)
            target: Any = self.doc
            for key in ref_pointer(ref):
                if isinstance(target, list) and isinstance(key, str) and key.isdigit():
                    target = target[int(key)] if int(key) < len(target) else {}
                    continue
                if not isinstance(target, Mapping) or key not in target:
                    return {}
                target = target[key]
            node = target
        return node

    def sample(self, schema: Any, depth: int = 0) -> Any:
        schema = self.resolve(schema)
        if not isinstance(schema, Mapping) or depth > 6:
            return "x"
        for key in ("const", "example", "default"):
            if key in schema and schema[key] is not None:
                return schema[key]
        examples = schema.get("examples")
        if isinstance(examples, list) and examples:
            return examples[0]
        enum = schema.get("enum")
        if isinstance(enum, list):
            values = [v for v in enum if v is not None]
            if values:
                return values[0]
        for key in ("allOf",):
            parts = schema.get(key)
            if isinstance(parts, list) and parts:
                merged: dict[str, Any] = {}
                for part in parts:
                    value = self.sample(part, depth + 1)
                    if isinstance(value, dict):
                        merged.update(value)
                    else:
                        return value
                base = {k: v for k, v in schema.items() if k != "allOf"}
                if base.get("properties"):
                    extra = self.sample(base, depth + 1)
                    if isinstance(extra, dict):
                        merged.update(extra)
                return merged
        for key in ("oneOf", "anyOf"):
            parts = schema.get(key)
            if isinstance(parts, list) and parts:
                return self.sample(parts[0], depth + 1)
        raw_type = schema.get("type")
        types = raw_type if isinstance(raw_type, list) else [raw_type]
        types = [t for t in types if t != "null"] or [None]
        kind = types[0]
        if kind is None:
            kind = "object" if "properties" in schema else "string"
        if kind == "string":
            value = _FORMATS.get(str(schema.get("format")), "x1")
            low = schema.get("minLength")
            if isinstance(low, int) and isinstance(value, str) and len(value) < low:
                value = value + "a" * (low - len(value))
            high = schema.get("maxLength")
            if isinstance(high, int) and isinstance(value, str) and len(value) > high > 0:
                value = value[:high]
            return value
        if kind in ("integer", "number"):
            low = schema.get("minimum", schema.get("exclusiveMinimum"))
            number: float = 1
            if isinstance(low, int | float) and not isinstance(low, bool):
                number = low + (1 if low == schema.get("exclusiveMinimum") else 0)
            high = schema.get("maximum")
            if isinstance(high, int | float) and not isinstance(high, bool) and number > high:
                number = high
            return int(number) if kind == "integer" else number
        if kind == "boolean":
            return True
        if kind == "array":
            count = schema.get("minItems")
            count = count if isinstance(count, int) and count > 0 else 1
            return [self.sample(schema.get("items") or {}, depth + 1) for _ in range(count)]
        props = schema.get("properties")
        out: dict[str, Any] = {}
        if isinstance(props, Mapping):
            required = schema.get("required")
            for name in required if isinstance(required, list) else []:
                if name in props:
                    out[str(name)] = self.sample(props[name], depth + 1)
            if not out and props:  # one property, so that the value is not empty
                name = next(iter(props))
                out[str(name)] = self.sample(props[name], depth + 1)
        return out


def text(value: Any) -> str:
    """A sample value as it travels in a path, query, header or cookie (simple style)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(text(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k},{text(v)}" for k, v in value.items())
    if value is None:
        return ""
    return str(value)
