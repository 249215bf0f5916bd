"""The loaded spec: :func:`load_spec` and the :class:`SourceSpec` it returns.

``load_spec`` reads the entry file with the fastest parser available (``json.loads`` for
``.json``, PyYAML's C loader otherwise), brings every relative-file ``$ref`` into one document
whose refs are all internal (``#/...``), and returns a :class:`SourceSpec`.

Source positions are not collected while loading: they cost as much as the parse itself and are
needed only when something is wrong. :meth:`SourceSpec.locate` builds a position index for a
file on first use and maps any node of the bundled document back to the file, line and column it
came from.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specfirst.diagnostics import Diagnostic, DiagnosticError, Location
from specfirst.loader.bundle import _EXTERNAL_REF, _Bundler
from specfirst.loader.chains import long_ref_chains
from specfirst.loader.files import _display_path, _error, _File, _read_file
from specfirst.loader.json_pieces import JsonPieces
from specfirst.loader.pointers import Pointer, iter_ref_strings, pointer_step
from specfirst.loader.yaml_dump import _yaml_text, dump_yaml_cached


@dataclass
class SourceSpec:
    """An OpenAPI document loaded from one entry file, with every external $ref bundled in."""

    path: Path
    document: dict[str, Any]
    files: tuple[Path, ...]
    content_hash: str
    _entry: _File = field(repr=False, compare=False)
    _origins: dict[Pointer, tuple[_File, Pointer]] = field(
        repr=False, compare=False, default_factory=dict
    )
    # While set (see :meth:`recording`), the pointer behind every location handed out.
    _located: dict[Location, Pointer] | None = field(repr=False, compare=False, default=None)
    # The document, when it is known to be a tree: one JSON file, nothing bundled into it (no
    # mapping or list at two places, as a YAML alias or a bundled file makes). A copy made with
    # ``dataclasses.replace`` and another document is not known to be one (:attr:`is_tree`).
    _tree: dict[str, Any] | None = field(repr=False, compare=False, default=None)
    # What is made from the document once per run (:meth:`ref_strings`, :meth:`json_pieces`),
    # each with the document it is of, when the loader's caller said the document would not be
    # changed in place (``load_spec(..., unchanged=True)``); ``None``: made again when asked
    # for. Copies made with ``dataclasses.replace`` share it.
    _derived: dict[tuple[str, int], tuple[dict[str, Any], Any]] | None = field(
        repr=False, compare=False, default=None
    )

    @property
    def is_tree(self) -> bool:
        """Whether no mapping or list of :attr:`document` is known to appear at two places."""
        return self._tree is not None and self._tree is self.document

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
        file, written = self._origin(pointer)
        return file.location(written)

    def origin(self, pointer: Pointer) -> tuple[Path, Pointer]:
        """The file the node at ``pointer`` of the bundled document was written in
        (resolved), and its pointer in that file."""
        file, written = self._origin(self._normalise(pointer))
        return file.path, written

    def _origin(self, pointer: Pointer) -> tuple[_File, Pointer]:
        for n in range(len(pointer), -1, -1):
            origin = self._origins.get(pointer[:n])
            if origin is not None:
                file, base = origin
                return file, (*base, *pointer[n:])
        return self._entry, pointer  # pragma: no cover - () is always an origin

    def _normalise(self, pointer: Pointer) -> Pointer:
        """Map keys given as ints (some validators report ``200`` for ``"200"``) to strings."""
        out: list[str | int] = []
        node: Any = self.document
        for seg in pointer:
            node, seg = pointer_step(node, seg)
            out.append(seg)
        return tuple(out)

    def ref_strings(self) -> list[str]:
        """Every ``$ref`` string of the document, in order (:func:`iter_ref_strings`): found
        once per run for the load's chain check and validation's check of refs."""
        found = self._made("refs")
        if found is None:
            found = self._keep("refs", list(iter_ref_strings(self.document)))
        refs: list[str] = found
        return refs

    def json_pieces(self) -> JsonPieces | None:
        """The document's compact JSON by pieces (:mod:`.json_pieces`), dumped once per run;
        ``None`` when the document is not one JSON can hold as it is."""
        found = self._made("json")
        if found is None:
            # a copy made with ``dataclasses.replace`` and another document (a repaired one)
            # finds the pieces of the documents it was made from, whose objects it shares
            known = [kept[1] for (kind, _), kept in (self._derived or {}).items() if kind == "json"]
            pieces = JsonPieces.of(self.document, [k for k in known if k is not False])
            found = self._keep("json", pieces or False)
        return found or None

    def _made(self, kind: str) -> Any:
        """What :meth:`_keep` kept of this document under ``kind``, or ``None``."""
        if self._derived is None:
            return None
        kept = self._derived.get((kind, id(self.document)))
        return kept[1] if kept is not None and kept[0] is self.document else None

    def _keep(self, kind: str, value: Any) -> Any:
        if self._derived is not None:
            self._derived[kind, id(self.document)] = (self.document, value)
        return value

    def dump_json(self) -> bytes:
        """The bundled document as compact JSON, keys in source order."""
        pieces = self.json_pieces()
        if pieces is not None:
            return pieces.whole().encode()
        return json.dumps(self.document, ensure_ascii=False, separators=(",", ":")).encode()

    def dump_yaml(self, cache: Path | None = None) -> str:
        """The bundled document as block-style YAML, keys in source order.

        With ``cache`` (a folder), the text is assembled from per-path-item and
        per-component pieces, and only the pieces whose content changed since the last call
        are dumped again (:func:`dump_yaml_cached`); the bytes are the same either way.
        """
        if cache is None:
            return _yaml_text(self.document)
        pieces = self.json_pieces()
        return dump_yaml_cached(self.document, cache, pieces.pieces if pieces else None)


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


def _is_json(path: Path) -> bool:
    """Whether the file was parsed as JSON (which makes a tree: no aliases)."""
    return path.suffix.lower() == ".json"


def load_spec(path: str | Path, *, unchanged: bool = False) -> SourceSpec:
    """Load, parse and bundle an OpenAPI document.

    ``unchanged``: the caller will not change the document in place (a generation's run), so
    what several steps derive from it (its ``$ref`` strings, its JSON) is made once.

    Raises :class:`DiagnosticError` with located diagnostics when a file cannot be read or
    parsed, the root is not a mapping, or a ``$ref`` names a missing file, a pointer that
    resolves to nothing, a cycle that cannot be bundled, or a chain of refs to refs longer
    than :data:`specfirst.loader.chains.MAX_REF_CHAIN`.
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
    spec = SourceSpec(
        path=given,
        document=document,
        files=tuple(f.path for f in files),
        content_hash=_hash(resolved, files),
        _entry=entry,
        _origins=bundler.origins,
        _tree=document if document is entry.data and _is_json(entry.path) else None,
        _derived={} if unchanged else None,
    )
    chains = long_ref_chains(document, spec.locate, spec.ref_strings())
    if chains:  # every later step follows chains: refuse them here, where every command starts
        raise DiagnosticError(chains)
    return spec
