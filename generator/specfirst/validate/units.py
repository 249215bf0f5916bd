"""The keyword pass by parts: each path item and each component schema on its own, cached.

openapi-spec-validator's keyword pass walks the whole document in one go (tags, then every
path item, then every component schema), following ``$ref``s and visiting each schema object
once. After an edit most of that walk finds what it found before, so here it is cut into
*units*, each checked on its own and cached under a key of its content:

- ``("tags",)``: the tag list;
- ``("paths", url)``: one path item (its operations, parameters, bodies, responses);
- ``("components", "schemas", name)``: one component schema.

A unit's walk stops at a ``$ref`` that names a whole component schema (that schema is a unit
of its own), so every schema object is checked in the unit that writes it, and a shared schema
is not checked again for each of its users. A unit's key is the canonical JSON of its content,
of where it is, of the document's version and JSON Schema dialect, and of what its result can
depend on among what its ``$ref``s reach (:class:`_Keys`):

- a ``$ref`` the walk follows (to a parameter, a response, a part of a schema; the target of a
  ``$ref`` that is itself a ``$ref``): the target in full, and the same again of its ``$ref``s;
- a ``$ref`` to a whole component schema where the walk stops (a schema position, or one the
  walk does not read): only that it names one;
- an allOf member's ``$ref``: the property names ``required`` is checked against
  (``_collect_properties``: ``properties``' names, through allOf, anyOf, oneOf, items and not);
- a schema with a ``default`` (validated against all the schema references), a ``$ref`` with
  siblings, the tag list: everything reached, in full, including a discriminator's mapping and,
  for a discriminator, every component schema (its validation finds schemas by name).

So a property added to a schema referenced from most of a document (GitHub's ``simple-user``)
checks again that schema, the few schemas whose ``required`` reads its property names, and the
defaults validated against it, not every unit that reaches it.

Why the union of the units' findings is the whole pass's, exactly: every finding of the
library's walk is about one schema object (an invalid default), one parameter list (a
duplicate) or the tag list, and is located where that object is written; it does not depend on
the route the walk took to reach the object, with two exceptions that do: the check of a schema
against its meta-schema (made on the first visit "from the top", and it stops the descent), and
``required`` naming undefined properties (reported only if the first visit is "from the top").
A unit that finds either (or anything else this module does not know to be route-free), or on
which the library fails, makes :func:`keyword_records` answer ``None``: the caller then runs
the library's walk on the whole document, whose answer is the reference. So is a document
whose objects are shared between places (YAML aliases), as the library visits a shared object
only once, from whichever place comes first.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from jsonschema.exceptions import ValidationError
from jsonschema_path import SchemaPath
from openapi_spec_validator.validation.exceptions import (
    DuplicateOperationIDError,
    UnresolvableParameterError,
)
from openapi_spec_validator.validation.keywords import KeywordValidator
from openapi_spec_validator.validation.registries import KeywordValidatorRegistry

from specfirst.diagnostics import Diagnostic, Level
from specfirst.loader import Pointer, SourceSpec, ref_pointer, resolve_pointer
from specfirst.loader.json_pieces import JsonPieces
from specfirst.validate.schema import Found, _real_pointer

__all__ = ["MetaMemo", "Record", "Unit", "UnitCache", "keyword_records", "units_of"]

Unit = tuple[str, ...]
Record = list[Any]
"""One finding, as cached: ``[level, rule, message, location pointer, pointer]``."""

# The keywords (as stamped by keywords._located) whose findings do not depend on the route the
# walk took (see the module's docstring). Anything else found in a unit: the whole walk.
_ROUTE_FREE = frozenset({"default", "parameters", "tags"})
# Findings the keyword pass drops (the project's own checks report them, located): harmless
# in a unit even though they depend on the whole document.
_DROPPED = (DuplicateOperationIDError, UnresolvableParameterError)


class UnitCache:
    """Findings per unit key: those saved by earlier runs, and those this run used (which are
    what is worth saving: the keys of the document as it is now)."""

    def __init__(self, saved: dict[str, list[Record] | None] | None = None) -> None:
        self._saved = saved or {}
        self.used: dict[str, list[Record] | None] = {}

    def __contains__(self, key: str) -> bool:
        return key in self.used or key in self._saved

    def __getitem__(self, key: str) -> list[Record] | None:
        if key not in self.used:
            self.used[key] = self._saved[key]
        return self.used[key]

    def __setitem__(self, key: str, value: list[Record] | None) -> None:
        self.used[key] = value


class MetaMemo:
    """Digests of schema objects found valid against their meta-schema: those known (saved by
    earlier runs, or found in this process) and those this run used (worth saving)."""

    def __init__(self) -> None:
        self._known: set[str] = set()
        self.used: set[str] = set()

    @staticmethod
    def key(validator: str, dialect: str, schema: Any) -> str:
        return _sha(_dumps([validator, dialect, schema]))

    def __contains__(self, key: str) -> bool:
        if key in self._known:
            self.used.add(key)
            return True
        return False

    def add(self, key: str) -> None:
        self._known.add(key)
        self.used.add(key)

    def forget(self) -> None:
        self._known.clear()
        self.used = set()

    def load(self, keys: list[str]) -> None:
        """Known from an earlier run; the record of what this run used starts afresh."""
        self._known.update(keys)
        self.used = set()


def _dumps(node: Any) -> str:
    return json.dumps(
        node,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=lambda o: ["\0py", type(o).__name__, repr(o)],
    )


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def units_of(doc: dict[str, Any]) -> dict[Unit, Any] | None:
    """The units of ``doc`` (as the library reads it) and their content, in the order the
    library walks them; ``None`` when the document's shape is not one a unit can stand for."""
    units: dict[Unit, Any] = {}
    if "tags" in doc:
        units[("tags",)] = doc["tags"]
    paths = doc.get("paths")
    if paths is not None:
        if not isinstance(paths, dict) or not all(isinstance(k, str) for k in paths):
            return None
        for url, item in paths.items():
            units[("paths", url)] = item
    components = doc.get("components")
    if isinstance(components, dict) and "schemas" in components:
        schemas = components["schemas"]
        if not isinstance(schemas, dict) or not all(isinstance(k, str) for k in schemas):
            return None
        for name, schema in schemas.items():
            units[("components", "schemas", name)] = schema
    return units


# What the library's walk reads a node as (see the module's docstring): the contexts of a
# unit's walk, and the context of each child. "other" is what the walk does not read.
_OPERATIONS = frozenset(
    {"get", "put", "post", "delete", "options", "head", "patch", "trace", "query"}
)
_CHILD: dict[str, dict[str, str]] = {
    "item": {"parameters": "params", "additionalOperations": "ops"}
    | dict.fromkeys(_OPERATIONS, "op"),
    "op": {"responses": "responses", "parameters": "params"},
    "param": {"schema": "schema"},
    "response": {"content": "content", "schema": "schema"},
    "media": {"schema": "schema"},
    "schema": {
        "properties": "props",
        "allOf": "members",
        "anyOf": "members",
        "oneOf": "members",
        "items": "schema",
        "not": "schema",
    },
}
# Contexts whose every member (mapping value or list item) is read as one kind of node.
_MEMBER = {
    "ops": "op",
    "params": "param",
    "responses": "response",
    "content": "media",
    "props": "schema",
    "members": "schema",
}
# Where a $ref to a whole component schema is where the walk stops (the schema positions, and
# what the walk does not read at all).
_STOPS = frozenset({"schema", "other"})
# The keywords ``SchemaValidator._collect_properties`` reads, through $refs, in allOf members.
_COLLECTED = ("allOf", "anyOf", "oneOf", "items", "not")

Edge = tuple[str, ...]
"""What a unit's result depends on beyond its content, by $ref: ``("full", ref, context)``
(the target read by the walk, as that context), ``("stop", ref)`` (a whole component schema
where the walk stops: only that it is one), ``("names", ref)`` (the property names
``required`` is checked against) and ``("closure", ref)`` (the target and everything it
reaches, as a default is validated against it)."""


class _Keys:
    """Each unit's cache key: its content, and of what its ``$ref``s reach, what its result
    can depend on (the module's docstring says what that is)."""

    def __init__(self, doc: dict[str, Any], context: str, pieces: JsonPieces | None = None) -> None:
        """``pieces``: the spec's document as JSON by pieces, dumped once for the whole run
        (a unit is a piece; the same text whatever its keys' order would need another dump)."""
        self._doc = doc
        self._pieces = pieces
        components = doc.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        self._schemas: dict[str, Any] = schemas if isinstance(schemas, dict) else {}
        self._head = _dumps([context, doc.get("openapi"), doc.get("jsonSchemaDialect", "\0absent")])
        self._nodes: dict[str, tuple[bool, Any]] = {}
        self._digests: dict[tuple[str, str], str] = {}
        self._edges: dict[Edge, tuple[str, set[Edge]] | None] = {}

    def key(self, unit: Unit, content: Any) -> str | None:
        """``None`` when a ``$ref`` it depends on names nothing the key can hold."""
        digest = hashlib.sha256()
        digest.update(self._head.encode())
        edges: set[Edge] = set()
        try:
            text = self._pieces.text(unit, content) if self._pieces is not None else None
            placed = _dumps([list(unit), content]) if text is None else f"[{_dumps(unit)},{text}]"
            digest.update(placed.encode("utf-8", "surrogatepass"))
            if unit[0] == "tags":
                self._closure(content, edges)
            else:
                self._walk(content, "item" if unit[0] == "paths" else "schema", edges)
        except (TypeError, ValueError, RecursionError):
            return None
        seen: set[Edge] = set()
        todo = list(edges)
        while todo:
            edge = todo.pop()
            if edge in seen:
                continue
            seen.add(edge)
            found = self._edge(edge)
            if found is None:
                return None
            todo.extend(found[1])
        for edge in sorted(seen):
            found = self._edge(edge)
            assert found is not None
            digest.update(_dumps([edge, found[0]]).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _whole_schema(self, ref: str) -> bool:
        """Whether ``ref`` names a whole component schema (the stop rule of a unit's walk)."""
        if not ref.startswith("#"):
            return False
        target = ref_pointer(ref)
        return (
            len(target) == 3
            and target[:2] == ("components", "schemas")
            and target[2] in self._schemas
        )

    def _walk(self, node: Any, context: str, edges: set[Edge]) -> None:
        """The edges of ``node`` read by the walk as ``context``; ``node`` is where the walk
        starts or where a ``$ref`` leads, so a ``$ref`` it is does not stop the walk."""
        stack: list[tuple[Any, str, bool]] = [(node, context, True)]
        while stack:
            current, context, first = stack.pop()
            if isinstance(current, list):
                member = _MEMBER.get(context, "other")
                stack.extend((v, member, False) for v in current if isinstance(v, dict | list))
                continue
            if not isinstance(current, dict):
                continue
            ref = current.get("$ref")
            if isinstance(ref, str):
                if len(current) > 1:
                    # where the walk reads a $ref's siblings and where its target is not
                    # told apart here: everything both reach
                    self._closure(current, edges)
                elif not first and context in _STOPS and self._whole_schema(ref):
                    edges.add(("stop", ref))
                else:
                    edges.add(("full", ref, context))
                continue
            if context in ("schema", "param") and "default" in current:
                self._closure(current, edges)  # the default is validated against all of it
                continue
            if context == "schema" and "allOf" in current:
                self._names(current["allOf"], edges)
            if context in _MEMBER:
                member = _MEMBER[context]
                stack.extend(
                    (v, member, False) for v in current.values() if isinstance(v, dict | list)
                )
            else:
                children = _CHILD.get(context, {})
                stack.extend(
                    (v, children.get(k, "other"), False)
                    for k, v in current.items()
                    if isinstance(v, dict | list)
                )

    @staticmethod
    def _names(node: Any, edges: set[Edge]) -> None:
        """The edges of what ``_collect_properties`` reads from an allOf member ``node``."""
        stack = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, list):
                stack.extend(current)
            elif isinstance(current, dict):
                ref = current.get("$ref")
                if isinstance(ref, str):
                    edges.add(("names", ref))
                props = current.get("properties")
                if isinstance(props, dict) and isinstance(props.get("$ref"), str):
                    edges.add(("closure", props["$ref"]))
                stack.extend(current[kw] for kw in _COLLECTED if kw in current)

    @staticmethod
    def _closure(node: Any, edges: set[Edge]) -> None:
        """Every ``$ref`` under ``node`` (data included), and for a discriminator (which a
        default's validation follows by name), its mapping and every component schema."""
        for found in _dicts(node):
            ref = found.get("$ref")
            if isinstance(ref, str):
                edges.add(("closure", ref))
            if "discriminator" in found:
                edges.add(("closure", "#/components/schemas"))
                mapping = (
                    found["discriminator"].get("mapping")
                    if isinstance(found["discriminator"], dict)
                    else None
                )
                if isinstance(mapping, dict):
                    edges.update(("closure", v) for v in mapping.values() if isinstance(v, str))

    def _node(self, ref: str) -> tuple[bool, Any]:
        if ref not in self._nodes:
            self._nodes[ref] = (
                resolve_pointer(self._doc, ref_pointer(ref))
                if ref.startswith("#")
                else (False, None)
            )
        return self._nodes[ref]

    def _digest(self, ref: str, kind: str, node: Any) -> str:
        if (ref, kind) not in self._digests:
            self._digests[ref, kind] = _sha(
                _dumps(node if kind == "full" else _property_names(node))
            )
        return self._digests[ref, kind]

    def _edge(self, edge: Edge) -> tuple[str, set[Edge]] | None:
        """The digest of what ``edge`` depends on, and the edges that leads to; ``None`` when
        its $ref resolves to nothing."""
        if edge not in self._edges:
            found: tuple[str, set[Edge]] | None = None
            ok, node = self._node(edge[1])
            if ok:
                edges: set[Edge] = set()
                try:
                    if edge[0] == "stop":
                        found = ("", edges)
                    elif edge[0] == "full":
                        self._walk(node, edge[2], edges)
                        found = (self._digest(edge[1], "full", node), edges)
                    elif edge[0] == "names":
                        self._names(node, edges)
                        found = (self._digest(edge[1], "names", node), edges)
                    else:
                        self._closure(node, edges)
                        found = (self._digest(edge[1], "full", node), edges)
                except (TypeError, ValueError, RecursionError):
                    found = None
            self._edges[edge] = found
        return self._edges[edge]


def _property_names(node: Any) -> Any:
    """What ``_collect_properties`` reads of ``node``: its property names, and the same of the
    subschemas it descends into ($refs as written: their targets are edges of their own)."""
    if isinstance(node, list):
        return [_property_names(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    if "$ref" in node:
        out["$ref"] = node["$ref"]
    if "properties" in node:
        props = node["properties"]
        out["properties"] = (
            list(props) if isinstance(props, dict) and "$ref" not in props else props
        )
    for kw in _COLLECTED:
        if kw in node:
            out[kw] = _property_names(node[kw])
    return out


def _dicts(node: Any) -> Iterator[dict[Any, Any]]:
    """Every mapping under ``node``, itself included (data included)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            yield current
            stack.extend(v for v in current.values() if isinstance(v, dict | list))
        elif isinstance(current, list):
            stack.extend(v for v in current if isinstance(v, dict | list))


def _shares_objects(doc: Any) -> bool:
    """Whether a mapping or list appears at two places in ``doc`` (YAML aliases)."""
    seen: set[int] = set()
    stack = [doc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            return True
        seen.add(id(current))
        if isinstance(current, dict):
            stack.extend(v for v in current.values() if isinstance(v, dict | list))
        elif isinstance(current, list):
            stack.extend(v for v in current if isinstance(v, dict | list))
    return False


def _stop_rule(doc: dict[str, Any], root: Pointer) -> Callable[[Pointer], bool]:
    """Whether a unit's walk stops at ``parts``: a ``$ref`` naming a whole component schema
    (other than the unit's own root), which is checked as a unit of its own."""
    schemas = doc.get("components", {}).get("schemas", {})

    def stop(parts: Pointer) -> bool:
        if parts == root:
            return False
        found, node = resolve_pointer(doc, _real_pointer(doc, parts))
        ref = node.get("$ref") if found and isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#"):
            return False
        target = ref_pointer(ref)
        return len(target) == 3 and target[:2] == ("components", "schemas") and target[2] in schemas

    return stop


def keyword_records(
    spec: SourceSpec,
    validator: Any,
    classes: dict[str, type[KeywordValidator]],
    convert: Callable[[SourceSpec, list[ValidationError]], Iterator[Found]],
    cache: UnitCache,
    context: str,
) -> list[Found] | None:
    """The keyword pass's findings on ``spec``, unit by unit, through ``cache`` (key → the
    unit's records, or ``None`` for a unit that needs the whole walk; updated in place).

    ``validator`` is the library's validator on the document, ``classes`` its keyword
    validators (located, see :mod:`specfirst.validate.keywords`) and ``convert`` what turns
    the library's errors into findings. ``None``: run the whole walk instead.
    """
    doc = validator.schema
    units = units_of(doc)
    # ``doc`` is the spec's document, or a copy of it with some members left out: a tree when
    # the document is known to be one (GitHub's: the walk would cost 0.15 s of every run).
    if units is None or (not spec.is_tree and _shares_objects(doc)):
        return None
    keys = _Keys(doc, context, spec.json_pieces())
    records: list[Record] = []
    todo: dict[Unit, str | None] = {}
    for unit, content in units.items():
        key = keys.key(unit, content)
        if key is not None and key in cache:
            cached = cache[key]
            if cached is None:
                return None
            records.extend(cached)
        else:
            todo[unit] = key
    if todo:
        root = validator.schema_path
        for unit, path in _unit_paths(root, todo, classes):
            registry = _UnitRegistry(classes, _stop_rule(doc, unit))
            found = _run(spec, registry, unit, path, convert)
            key = todo[unit]
            if key is not None:
                cache[key] = found
            if found is None:
                return None
            records.extend(found)
    out: list[Found] = []
    for level, rule, message, where, pointer in records:
        location = spec.locate(tuple(where)) if where is not None else None
        out.append(
            (
                Diagnostic(Level(level), rule, message, location),
                tuple(pointer) if pointer is not None else None,
            )
        )
    return out


class _UnitRegistry(KeywordValidatorRegistry):
    """The library's registry of keyword validators, for one unit: fresh (no schema visited
    yet), with the rule where the unit's walk stops (read by ``keywords._located``)."""

    def __init__(
        self, classes: dict[str, type[KeywordValidator]], stop: Callable[[Pointer], bool]
    ) -> None:
        super().__init__(classes)
        self.specfirst_stop = stop


def _unit_paths(
    root: SchemaPath, todo: dict[Unit, str | None], classes: dict[str, type[KeywordValidator]]
) -> Iterator[tuple[Unit, SchemaPath]]:
    """The library's path to each unit to check (it splits a path on '/', so by iteration)."""
    if ("tags",) in todo and "tags" in classes:
        yield ("tags",), root / "tags"
    elif ("tags",) in todo:
        todo.pop(("tags",))
    if any(u[0] == "paths" for u in todo):
        for url, item in (root / "paths").items():
            if ("paths", str(url)) in todo:
                yield ("paths", str(url)), item
    if any(u[0] == "components" for u in todo):
        for name, schema in (root / "components" / "schemas").items():
            if ("components", "schemas", str(name)) in todo:
                yield ("components", "schemas", str(name)), schema


def _run(
    spec: SourceSpec,
    registry: KeywordValidatorRegistry,
    unit: Unit,
    path: SchemaPath,
    convert: Callable[[SourceSpec, list[ValidationError]], Iterator[Found]],
) -> list[Record] | None:
    """One unit through the library: its records, or ``None`` (the whole walk is needed)."""
    errors: list[ValidationError] = []
    # The library's keyword validators are callables of their own signatures.
    check: Any = registry[{"tags": "tags", "paths": "path"}.get(unit[0], "schema")]
    try:
        errors.extend(check(unit[1], path) if unit[0] == "paths" else check(path))
    except Exception:
        return None
    for error in errors:
        if isinstance(error, _DROPPED):
            continue
        if getattr(error, "specfirst_keyword", None) not in _ROUTE_FREE:
            return None
    # Locations as pointers (to be located again in an edited file): a copy of the spec that
    # records them, so that the caller's own recording (specfirst.validation) is left alone.
    located: dict[Any, Pointer] = {}
    probe = replace(spec, _located=located)
    records: list[Record] = []
    for diag, pointer in convert(probe, errors):
        where = located.get(diag.location) if diag.location is not None else None
        if diag.location is not None and where is None:
            return None
        records.append(
            [
                diag.level.value,
                diag.rule,
                diag.message,
                list(where) if where is not None else None,
                list(pointer) if pointer is not None else None,
            ]
        )
    return records
