"""Load an OpenAPI document from YAML or JSON, bundle its multi-file ``$ref``s, locate nodes.

``load_spec`` reads the entry file with the fastest parser available (``json.loads`` for
``.json``, PyYAML's C loader otherwise), brings every relative-file ``$ref`` into one document
whose refs are all internal (``#/...``), and returns a :class:`SourceSpec`.

Source positions are not collected while loading: they cost as much as the parse itself and are
needed only when something is wrong. :meth:`SourceSpec.locate` builds a position index for a
file on first use and maps any node of the bundled document back to the file, line and column it
came from.

We bundle ourselves rather than use a resolver library (jsonschema-path / referencing resolve
refs lazily but do not produce a single self-contained document, and the JavaScript bundlers are
out of reach); the rules are the ones users know from ``redocly bundle``: schemas and named
components are hoisted into ``components``, anything else is inlined at the ref site.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from specfirst import cachedir
from specfirst.diagnostics import Diagnostic, DiagnosticError, Location
from specfirst.loader.files import _display_path, _error, _File, _read_file
from specfirst.loader.paths import HTTP_METHODS, path_item_operations, server_base_path
from specfirst.loader.pointers import (
    Pointer,
    copy_json,
    deref,
    iter_refs,
    pointer_to_ref,
    ref_pointer,
    resolve_pointer,
)

__all__ = [
    "HTTP_METHODS",
    "Pointer",
    "SourceSpec",
    "copy_json",
    "deref",
    "iter_refs",
    "load_spec",
    "path_item_operations",
    "pointer_to_ref",
    "ref_pointer",
    "resolve_pointer",
    "server_base_path",
]


_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _SpecDumper(_BaseDumper):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


# --------------------------------------------------------------------------- bundling

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


@dataclass
class _Target:
    file: _File
    pointer: Pointer


class _Bundler:
    def __init__(self, entry: _File) -> None:
        self.entry = entry
        self.files: dict[Path, _File] = {entry.path: entry}
        self.failed: set[Path] = set()
        self.diagnostics: list[Diagnostic] = []
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

    # -- files and refs

    def load(self, path: Path, ref_file: _File, ref_pointer_: Pointer) -> _File | None:
        if path in self.files:
            return self.files[path]
        if path in self.failed:
            return None
        try:
            loaded = _read_file(path, _display_path(path))
        except DiagnosticError as exc:
            self.failed.add(path)
            for d in exc.diagnostics:
                if d.location is None:  # cannot read the file: report it at the $ref
                    d = _error(
                        "missing-ref-file",
                        f"$ref to {_display_path(path)!s}: {d.message}",
                        ref_file.location((*ref_pointer_, "$ref")),
                    )
                self.diagnostics.append(d)
            return None
        self.files[path] = loaded
        return loaded

    def target(self, ref: str, file: _File, src: Pointer) -> _Target | None:
        """The file and pointer a $ref names, loading the file; None (and a diagnostic) if not."""
        file_part, _, _ = ref.partition("#")
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", file_part):
            self.diagnostics.append(
                _error(
                    "unsupported-ref",
                    f"remote $ref {ref!r} is not supported; download the file and refer to it "
                    "by a relative path",
                    file.location((*src, "$ref")),
                )
            )
            return None
        if file_part:
            path = (file.path.parent / unquote(file_part)).resolve()
            root = self.entry.path.parent
            if not path.is_relative_to(root):
                # A spec folder is what a team reviews and ships; a $ref may not read outside
                # it (`../../etc/passwd`, a home directory), which the served document exposes.
                self.diagnostics.append(
                    _error(
                        "ref-outside-spec-folder",
                        f"$ref {ref!r} points outside the spec's folder ({_display_path(root)}); "
                        "move the file into it",
                        file.location((*src, "$ref")),
                    )
                )
                return None
            target_file = self.load(path, file, src)
            if target_file is None:
                return None
        else:
            target_file = file
        pointer = ref_pointer(ref)
        found, _ = resolve_pointer(target_file.data, pointer)
        if not found:
            where = f" in {target_file.display}" if target_file is not file else ""
            self.diagnostics.append(
                _error(
                    "unresolved-ref",
                    f"$ref {ref!r} points to nothing{where}",
                    file.location((*src, "$ref")),
                )
            )
            return None
        return _Target(target_file, pointer)

    def follow(self, target: _Target) -> _Target:
        """Follow a chain of refs-to-refs in other files, so a stub doesn't become a name."""
        seen = set()
        while target.file is not self.entry:
            _, node = resolve_pointer(target.file.data, target.pointer)
            if not (
                isinstance(node, dict) and len(node) == 1 and isinstance(node.get("$ref"), str)
            ):
                break
            key = (target.file.path, target.pointer)
            if key in seen:
                break
            seen.add(key)
            nxt = self.target(node["$ref"], target.file, target.pointer)
            if nxt is None:
                break
            target = nxt
        return target

    # -- walking

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
        target = self.target(ref, file, src)
        if target is None:
            return node
        target = self.follow(target)
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

    # -- driver

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
        target = self.target(ref, self.entry, src)
        del self.diagnostics[before:]  # reported again, once, by the walk
        if target is None:
            return
        target = self.follow(target)
        if target.file is self.entry:
            return
        key = (target.file.path, target.pointer)
        if key not in self.hoisted_names:
            self.hoisted_names[key] = (section, name)
            self.stubs[src] = key


# --------------------------------------------------------------------------- the spec


@dataclass
class SourceSpec:
    """An OpenAPI document loaded from one entry file, with every external $ref bundled in."""

    path: Path
    document: dict[str, Any]
    files: tuple[Path, ...]
    content_hash: str
    _entry: _File = field(repr=False, compare=False, default=None)  # type: ignore[assignment]
    _origins: dict[Pointer, tuple[_File, Pointer]] = field(
        repr=False, compare=False, default_factory=dict
    )
    # While set (see :meth:`recording`), the pointer behind every location handed out.
    _located: dict[Location, Pointer] | None = field(repr=False, compare=False, default=None)

    @contextlib.contextmanager
    def recording(self) -> Iterator[dict[Location, Pointer]]:
        """Record, for the duration, which pointer each location :meth:`locate` returns
        stands for (copies made with ``dataclasses.replace`` record into the same map), so
        that a result can be located again in an edited file."""
        located: dict[Location, Pointer] = {}
        self._located = located
        try:
            yield located
        finally:
            self._located = None

    def locate(self, pointer: Pointer) -> Location:
        """Where the node at ``pointer`` of the bundled document was written.

        Returns the position of the mapping key (or sequence item) in the file the node came
        from; a pointer that goes past what exists falls back to its nearest existing ancestor.
        """
        pointer = self._normalise(pointer)
        location = self._locate(pointer)
        if self._located is not None:
            self._located.setdefault(location, pointer)
        return location

    def _locate(self, pointer: Pointer) -> Location:
        for n in range(len(pointer), -1, -1):
            origin = self._origins.get(pointer[:n])
            if origin is not None:
                file, base = origin
                return file.location((*base, *pointer[n:]))
        return self._entry.location(pointer)  # pragma: no cover - () is always an origin

    def _normalise(self, pointer: Pointer) -> Pointer:
        """Map keys given as ints (some validators report ``200`` for ``"200"``) to strings."""
        out: list[str | int] = []
        node: Any = self.document
        for seg in pointer:
            if isinstance(node, dict):
                seg = str(seg)
                node = node.get(seg)
            elif isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
                node = node[seg]
            else:
                node = None
            out.append(seg)
        return tuple(out)

    def dump_json(self) -> bytes:
        """The bundled document as compact JSON, keys in source order."""
        return json.dumps(self.document, ensure_ascii=False, separators=(",", ":")).encode()

    def dump_yaml(self, cache: Path | None = None) -> str:
        """The bundled document as block-style YAML, keys in source order.

        With ``cache`` (a folder), the text is assembled from per-path-item and
        per-component pieces, and only the pieces whose content changed since the last call
        are dumped again (:func:`dump_yaml_cached`); the bytes are the same either way.
        """
        if cache is None:
            return _yaml_text(self.document)
        return dump_yaml_cached(self.document, cache)


def _yaml_text(data: Any) -> str:
    out: str = yaml.dump(
        data,
        Dumper=_SpecDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return out


# Sections of a document whose entries become separate pieces of the YAML cache.
_PIECEWISE = ("paths", "webhooks")
# A parent key that PyYAML writes as one plain line ("  schemas:").
_PLAIN_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,99}$")


def _yaml_pieces(document: dict[str, Any]) -> list[tuple[tuple[str, ...], Any]]:
    """The document as ``(keys, value)`` pieces in order: a path item, a component, or
    a top-level entry that is not split further."""
    pieces: list[tuple[tuple[str, ...], Any]] = []
    for key, value in document.items():
        if key in _PIECEWISE and isinstance(value, dict) and value:
            pieces.extend(((key, name), item) for name, item in value.items())
        elif key == "components" and isinstance(value, dict) and value:
            for section, entries in value.items():
                if isinstance(entries, dict) and entries and _PLAIN_KEY.match(section):
                    pieces.extend(((key, section, name), v) for name, v in entries.items())
                else:
                    pieces.append(((key, section), entries))
        else:
            pieces.append(((key,), value))
    return pieces


def _yaml_piece(keys: tuple[str, ...], value: Any) -> str:
    """A piece as it appears in the whole document's YAML, with its parents' key lines.

    It is dumped inside its parents, so that indentation, and with it where long scalars
    are folded, is the same as in the whole document.
    """
    wrapped: Any = value
    for key in reversed(keys):
        wrapped = {key: wrapped}
    return _yaml_text(wrapped)


def dump_yaml_cached(document: dict[str, Any], cache: Path) -> str:
    """:meth:`SourceSpec.dump_yaml` of ``document``, reusing the pieces dumped last time.

    The cache file holds the pieces of the last call, keyed by a hash of each piece's place
    and content (as JSON, which tells apart every value a loaded document holds), so after a
    one-line change only that path item or component is dumped again. A piece's parent key
    lines ("paths:", "components:", "  schemas:") are kept only where a parent opens.
    """
    file = cache / "yaml-pieces.json"
    version = f"{yaml.__version__} {_SpecDumper.__mro__[1].__name__}"
    try:
        saved = json.loads(cachedir.read(file))
        known: dict[str, str] = saved["pieces"] if saved.get("version") == version else {}
    except (OSError, ValueError, KeyError, TypeError):
        known = {}
    out: list[str] = []
    used: dict[str, str] = {}
    opened: tuple[str, ...] = ()
    for keys, value in _yaml_pieces(document):
        digest = hashlib.sha256(
            json.dumps([keys, value], ensure_ascii=False, separators=(",", ":")).encode()
        ).hexdigest()
        text = known.get(digest)
        if text is None:
            text = _yaml_piece(keys, value)
        used[digest] = text
        parents = keys[:-1]
        shared = 0
        while shared < len(parents) and shared < len(opened) and parents[shared] == opened[shared]:
            shared += 1
        for _ in range(shared):  # drop the key lines of parents already written
            text = text[text.index("\n") + 1 :]
        out.append(text)
        opened = parents
    if used.keys() != known.keys():
        cachedir.write(file, json.dumps({"version": version, "pieces": used}, ensure_ascii=False))
    return "".join(out)


def _hash(entry: Path, files: list[_File]) -> str:
    digest = hashlib.sha256()
    base = entry.parent
    for f in files:
        try:
            rel = f.path.relative_to(base).as_posix()
        except ValueError:
            rel = Path(os.path.relpath(f.path, base)).as_posix()
        digest.update(rel.encode())
        digest.update(b"\0")
        digest.update(str(len(f.raw)).encode())
        digest.update(b"\0")
        digest.update(f.raw)
    return digest.hexdigest()


def load_spec(path: str | Path) -> SourceSpec:
    """Load, parse and bundle an OpenAPI document.

    Raises :class:`DiagnosticError` with located diagnostics when a file cannot be read or
    parsed, the root is not a mapping, or a ``$ref`` names a missing file, a pointer that
    resolves to nothing, or a cycle that cannot be bundled.
    """
    given = Path(path)
    resolved = given.resolve()
    display = _display_path(resolved) if given.is_absolute() else str(given)
    try:
        entry = _read_file(resolved, display)
    except DiagnosticError as exc:
        raise DiagnosticError(
            [
                Diagnostic(d.level, d.rule, f"{display}: {d.message}", d.location)
                if d.location is None
                else d
                for d in exc.diagnostics
            ]
        ) from None
    if not isinstance(entry.data, dict):
        kind = "empty" if entry.data is None else f"a {type(entry.data).__name__}"
        raise DiagnosticError(
            [
                _error(
                    "root-not-mapping",
                    f"an OpenAPI document must be a mapping at the top level, this one is {kind}",
                    Location(display, 1, 1),
                )
            ]
        )
    bundler = _Bundler(entry)
    if _EXTERNAL_REF.search(entry.text):
        document = bundler.run()
        if bundler.diagnostics:
            raise DiagnosticError(bundler.diagnostics)
    else:  # the common single-file case: nothing to bundle, skip the walk
        document = entry.data
    others = sorted(
        (f for f in bundler.files.values() if f is not entry), key=lambda f: f.path.as_posix()
    )
    files = [entry, *others]
    return SourceSpec(
        path=given,
        document=document,
        files=tuple(f.path for f in files),
        content_hash=_hash(resolved, files),
        _entry=entry,
        _origins=bundler.origins,
    )
