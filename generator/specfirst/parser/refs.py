"""References to component schemas: found, renamed, and their keys escaped.

Pass 1 renames component schemas to class names and gives some a request and a response
shape; these helpers rewrite the ``$ref``s (and discriminator mappings) that point at them.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping
from typing import Any

SCHEMA_REF = "#/components/schemas/"
_DATA = frozenset({"example", "examples", "default", "enum", "const"})  # values, not schemas
_NAMED = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})


def is_local_ref(ref: str) -> bool:
    """A ``$ref`` into this document (``#/...``)."""
    return ref.startswith("#/")


def is_component_schema(pointer: tuple[str | int, ...]) -> bool:
    """The pointer of a component schema: ``("components", "schemas", key)``."""
    return len(pointer) == 3 and pointer[:2] == ("components", "schemas")


def escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def unescape(key: str) -> str:
    return key.replace("~1", "/").replace("~0", "~")


def schema_refs(node: Any, keep: Any, marked: list[bool] | None = None) -> set[str]:
    """Names of the component schemas ``node`` references (``keep(name)`` says which count).

    ``marked``: its one item is set when a ``readOnly``/``writeOnly`` key is met on the way,
    so one walk tells which schemas need request and response shapes."""
    found: set[str] = set()
    todo = [node]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith(SCHEMA_REF) and keep(ref[len(SCHEMA_REF) :]):
                found.add(ref[len(SCHEMA_REF) :])
            if marked is not None and ("readOnly" in item or "writeOnly" in item):
                marked[0] = True
            todo.extend(v for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            todo.extend(v for v in item if isinstance(v, dict | list))
    return found


def marked(schema: Any, flag: str, target: Callable[[str], Any], depth: int = 0) -> bool:
    """Whether ``schema`` is marked ``flag`` (``readOnly``/``writeOnly``): on itself, on the
    schema its ``$ref`` names (``target(ref)``), or on one of its ``allOf`` parts, and so on.

    A property that is ``{$ref: pickup_window}``, a component marked ``writeOnly: true``, is as
    write-only as one marked on the property (shipengine); so is 3.0's ``allOf: [{$ref: …}]``
    wrapper of one, and a 3.1 ``$ref`` beside other keywords."""
    if not isinstance(schema, Mapping):
        return False
    if schema.get(flag) is True:
        return True
    if depth >= 8:
        return False
    ref = schema.get("$ref")
    if isinstance(ref, str) and marked(target(ref), flag, target, depth + 1):
        return True
    parts = schema.get("allOf")
    return isinstance(parts, list) and any(marked(p, flag, target, depth + 1) for p in parts)


def renamed_copy(node: Any, renames: Mapping[str, str]) -> Any:
    """``rewrite_refs(copy_json(node), renames)`` in one walk: a copy of JSON-shaped ``node``
    with its ``$ref``s (and discriminator mappings) renamed."""
    if isinstance(node, list):
        return [renamed_copy(v, renames) if isinstance(v, dict | list) else v for v in node]
    if not isinstance(node, dict):
        return node
    out = {
        k: renamed_copy(v, renames) if isinstance(v, dict | list) else v for k, v in node.items()
    }
    _rename(out, renames)
    return out


def _rename(node: dict[Any, Any], renames: Mapping[str, str]) -> None:
    """``node``'s own ``$ref`` (or discriminator mapping) renamed, in place."""
    ref = node.get("$ref")
    if isinstance(ref, str) and ref in renames:
        node["$ref"] = renames[ref]
    mapping = node.get("mapping")
    if isinstance(mapping, dict) and isinstance(node.get("propertyName"), str):
        for key, value in mapping.items():
            if isinstance(value, str) and value in renames:
                mapping[key] = renames[value]


def rewrite_refs(node: Any, renames: Mapping[str, str]) -> Any:
    """``node`` with its ``$ref``s (and discriminator mappings) renamed, in place."""
    if isinstance(node, dict):
        _rename(node, renames)
        for value in node.values():
            if isinstance(value, dict | list):
                rewrite_refs(value, renames)
    elif isinstance(node, list):
        for value in node:
            if isinstance(value, dict | list):
                rewrite_refs(value, renames)
    return node


def explicit_mappings(node: Any, components: Container[str], named: bool = False) -> Any:
    """``node`` with OpenAPI's implicit discriminator mapping written out: each ``oneOf``/
    ``anyOf`` member that is a component schema the ``mapping`` does not name is mapped by its
    component's name. A copy where something changed; ``node`` itself is never changed.

    Renaming components to class names (``VOICE-CALL`` → ``VOICECALL``, ``Pet`` →
    ``PetRequest``) must not rename the values a discriminator takes: those are the names as
    written. A member the mapping (or a ``defaultMapping``) already names is left as it is.
    ``named``: ``node`` maps names to schemas (``properties``), it is not a schema itself.
    """
    if isinstance(node, list):
        items = [explicit_mappings(v, components) for v in node]
        return node if all(a is b for a, b in zip(items, node, strict=True)) else items
    if not isinstance(node, dict):
        return node
    out: dict[Any, Any] | None = None
    for key, value in node.items():
        if not isinstance(value, dict | list) or (not named and key in _DATA):
            continue
        done = explicit_mappings(value, components, named=not named and key in _NAMED)
        if done is not value:
            out = out if out is not None else dict(node)
            out[key] = done
    disc = node.get("discriminator")
    if named or not isinstance(disc, dict) or not isinstance(disc.get("propertyName"), str):
        return node if out is None else out
    mapping = disc.get("mapping", {})
    if not isinstance(mapping, dict):
        return node if out is None else out
    mapped = set(mapping.values())
    default = disc.get("defaultMapping")  # OpenAPI 3.2: takes what the mapping does not
    if isinstance(default, str):
        mapped.add(default if default.startswith("#") else SCHEMA_REF + escape(default))
    implicit: dict[str, str] = {}
    for key in ("oneOf", "anyOf"):
        members = node.get(key)
        for member in members if isinstance(members, list) else ():
            ref = member.get("$ref") if isinstance(member, dict) else None
            if not isinstance(ref, str) or not ref.startswith(SCHEMA_REF) or ref in mapped:
                continue
            name = unescape(ref[len(SCHEMA_REF) :])
            if name in components and name not in mapping and name not in mapped:
                implicit.setdefault(name, ref)
    if not implicit:
        return node if out is None else out
    out = out if out is not None else dict(node)
    out["discriminator"] = {**disc, "mapping": {**mapping, **implicit}}
    return out
