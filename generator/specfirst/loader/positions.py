"""Where a node was written: line and column of a pointer in one YAML or JSON file.

Positions are found only when something must be located (a diagnostic), not while loading.
:class:`_YamlPositions` composes the YAML text into nodes with their marks;
:class:`_JsonPointerFinder` walks a JSON text along one pointer, and after a few lookups hands
over to :class:`_JsonPositions`, a bracket scanner that indexes the whole text (and finds the
keys written twice, for the JSON reader's duplicate-key error).
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
from typing import Any

import yaml

from specfirst.loader.pointers import Pointer
from specfirst.loader.yaml_loader import _SpecLoader


class _PositionIndex:
    """Finds the line/column of the deepest node of a pointer that exists in one file."""

    def find(self, pointer: Pointer) -> tuple[int, int]:  # pragma: no cover - abstract
        raise NotImplementedError


class _YamlPositions(_PositionIndex):
    def __init__(self, text: str) -> None:
        try:
            self._root: yaml.Node | None = yaml.compose(text, Loader=_SpecLoader)
        except yaml.YAMLError:
            self._root = None

    def find(self, pointer: Pointer) -> tuple[int, int]:
        node = self._root
        if node is None:
            return 1, 1
        mark = node.start_mark
        for seg in pointer:
            if isinstance(node, yaml.MappingNode):
                key = str(seg)
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                        mark = key_node.start_mark
                        node = value_node
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode):
                try:
                    node = node.value[int(seg)]
                except (ValueError, IndexError):
                    break
                mark = node.start_mark
            else:
                break
        return mark.line + 1, mark.column + 1


# A JSON token: a string, a bracket, or a bare literal (number, true, false, null).
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],]|[^\s{}\[\]:,"]+')


class _JsonPositions(_PositionIndex):
    """Positions in a JSON text, from a small bracket scanner.

    PyYAML's composer would do for most JSON, but it rejects valid JSON (tabs used as
    indentation) and is ~20x slower than this on GitHub's 10 MB document.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: list[int] | None = None
        # A node is (offset, children); children: dict key -> (key offset, node), list, or None.
        self._root: tuple[int, Any] = (0, None)
        # Keys written twice in one object: (key, first (line, col), second (line, col)).
        self.duplicates: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
        with contextlib.suppress(IndexError, ValueError):  # malformed: keep what was scanned
            self._scan()

    def _scan(self) -> None:
        stack: list[tuple[int, Any]] = []
        pending_key: tuple[str, int] | None = None
        expect_key = False
        root: tuple[int, Any] | None = None
        for m in _JSON_TOKEN.finditer(self._text):
            tok = m.group()
            c = tok[0]
            off = m.start()
            if c == ",":
                expect_key = bool(stack) and isinstance(stack[-1][1], dict)
                continue
            if c in "}]":
                stack.pop()
                expect_key = False
                continue
            if expect_key:
                key = json.loads(tok) if "\\" in tok else tok[1:-1]
                pending_key = (key, off)
                expect_key = False
                continue
            node: tuple[int, Any] = (off, {} if c == "{" else [] if c == "[" else None)
            if not stack:
                root = node
            else:
                children = stack[-1][1]
                if isinstance(children, dict):
                    assert pending_key is not None
                    first = children.get(pending_key[0])
                    if first is not None:
                        self.duplicates.append(
                            (
                                pending_key[0],
                                self._line_col(first[0]),
                                self._line_col(pending_key[1]),
                            )
                        )
                    children[pending_key[0]] = (pending_key[1], node)
                else:
                    children.append(node)
            if c in "{[":
                stack.append(node)
                expect_key = c == "{"
        if root is not None:
            self._root = root

    @property
    def root(self) -> tuple[int, Any]:
        """The scanned tree: a node is ``(offset, children)``, the offset of its first
        character; children map a key to ``(key offset, node)``, or list the items."""
        return self._root

    @staticmethod
    def deepest(text: str) -> tuple[int, int]:
        """Where a JSON text first nests deeper than Python's parser goes (about 1,000 levels)."""
        depth = 0
        for m in re.finditer(r'"(?:[^"\\]|\\.)*"|[{}\[\]]', text):
            c = m.group()[0]
            if c in "{[":
                depth += 1
                if depth > 900:
                    off = m.start()
                    return text.count("\n", 0, off) + 1, off - text.rfind("\n", 0, off)
            elif c in "}]":
                depth -= 1
        return 1, 1

    def _line_col(self, offset: int) -> tuple[int, int]:
        if self._lines is None:
            self._lines = [m.start() for m in re.finditer("\n", self._text)]
        line = bisect.bisect_left(self._lines, offset)
        start = self._lines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1

    def find(self, pointer: Pointer) -> tuple[int, int]:
        node = self._root
        best = node[0]
        for seg in pointer:
            children = node[1]
            if isinstance(children, dict):
                entry = children.get(str(seg))
                if entry is None:
                    break
                best, node = entry
            elif isinstance(children, list):
                try:
                    node = children[int(seg)]
                except (ValueError, IndexError):
                    break
                best = node[0]
            else:
                break
        return self._line_col(best)


class _JsonPointerFinder(_PositionIndex):
    """Positions in a JSON text, found per pointer without indexing the whole text.

    A run usually locates a handful of nodes (a warning or two), and indexing GitHub's 13 MB
    document costs a second. This walks the text along the pointer only: keys are read and the
    values before the wanted one skipped with the C scanner of ``json``. After :attr:`LIMIT`
    lookups, or on text it cannot walk, it hands over to the full index
    (:class:`_JsonPositions`), which is cheaper per lookup.
    """

    LIMIT = 16

    def __init__(self, text: str) -> None:
        self._text = text
        self._lookups = 0
        self._index: _JsonPositions | None = None
        self._value = json.JSONDecoder().raw_decode

    def _full(self) -> _JsonPositions:
        if self._index is None:
            self._index = _JsonPositions(self._text)
        return self._index

    def find(self, pointer: Pointer) -> tuple[int, int]:
        if self._index is None and self._lookups < self.LIMIT:
            self._lookups += 1
            try:
                return self._line_col(self._walk(pointer))
            except (ValueError, IndexError, StopIteration, RecursionError):
                pass
        return self._full().find(pointer)

    def _walk(self, pointer: Pointer) -> int:
        text, space, skip = self._text, _space, self._value
        i = space(text, 0)
        best = i
        for seg in pointer:
            opener = text[i]
            if opener == "{":
                i = space(text, i + 1)
                wanted, found = str(seg), False
                while text[i] != "}":
                    start = i
                    key, i = skip(text, i)
                    if not isinstance(key, str):
                        raise ValueError("expected a key")
                    i = space(text, i)
                    if text[i] != ":":
                        raise ValueError("expected ':'")
                    i = space(text, i + 1)
                    if key == wanted:
                        best, found = start, True
                        break
                    i = space(text, skip(text, i)[1])
                    if text[i] == ",":
                        i = space(text, i + 1)
                if not found:
                    break
            elif opener == "[":
                try:
                    wanted_index = int(seg)
                except ValueError:
                    break
                i = space(text, i + 1)
                n = 0
                while text[i] != "]" and n < wanted_index:
                    i = space(text, skip(text, i)[1])
                    if text[i] == ",":
                        i = space(text, i + 1)
                    n += 1
                if text[i] == "]" or wanted_index < 0:
                    break
                best = i
            else:
                break
        return best

    def _line_col(self, offset: int) -> tuple[int, int]:
        line = self._text.count("\n", 0, offset)
        start = self._text.rfind("\n", 0, offset) + 1
        return line + 1, offset - start + 1


def _space(text: str, i: int) -> int:
    """The offset of the first non-whitespace character of ``text`` from ``i`` on."""
    while text[i] in " \t\n\r":
        i += 1
    return i
