"""Rules on references: every ``$ref`` resolves, and every component is used.

Rules read the bundled document, so a ``$ref`` that is not internal (``#/...``) after bundling
could not be followed. A component is used when a ``$ref`` or a discriminator ``mapping`` from
outside ``components`` reaches it, directly or through other used components; a security
scheme is used when a security requirement names it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specfirst.diagnostics import Level
from specfirst.lint.context import Context, Finding, Rule
from specfirst.loader import Pointer, iter_refs, pointer_to_ref, ref_pointer

__all__ = ["COMPONENT_SECTIONS", "RULES"]

COMPONENT_SECTIONS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "links",
    "callbacks",
    "pathItems",
)


def _unresolved_ref(ctx: Context) -> Iterator[Finding]:
    for pointer, ref in iter_refs(ctx.doc):
        if not ref.startswith("#"):
            yield f"$ref {ref!r} is not internal after bundling", (*pointer, "$ref")
        elif not ctx.get(ref_pointer(ref))[0]:
            yield f"$ref {ref!r} points to nothing", (*pointer, "$ref")


def _unused_component(ctx: Context) -> Iterator[Finding]:
    components = ctx.doc.get("components")
    if not isinstance(components, dict):
        return
    used: set[Pointer] = set()
    pending: list[Any] = [v for k, v in ctx.doc.items() if k != "components"]
    while pending:
        for ref in _references(pending.pop()):
            target = ref_pointer(ref)
            component = target[:3]
            if len(component) == 3 and component[0] == "components" and component not in used:
                used.add(component)
                found, value = ctx.get(component)
                if found:
                    pending.append(value)
    schemes_used = {
        name
        for requirements in [ctx.doc.get("security")]
        + [o.op.get("security") for o in ctx.operations]
        if isinstance(requirements, list)
        for r in requirements
        if isinstance(r, dict)
        for name in r
    }
    for section in (*COMPONENT_SECTIONS, "securitySchemes"):
        entries = components.get(section)
        if not isinstance(entries, dict):
            continue
        for name in entries:
            pointer: Pointer = ("components", section, name)
            if section == "securitySchemes":
                if name in schemes_used:
                    continue
            elif pointer in used:
                continue
            yield f"components.{section}.{name} is never used", pointer


def _references(node: Any) -> Iterator[str]:
    """Every ``$ref`` and discriminator mapping under node (both name components)."""
    for _, ref in iter_refs(node):
        yield ref
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            disc = current.get("discriminator")
            mapping = disc.get("mapping") if isinstance(disc, dict) else None
            if isinstance(mapping, dict):
                for value in mapping.values():
                    if isinstance(value, str):
                        yield (
                            value
                            if "#" in value
                            else pointer_to_ref(("components", "schemas", value))
                        )
            stack.extend(v for v in current.values() if isinstance(v, dict | list))
        elif isinstance(current, list):
            stack.extend(v for v in current if isinstance(v, dict | list))


RULES: tuple[Rule, ...] = (
    Rule("unused-component", Level.WARNING, "every component is used", _unused_component),
    Rule("unresolved-ref", Level.ERROR, "every $ref resolves", _unresolved_ref),
)
