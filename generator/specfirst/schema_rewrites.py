"""Rewrites of the schemas handed to datamodel-code-generator, so that its output type-checks.

Each works in place on the copy :func:`specfirst.models.generate_models` makes, and changes no
meaning: the rules the models enforce at run time stay those of the source schemas.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

_REF = "#/components/schemas/"
# Keywords that change no type: a property redefined with only these changed is the same
# property (datamodel-code-generator may still repeat it in a subclass; mypy accepts that).
_ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "example",
        "examples",
        "default",
        "readOnly",
        "writeOnly",
        "deprecated",
        "externalDocs",
        "xml",
        "$comment",
    }
)
# What a base schema may hold and still be written out as plain properties (anything else,
# a discriminator, oneOf, additionalProperties rules, keeps the subclass).
_FLAT_KEYS = frozenset({"type", "properties", "required", "allOf", "description", "title"})


def drop_nullable_false(schemas: dict[str, Any], nodes: Callable[[Any], Iterator[Any]]) -> None:
    """Remove ``nullable: false`` (OpenAPI 3.0's default) from every schema.

    Under ``strict_nullable``, datamodel-code-generator reads an explicit ``nullable: false``
    on an optional property as "typed without None" but still gives it the default ``None``
    (``kind: Kind = None``): a mypy error in generated code. Without the key the property is
    ``Kind | None = None`` like every other optional one, and the models' ``not_null`` rules
    (read from the source schemas) refuse an explicit null at run time all the same.
    """
    for schema in schemas.values():
        for node in nodes(schema):
            if node.get("nullable") is False:
                del node["nullable"]


def _typing(schema: Any) -> str:
    if not isinstance(schema, dict):
        return json.dumps(schema, sort_keys=True, default=str)
    kept = {k: v for k, v in schema.items() if k not in _ANNOTATIONS and not k.startswith("x-")}
    return json.dumps(kept, sort_keys=True, default=str)


def _ref_name(part: Any) -> str | None:
    ref = part.get("$ref") if isinstance(part, dict) else None
    return ref[len(_REF) :] if isinstance(ref, str) and ref.startswith(_REF) else None


def _flat(name: str, schemas: dict[str, Any], depth: int = 0) -> dict[str, Any] | None:
    """A component schema as plain ``properties``/``required`` (its allOf chain merged), or
    None when it holds more than that (it then keeps its class and its subclasses)."""
    schema = schemas.get(name)
    if not isinstance(schema, dict) or depth > 20 or set(schema) - _FLAT_KEYS:
        return None
    if schema.get("type", "object") != "object":
        return None
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in schema.get("allOf") or []:
        base = _ref_name(part)
        if base is not None and set(part) == {"$ref"}:
            flat = _flat(base, schemas, depth + 1)
        elif isinstance(part, dict) and not set(part) - _FLAT_KEYS - {"allOf"}:
            flat = _flat("", {"": part}, depth + 1)
        else:
            flat = None
        if flat is None:
            return None
        properties.update(flat.get("properties", {}))
        required.extend(flat.get("required", []))
    own = schema.get("properties") or {}
    if not isinstance(own, dict):
        return None
    properties.update(own)
    required.extend(r for r in schema.get("required") or [] if isinstance(r, str))
    return {"type": "object", "properties": properties, "required": list(dict.fromkeys(required))}


def inline_conflicting_bases(
    schemas: dict[str, Any], nodes: Callable[[Any], Iterator[Any]]
) -> None:
    """An allOf that redefines a property of the schema it ``$ref``s gets that schema's other
    properties inline instead of subclassing its class.

    datamodel-code-generator makes ``allOf: [{$ref: Page}, {properties: {items: ...}}]`` a
    subclass of ``Page`` that assigns ``items`` again; when the new definition has another type
    (``list[Region]`` where ``Page`` has ``list[dict[str, Any]]``) mypy refuses the subclass
    (an incompatible override). Inlined, the class has the base's properties and its own
    definition of the redefined ones, which is what the subclass validated at run time too.
    """
    for schema in schemas.values():
        for node in nodes(schema):
            parts = node.get("allOf")
            if not isinstance(parts, list):
                continue
            own: dict[str, Any] = {}
            for part in parts:
                if isinstance(part, dict) and _ref_name(part) is None:
                    props = part.get("properties")
                    own.update(props if isinstance(props, dict) else {})
            props = node.get("properties")
            own.update(props if isinstance(props, dict) else {})
            for index, part in enumerate(parts):
                base = _ref_name(part)
                if base is None or set(part) != {"$ref"}:
                    continue
                flat = _flat(base, schemas)
                if flat is None:
                    continue
                conflicts = {
                    p
                    for p, definition in flat["properties"].items()
                    if p in own and _typing(definition) != _typing(own[p])
                }
                if conflicts:
                    flat["properties"] = {
                        p: d for p, d in flat["properties"].items() if p not in conflicts
                    }
                    if not flat["required"]:
                        del flat["required"]
                    parts[index] = flat
