"""A schema in plain form, for comparing what schemas admit: its local references inlined and
its annotations dropped (:func:`plain_schema`). Used by the contract run's document
(:mod:`specfirst.contract.document`) and its table of excuses (:mod:`specfirst.contract.excuses`)
alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["local_target", "plain_schema"]

_ANNOTATIONS = frozenset(
    {"title", "description", "example", "examples", "default", "deprecated", "externalDocs", "xml"}
)
"""Keywords that change no value's validity (JSON Schema's annotations, OpenAPI's ``xml``)."""

_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "definitions", "$defs"})


def plain_schema(schema: Any, root: Mapping[str, Any], depth: int) -> Any:
    """``schema`` with its ``#/…`` references inlined and its annotations dropped."""
    if depth > 32:
        raise ValueError("too deep")
    if isinstance(schema, list):
        return [plain_schema(item, root, depth + 1) for item in schema]
    if not isinstance(schema, Mapping):
        return schema
    ref = schema.get("$ref")
    if isinstance(ref, str):
        target = local_target(ref, root)
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        inlined = plain_schema(target, root, depth + 1)
        return {"allOf": [inlined, plain_schema(rest, root, depth + 1)]} if rest else inlined
    plain: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _ANNOTATIONS or key.startswith("x-"):
            continue
        # property names and the like are keys, not schemas: keep them, clean their values
        plain[key] = (
            {name: plain_schema(sub, root, depth + 1) for name, sub in value.items()}
            if key in _SCHEMA_MAPS and isinstance(value, Mapping)
            else plain_schema(value, root, depth + 1)
        )
    return plain


def local_target(ref: str, root: Mapping[str, Any]) -> Mapping[str, Any] | bool:
    """The schema a local reference (``#/…``) points to in ``root``; ``ValueError`` for any
    other reference, or one that points to no schema."""
    from schemathesis.core.transforms import resolve_path

    if not ref.startswith("#"):
        raise ValueError(ref)
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in ref[1:].split("/") if t]
    target = resolve_path(root, tokens)
    if not isinstance(target, Mapping | bool):
        raise ValueError(ref)
    return target
