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
of everything its ``$ref``s reach (transitively: a default is validated against what its
schema references), of where it is, and of the document's version and JSON Schema dialect.

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
from specfirst.loader import Pointer, SourceSpec, iter_values, ref_pointer, resolve_pointer
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


class _Keys:
    """Each unit's cache key: its content and everything its ``$ref``s reach."""

    def __init__(self, doc: dict[str, Any], context: str) -> None:
        self._doc = doc
        self._head = _dumps([context, doc.get("openapi"), doc.get("jsonSchemaDialect", "\0absent")])
        self._targets: dict[str, tuple[str, list[str]] | None] = {}

    def key(self, unit: Unit, content: Any) -> str | None:
        """``None`` when a ``$ref`` it reaches names nothing the key can hold."""
        digest = hashlib.sha256()
        digest.update(self._head.encode())
        try:
            digest.update(_dumps([list(unit), content]).encode("utf-8", "surrogatepass"))
        except (TypeError, ValueError):
            return None
        seen: set[str] = set()
        todo = list(_refs(content))
        while todo:
            ref = todo.pop()
            if ref in seen:
                continue
            seen.add(ref)
            target = self._target(ref)
            if target is None:
                return None
            todo.extend(target[1])
        for ref in sorted(seen):
            target = self._target(ref)
            assert target is not None
            digest.update(f"\0{ref}\0{target[0]}".encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _target(self, ref: str) -> tuple[str, list[str]] | None:
        if ref not in self._targets:
            found: tuple[str, list[str]] | None = None
            if ref.startswith("#"):
                ok, node = resolve_pointer(self._doc, ref_pointer(ref))
                if ok:
                    try:
                        found = (_sha(_dumps(node)), list(_refs(node)))
                    except (TypeError, ValueError):
                        found = None
            self._targets[ref] = found
        return self._targets[ref]


def _refs(node: Any) -> Iterator[str]:
    """Every ``$ref`` string under ``node``, data included (more than the library follows:
    a key that holds more than it needs is only reused less often)."""
    return (ref for ref in iter_values(node, "$ref") if isinstance(ref, str))


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
    if units is None or _shares_objects(doc):
        return None
    keys = _Keys(doc, context)
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
