"""Reading one file of a spec: bytes to text to data, every failure a located diagnostic.

:func:`_read_file` decodes UTF-8, parses JSON (``.json``) or YAML (anything else) and refuses
duplicate keys, alias bombs and documents nested too deeply to read; a document with OpenAPI
3.2's ``$self`` has its refs rewritten against it. The result is a :class:`_File`, which builds
its position index (:mod:`specfirst.loader.positions`) on first use.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml

from specfirst.diagnostics import Diagnostic, DiagnosticError, Level, Location
from specfirst.loader.pointers import Pointer, copy_json, iter_refs, resolve_pointer
from specfirst.loader.positions import (
    _JsonPointerFinder,
    _JsonPositions,
    _PositionIndex,
    _YamlPositions,
)
from specfirst.loader.yaml_loader import _SpecLoader, _too_many_digits


@dataclass
class _File:
    path: Path  # resolved, absolute
    display: str  # as shown in diagnostics
    raw: bytes
    text: str
    data: Any
    _positions: _PositionIndex | None = field(default=None, repr=False)

    @property
    def is_json(self) -> bool:
        return self.path.suffix.lower() == ".json"

    def positions(self) -> _PositionIndex:
        if self._positions is None:
            self._positions = (
                _JsonPointerFinder(self.text) if self.is_json else _YamlPositions(self.text)
            )
        return self._positions

    def location(self, pointer: Pointer) -> Location:
        line, col = self.positions().find(pointer)
        return Location(self.display, line, col)


def _display_path(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def _error(rule: str, message: str, location: Location | None) -> Diagnostic:
    return Diagnostic(Level.ERROR, rule, message, location)


def _read_file(path: Path, display: str) -> _File:
    """Read and parse one file; raises DiagnosticError with a located diagnostic."""
    try:
        raw = _read_regular(path)
    except OSError as exc:
        reason = exc.strerror or str(exc) or exc.__class__.__name__
        raise DiagnosticError(
            [_error("unreadable-file", f"cannot read file: {reason}", None)]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8-sig", errors="replace")
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        raise DiagnosticError(
            [
                _error(
                    "unreadable-file",
                    f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at offset {exc.start} "
                    "cannot be decoded; save the file as UTF-8",
                    Location(display, line, col),
                )
            ]
        ) from None
    data: Any
    if path.suffix.lower() == ".json":
        data = _load_json(text, display)
    else:
        data = _parsed_yaml(path, text, display)
    if isinstance(data, dict) and isinstance(data.get("$self"), str):
        _refs_against_self(data, data["$self"])
    return _File(path, display, raw, text, data)


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _read_regular(path: Path) -> bytes:
    """The bytes of ``path`` if it is a regular file; OSError (with a reason) if not.

    A spec file must be a regular file: reading a FIFO waits for a writer forever, a device
    (``/dev/zero``) never ends. The file is opened without blocking (so opening a FIFO returns
    at once) and the open descriptor is checked, so no swap between check and read is possible.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raise OSError(f"it is {kind}, not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return stream.read()
    finally:
        os.close(fd)


def _load_json(text: str, display: str) -> Any:
    duplicated = False

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicated
        mapping = dict(pairs)
        if len(mapping) != len(pairs):
            duplicated = True
        return mapping

    try:
        data = json.loads(text, object_pairs_hook=pairs_hook)
    except json.JSONDecodeError as exc:
        raise DiagnosticError(
            [
                _error(
                    "syntax-error",
                    f"invalid JSON: {exc.msg}",
                    Location(display, exc.lineno, exc.colno),
                )
            ]
        ) from None
    except RecursionError:
        raise DiagnosticError([_too_deep(display, _JsonPositions.deepest(text))]) from None
    except ValueError:  # an integer with more digits than Python converts
        raise DiagnosticError([_too_long_integer(text, display)]) from None
    if duplicated:  # rare: find where, with the position scanner
        duplicates = _JsonPositions(text).duplicates
        raise DiagnosticError(
            [
                _error(
                    "duplicate-key",
                    f"duplicate key {key!r} (first at {first[0]}:{first[1]}); JSON object keys must "
                    "be unique, and only one of the two would be kept",
                    Location(display, *where),
                )
                for key, first, where in duplicates
            ]
        )
    return data


# What a long-running process (``specfirst generate --watch``) parsed, by file: the text and a
# pristine copy of its data. A save changes one file; parsing the others again was most of
# loading a split spec. The copy is handed out (bundling rewrites $refs in place).
_PARSED: dict[Path, tuple[str, Any]] | None = None


def keep_parsed() -> None:
    """From now on, parse a YAML file again only when its text changed (for ``--watch``)."""
    global _PARSED
    if _PARSED is None:
        _PARSED = {}


def _parsed_yaml(path: Path, text: str, display: str) -> Any:
    # An anchor makes objects shared, which a copy would not keep: parsed every time.
    if _PARSED is None or "&" in text:
        return _load_yaml(text, display)
    kept = _PARSED.get(path)
    if kept is not None and kept[0] == text:
        return copy_json(kept[1])
    data = _load_yaml(text, display)
    _PARSED[path] = (text, copy_json(data))
    return data


def _load_yaml(text: str, display: str) -> Any:
    loader = _SpecLoader(text)
    loader.check_aliases = "&" in text  # no anchor, no alias: nothing to count
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc: Location | None = Location(display, mark.line + 1, mark.column + 1) if mark else None
        problem: str = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{problem} ({exc.context})"
        raise DiagnosticError([_error("syntax-error", f"invalid YAML: {problem}", loc)]) from None
    except yaml.YAMLError as exc:
        raise DiagnosticError(
            [_error("syntax-error", f"invalid YAML: {exc}", Location(display, 1, 1))]
        ) from None
    except RecursionError:
        raise DiagnosticError([_too_deep(display, (1, 1))]) from None
    finally:
        loader.dispose()
    if loader.problems:
        raise DiagnosticError(
            [
                _error(p.rule, p.message, Location(display, p.line + 1, p.column + 1))
                for p in loader.problems
            ]
        )
    return data


_LONG_INTEGER = re.compile(r"[\[:,]\s*(-?\d+)(?![\d.eE])")


def _too_long_integer(text: str, display: str) -> Diagnostic:
    """Where json.loads met an integer of more digits than Python converts, and why it stopped.

    The scanner does not say where: the first number token that long is it.
    """
    line, col, number = 1, 1, ""
    for m in _LONG_INTEGER.finditer(text):
        if len(m.group(1).lstrip("-")) > sys.get_int_max_str_digits():
            before = text[: m.start(1)]
            line = before.count("\n") + 1
            col = m.start(1) - (before.rfind("\n") + 1) + 1
            number = m.group(1)
            break
    return _error("number-too-large", _too_many_digits(number), Location(display, line, col))


def _too_deep(display: str, where: tuple[int, int]) -> Diagnostic:
    return _error(
        "syntax-error",
        "the document nests too deeply to be read (thousands of levels); no OpenAPI document "
        "needs that",
        Location(display, *where),
    )


def _refs_against_self(data: dict[str, Any], self_uri: str) -> None:
    """Rewrite the refs of a document with OpenAPI 3.2's ``$self`` (its own URI, the base
    for its references) so that they name what is on disk.

    A ref that resolves to the document itself (``https://api.example.com/openapi.yaml#/x``
    under that ``$self``) becomes internal (``#/x``); one that resolves next to it (same
    scheme, host and folder) becomes a path relative to this file, where the other documents
    of the API are kept. Any other absolute ref is left as written (and reported as remote).
    """
    base = urlsplit(self_uri)
    own = base._replace(fragment="").geturl()
    folder = own.rsplit("/", 1)[0] + "/" if "/" in base.path else own
    for pointer, ref in list(iter_refs(data)):
        if ref.startswith("#"):
            continue
        target, _, fragment = urljoin(own, ref).partition("#")
        if target == own:
            rewritten = "#" + fragment
        elif base.netloc and target.startswith(folder):
            rewritten = target[len(folder) :] + ("#" + fragment if fragment else "")
        else:
            continue
        resolve_pointer(data, pointer)[1]["$ref"] = rewritten
