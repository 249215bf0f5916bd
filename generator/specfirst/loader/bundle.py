"""Bundling: every relative-file ``$ref`` brought into one document whose refs are all internal.

We bundle ourselves rather than use a resolver library (jsonschema-path / referencing resolve
refs lazily but do not produce a single self-contained document, and the JavaScript bundlers are
out of reach); the rules are the ones users know from ``redocly bundle``: schemas and named
components are hoisted into ``components``, anything else is inlined at the ref site.

:class:`_Bundler` walks the entry document, asks the resolver (:mod:`specfirst.loader.refs`)
what each ref names, hoists or inlines it, and records for every node it brings in the file
and pointer it came from (``origins``), so that :meth:`SourceSpec.locate` can point into that
file. The walk, the rewrite of a ref, hoisting and inlining call each other recursively over
the same state (names taken, targets being inlined), so they stay one class.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from specfirst.loader.files import _error, _File
from specfirst.loader.pointers import Pointer, copy_json, pointer_to_ref, resolve_pointer
from specfirst.loader.refs import _Resolver, _Target

_COMPONENT_SECTIONS = frozenset(
    {
        "schemas",
        "responses",
        "parameters",
        "examples",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
    }
)
# JSON Schema keywords whose value is a schema, a map of schemas, or a list of schemas.
_SCHEMA_KEYS = frozenset(
    {
        "items",
        "additionalItems",
        "additionalProperties",
        "not",
        "contains",
        "if",
        "then",
        "else",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    }
)
_SCHEMA_MAP_KEYS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
_SCHEMA_LIST_KEYS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
# Values that are literal data, never walked for $refs.
_SCHEMA_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})

# Walking contexts.
_OTHER, _SCHEMA, _SCHEMA_MAP, _SCHEMA_LIST, _EXAMPLE_MAP, _EXAMPLE = range(6)

_EXTERNAL_REF = re.compile(r"""\$ref["']?\s*:(?!\s*["']?#)""")


def _pascal(stem: str) -> str:
    words = re.split(r"[^0-9A-Za-z]+", stem)
    name = "".join(w[:1].upper() + w[1:] for w in words if w)
    return name or "Schema"


class _Bundler:
    """One bundling of one entry file: :meth:`run` returns the document with internal refs."""

    def __init__(self, entry: _File) -> None:
        self.entry = entry
        self.refs = _Resolver(entry)
        # The resolver's: every file loaded, and every problem (the walk adds its own).
        self.files = self.refs.files
        self.diagnostics = self.refs.diagnostics
        # bundled pointer -> (file, pointer in that file) for content brought in from elsewhere
        self.origins: dict[Pointer, tuple[_File, Pointer]] = {(): (entry, ())}
        # (file, pointer) -> (section, name) of its hoisted copy
        self.hoisted_names: dict[tuple[Path, Pointer], tuple[str, str]] = {}
        self.hoisted: dict[str, dict[str, Any]] = {}
        self.taken: dict[str, set[str]] = {}
        self.inlining: list[tuple[Path, Pointer]] = []
        components = entry.data.get("components")
        if isinstance(components, dict):
            for section, entries in components.items():
                if isinstance(entries, dict):
                    self.taken[section] = set(entries)
        self.stubs: dict[Pointer, tuple[Path, Pointer]] = {}

    def walk(self, node: Any, file: _File, src: Pointer, dst: Pointer, ctx: int) -> Any:
        """Rewrite every $ref under node (in place) and return the node to put at dst."""
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ctx not in (_SCHEMA_MAP, _EXAMPLE_MAP):
                return self.rewrite(node, ref, file, src, dst, ctx)
            for key, value in list(node.items()):
                if not isinstance(value, dict | list):
                    continue
                sub = self.child_context(ctx, dst, key)
                if sub is None:
                    continue
                node[key] = self.walk(value, file, (*src, key), (*dst, key), sub)
                if key == "discriminator" and ctx == _SCHEMA and isinstance(value, dict):
                    self.rewrite_mapping(value, file, (*src, key), (*dst, key))
        elif isinstance(node, list):
            sub = _SCHEMA if ctx in (_SCHEMA_LIST, _SCHEMA) else _OTHER
            for i, value in enumerate(node):
                if isinstance(value, dict | list):
                    node[i] = self.walk(value, file, (*src, i), (*dst, i), sub)
        return node

    @staticmethod
    def child_context(ctx: int, dst: Pointer, key: str) -> int | None:
        if ctx == _SCHEMA:
            if key in _SCHEMA_KEYS:
                return _SCHEMA
            if key in _SCHEMA_MAP_KEYS:
                return _SCHEMA_MAP
            if key in _SCHEMA_LIST_KEYS:
                return _SCHEMA_LIST
            if key in _SCHEMA_DATA_KEYS:
                return None
            return _OTHER
        if ctx == _SCHEMA_MAP:
            return _SCHEMA
        if ctx == _EXAMPLE_MAP:
            return _EXAMPLE
        if ctx == _EXAMPLE:
            return None if key == "value" else _OTHER
        # _OTHER, _SCHEMA_LIST handled by the list branch
        if key == "schema":
            return _SCHEMA
        if key == "example":
            return None
        if key == "examples":
            return _EXAMPLE_MAP
        if key == "schemas" and dst[-1:] == ("components",):
            return _SCHEMA_MAP
        return _OTHER

    def rewrite_mapping(
        self, disc: dict[str, Any], file: _File, src: Pointer, dst: Pointer
    ) -> None:
        mapping = disc.get("mapping")
        if not isinstance(mapping, dict):
            return
        for name, ref in list(mapping.items()):
            if not isinstance(ref, str) or ("/" not in ref and "#" not in ref):
                continue  # a bare schema name
            if file is self.entry and ref.startswith("#"):
                continue
            site = {"$ref": ref}
            new = self.rewrite(site, ref, file, (*src, "mapping", name), dst, _SCHEMA)
            if isinstance(new, dict) and isinstance(new.get("$ref"), str):
                mapping[name] = new["$ref"]

    def rewrite(
        self, node: dict[str, Any], ref: str, file: _File, src: Pointer, dst: Pointer, ctx: int
    ) -> Any:
        # Sibling keys of $ref (3.1 summary/description, path item fields) stay where they are.
        for key, value in list(node.items()):
            if key != "$ref" and isinstance(value, dict | list):
                sub = self.child_context(ctx, dst, key)
                if sub is not None:
                    node[key] = self.walk(value, file, (*src, key), (*dst, key), sub)
        if file is self.entry and ref.startswith("#"):
            return node
        target = self.refs.target(ref, file, src)
        if target is None:
            return node
        target = self.refs.follow(target)
        if target.file is self.entry:
            node["$ref"] = pointer_to_ref(target.pointer)
            return node

        target_key = (target.file.path, target.pointer)
        if self.stubs.get(dst) == target_key:
            # components/<section>/<name>: {$ref: file}: the content goes here, under that name
            return self.inline(node, target, dst, ctx)
        placed = self.hoisted_names.get(target_key)
        if placed is None:
            placed = self.hoist_place(target, ref, ctx)
        if placed is None:
            return self.inline(node, target, dst, ctx)
        section, name = placed
        node["$ref"] = pointer_to_ref(("components", section, name))
        return node

    def hoist_place(self, target: _Target, ref: str, ctx: int) -> tuple[str, str] | None:
        """Choose where a target goes in components, hoist it there; None means inline it."""
        p = target.pointer
        if ctx in (_SCHEMA, _SCHEMA_LIST):
            section = "schemas"
        elif len(p) == 3 and p[0] == "components" and p[1] in _COMPONENT_SECTIONS:
            section = str(p[1])
        else:
            return None
        base = str(p[-1]) if p else _pascal(Path(ref.partition("#")[0]).stem)
        taken = self.taken.setdefault(section, set())
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}{n}"
        taken.add(name)
        key = (target.file.path, p)
        self.hoisted_names[key] = (section, name)
        dst: Pointer = ("components", section, name)
        self.origins[dst] = (target.file, p)
        _, content = resolve_pointer(target.file.data, p)
        sub = _SCHEMA if section == "schemas" else _OTHER
        entries = self.hoisted.setdefault(section, {})
        entries[name] = None  # first referenced, first listed; refs inside are hoisted after it
        entries[name] = self.walk(copy_json(content), target.file, p, dst, sub)
        return section, name

    def inline(self, node: dict[str, Any], target: _Target, dst: Pointer, ctx: int) -> Any:
        key = (target.file.path, target.pointer)
        if key in self.inlining:
            chain = " -> ".join(
                f"{self.files[f].display}{pointer_to_ref(p)}"
                for f, p in [*self.inlining[self.inlining.index(key) :], key]
            )
            self.diagnostics.append(
                _error(
                    "ref-cycle",
                    f"circular $ref cannot be inlined: {chain}; "
                    "move the target under components/ so it can be referenced by name",
                    target.file.location(target.pointer),
                )
            )
            return node
        self.inlining.append(key)
        try:
            self.origins[dst] = (target.file, target.pointer)
            _, content = resolve_pointer(target.file.data, target.pointer)
            value = self.walk(copy_json(content), target.file, target.pointer, dst, ctx)
        finally:
            self.inlining.pop()
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        if not siblings or not isinstance(value, dict):
            return value
        # Keys written next to the $ref win over the referenced ones, and keep their position.
        for k in siblings:
            self.origins.pop((*dst, k), None)
        return {**value, **siblings}

    def run(self) -> dict[str, Any]:
        doc: dict[str, Any] = self.entry.data
        components = doc.get("components")
        if isinstance(components, dict):
            for section, entries in components.items():
                if section not in _COMPONENT_SECTIONS or not isinstance(entries, dict):
                    continue
                for name, value in entries.items():
                    ref = value.get("$ref") if isinstance(value, dict) else None
                    if isinstance(ref, str) and not ref.startswith("#"):
                        self.register_stub(section, name, ref)
        self.walk(doc, self.entry, (), (), _OTHER)
        if self.hoisted:
            comps = doc.setdefault("components", {})
            for section, entries in self.hoisted.items():
                comps.setdefault(section, {}).update(entries)
        return doc

    def register_stub(self, section: str, name: str, ref: str) -> None:
        src: Pointer = ("components", section, name)
        before = len(self.diagnostics)
        target = self.refs.target(ref, self.entry, src)
        del self.diagnostics[before:]  # reported again, once, by the walk
        if target is None:
            return
        target = self.refs.follow(target)
        if target.file is self.entry:
            return
        key = (target.file.path, target.pointer)
        if key not in self.hoisted_names:
            self.hoisted_names[key] = (section, name)
            self.stubs[src] = key
