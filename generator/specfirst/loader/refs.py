"""What a ``$ref`` names: a file of the spec and a pointer in it, or a located diagnostic.

:class:`_Resolver` loads each file a ref names once (:mod:`specfirst.loader.files`), refuses
remote refs and refs that leave the spec's folder, and follows refs-to-refs across files.
The bundler (:mod:`specfirst.loader.bundle`) decides what to do with the target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from specfirst.diagnostics import Diagnostic, DiagnosticError
from specfirst.loader.files import _display_path, _error, _File, _read_file
from specfirst.loader.pointers import Pointer, ref_pointer, resolve_pointer

_REMOTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass
class _Target:
    file: _File
    pointer: Pointer


class _Resolver:
    """What a ``$ref`` names: the file, loaded once and only from inside the spec's folder,
    and the pointer in it. Every ref that names nothing is a diagnostic in :attr:`diagnostics`."""

    def __init__(self, entry: _File) -> None:
        self.entry = entry
        self.files: dict[Path, _File] = {entry.path: entry}
        self.failed: set[Path] = set()
        self.diagnostics: list[Diagnostic] = []
        # (folder, file part of a $ref) -> the file's resolved path, and whether it is inside
        # the spec's folder: each $ref resolving the path anew (a realpath, one lstat per
        # folder) was a fifth of loading a split spec, and comparing it with the folder a tenth
        self._paths: dict[tuple[Path, str], tuple[Path, bool]] = {}

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

    def _resolve(self, folder: Path, file_part: str) -> tuple[Path, bool]:
        """The file a $ref's file part names from ``folder``, and whether it is inside the
        spec's folder."""
        key = (folder, file_part)
        if key not in self._paths:
            path = (folder / unquote(file_part)).resolve()
            self._paths[key] = (path, path.is_relative_to(self.entry.path.parent))
        return self._paths[key]

    def target(self, ref: str, file: _File, src: Pointer) -> _Target | None:
        """The file and pointer a $ref names, loading the file; None (and a diagnostic) if not."""
        file_part, _, _ = ref.partition("#")
        if _REMOTE.match(file_part):
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
            path, inside = self._resolve(file.path.parent, file_part)
            if not inside:
                root = self.entry.path.parent
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
