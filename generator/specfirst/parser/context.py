"""The document every part of the parser reads, and the list its diagnostics go to.

:class:`Context` is shared by both passes and every concern (parameters, bodies, responses,
security, senders): lookups that follow ``$ref``s, the operations and webhooks in document
order, and :meth:`Context.warn`, which records a located diagnostic instead of raising.
Nothing in it changes while the parser runs, except that diagnostics are appended.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from specfirst.diagnostics import Diagnostic, Level
from specfirst.loader import Pointer, SourceSpec, deref, path_item_operations
from specfirst.parser.refs import SCHEMA_REF, is_component_schema, is_local_ref


class Context:
    """One bundled document, read; a diagnostics sink written to."""

    def __init__(self, spec: SourceSpec, diagnostics: list[Diagnostic]) -> None:
        self.spec = spec
        self.doc: dict[str, Any] = spec.document
        self.diagnostics = diagnostics
        # 3.1 and 3.2 schemas are JSON Schema 2020-12 (numeric exclusive bounds, type arrays)
        self.openapi_31 = not str(self.doc.get("openapi", "")).startswith("3.0")

    def warn(self, rule: str, message: str, pointer: Pointer, level: Level = Level.WARNING) -> None:
        self.diagnostics.append(Diagnostic(level, rule, message, self.spec.locate(pointer)))

    def deref(self, node: Any, pointer: Pointer) -> tuple[Any, Pointer]:
        """Follow internal ``$ref``s (not to schemas) to the referenced object."""
        node, pointer, broken = deref(self.doc, node, pointer)
        if broken is not None:
            self.warn("unresolved-ref", f"cannot resolve $ref {broken!r}", pointer, Level.ERROR)
        return node, pointer

    def follow_ref(self, ref: str) -> tuple[Any, Pointer]:
        """What a local ``$ref`` names and its pointer (``({}, ())`` where it names nothing).

        Reports nothing: validation has already reported a broken one."""
        node, pointer, broken = deref(self.doc, {"$ref": ref}, ())
        return ({}, ()) if broken is not None else (node, pointer)

    def schema_target(self, schema: Any, pointer: Pointer) -> tuple[Any, Pointer]:
        """A schema that is a ``$ref`` to a schema written elsewhere than
        ``components/schemas`` (another operation's response schema …): that schema and its
        pointer, so both places share one model. Any other schema: as it is, where it is."""
        ref = schema.get("$ref") if isinstance(schema, Mapping) else None
        if not isinstance(ref, str) or not is_local_ref(ref) or ref.startswith(SCHEMA_REF):
            return schema, pointer
        target, target_ptr = self.follow_ref(ref)
        if not target_ptr or is_component_schema(target_ptr) or not isinstance(target, Mapping):
            return schema, pointer
        return target, target_ptr

    def resolve_schema(self, schema: Any) -> Mapping[str, Any]:
        """A parameter/header schema with component refs followed (for constraints)."""
        seen: set[str] = set()
        while isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if ref in seen:
                return {}
            seen.add(ref)
            schema, _ = self.deref(schema, ())
        return schema if isinstance(schema, Mapping) else {}

    def node(self, ptr: Pointer) -> Mapping[str, Any]:
        """The object at ``ptr`` (an empty mapping where there is none)."""
        node: Any = self.doc
        for key in ptr:
            node = node[key] if isinstance(node, Mapping) and key in node else {}
        return node if isinstance(node, Mapping) else {}

    def operations(
        self,
    ) -> Iterator[tuple[str, str, Mapping[str, Any], Mapping[str, Any], Pointer, Pointer]]:
        """Every operation under ``paths``: path, method, path item, operation, pointer, site.

        The pointer is where the operation is written (after a path item's ``$ref``); the
        site is where it is served, ``("paths", path, method)``. A path item that is a
        ``$ref`` to another one serves the same operation at a second path: the two share
        the pointer, never the site, so a name per operation is keyed by its site."""
        paths = self.doc.get("paths") or {}
        for path, item in paths.items():
            site: Pointer = ("paths", path)
            item, item_ptr = self.deref(item, site)
            for method, rel, op in path_item_operations(item):
                yield path, method.lower(), item, op, (*item_ptr, *rel), (*site, *rel)

    def webhooks(self) -> Iterator[tuple[str, str, Mapping[str, Any], Pointer]]:
        """Every operation under ``webhooks``: webhook name, method, operation, pointer."""
        hooks = self.doc.get("webhooks")
        if not isinstance(hooks, Mapping):
            return
        for name, raw in hooks.items():
            item, item_ptr = self.deref(raw, ("webhooks", name))
            for method, rel, op in path_item_operations(item):
                yield str(name), method.lower(), op, (*item_ptr, *rel)
