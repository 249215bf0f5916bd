"""Small edits to a spec file's text that leave every other character as written.

:func:`insert_first_keys` makes a key the first entry of the mappings at the given pointers
(``specfirst init --add-operation-ids`` writes an ``operationId`` into each operation that
has none). In a YAML block mapping the key gets a line of its own, indented like the keys
after it, so comments, quoting and folding stay as they were; in a flow mapping or a JSON
object it goes right after the opening brace, on a line of its own where the object has
one key per line. :func:`rewrite_refs` changes the ``$ref`` values of a YAML text in place
(``init`` renames the JSON files it converts). Nothing is re-serialised, so a reviewer's diff
shows only what changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import yaml

from specfirst.loader.pointers import _DATA_KEYS, Pointer
from specfirst.loader.positions import _JsonPositions
from specfirst.loader.yaml_loader import _SpecLoader

# A plain YAML scalar every reader takes as a string: an identifier that is not one of
# the words YAML 1.1 reads as a boolean or null.
_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NOT_STRINGS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def insert_first_keys(
    text: str, inserts: Mapping[Pointer, tuple[str, str]], *, json_text: bool
) -> tuple[str, list[Pointer]]:
    """``text`` with ``key: value`` first in the mapping at each pointer of ``inserts``.

    Returns the new text and the pointers it could not edit (no mapping there, or one a
    line cannot be added to). Values are strings; keys are assumed absent.
    """
    if text.startswith("\ufeff"):  # a byte-order mark: kept, and out of the offsets
        edited, left = insert_first_keys(text[1:], inserts, json_text=json_text)
        return "\ufeff" + edited, left
    newline = "\r\n" if "\r\n" in text else "\n"
    edits: list[tuple[int, str]] = []
    skipped: list[Pointer] = []
    finder = _json_place(text) if json_text else _yaml_place(text)
    for pointer, (key, value) in inserts.items():
        edit = finder(text, pointer, key, value, newline)
        if edit is None:
            skipped.append(pointer)
        else:
            edits.append(edit)
    for offset, insert in sorted(edits, reverse=True):
        text = text[:offset] + insert + text[offset:]
    return text, skipped


_Finder = Any  # (text, pointer, key, value, newline) -> (offset, text to insert) | None


def _yaml_place(text: str) -> _Finder:
    try:
        root: yaml.Node | None = yaml.compose(text, Loader=_SpecLoader)
    except yaml.YAMLError:
        root = None
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def find(
        text: str, pointer: Pointer, key: str, value: str, newline: str
    ) -> tuple[int, str] | None:
        node = _yaml_node(root, pointer)
        if not isinstance(node, yaml.MappingNode):
            return None
        if node.flow_style or not node.value:
            entry = f"{key}: {_yaml_scalar(value)}"
            return _after_brace(text, node.start_mark.index, entry, newline, bool(node.value))
        first = node.value[0][0].start_mark
        line_start = starts[first.line]
        if text[line_start : line_start + first.column].strip():
            return None  # the first key shares its line with something else
        return line_start, f"{' ' * first.column}{key}: {_yaml_scalar(value)}{newline}"

    return find


def _yaml_node(root: yaml.Node | None, pointer: Pointer) -> yaml.Node | None:
    node = root
    for seg in pointer:
        if isinstance(node, yaml.MappingNode):
            node = next(
                (
                    v
                    for k, v in node.value
                    if isinstance(k, yaml.ScalarNode) and k.value == str(seg)
                ),
                None,
            )
        elif isinstance(node, yaml.SequenceNode):
            try:
                node = node.value[int(seg)]
            except (ValueError, IndexError):
                return None
        else:
            return None
    return node


def _yaml_scalar(value: str) -> str:
    if _PLAIN.match(value) and value.lower() not in _NOT_STRINGS:
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a double-quoted YAML one


def _json_place(text: str) -> _Finder:
    index = _JsonPositions(text)

    def find(
        text: str, pointer: Pointer, key: str, value: str, newline: str
    ) -> tuple[int, str] | None:
        node: tuple[int, Any] = index.root
        for seg in pointer:
            children = node[1]
            if isinstance(children, dict) and str(seg) in children:
                node = children[str(seg)][1]
            elif isinstance(children, list):
                try:
                    node = children[int(seg)]
                except (ValueError, IndexError):
                    return None
            else:
                return None
        if not isinstance(node[1], dict):
            return None
        entry = f"{json.dumps(key, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"
        return _after_brace(text, node[0], entry, newline, bool(node[1]))

    return find


def _after_brace(
    text: str, brace: int, entry: str, newline: str, has_entries: bool
) -> tuple[int, str] | None:
    """``entry`` right after the ``{`` at ``brace``."""
    if text[brace : brace + 1] != "{":
        return None
    if not has_entries:
        return brace + 1, entry
    gap = re.match(r"[ \t\r\n]*", text[brace + 1 :])
    space = gap.group() if gap else ""
    if "\n" in space:  # one entry per line: the new one too, indented like the next
        indent = space[space.rindex("\n") + 1 :]
        return brace + 1, f"{newline}{indent}{entry},"
    return brace + 1, f"{entry}, "


# A ref that needs no quotes in YAML: a relative path and a pointer, nothing YAML reads apart.
_PLAIN_REF = re.compile(r"^[A-Za-z0-9_.~/%-][A-Za-z0-9_.~/%#-]*$")


def rewrite_refs(text: str, new_ref: Callable[[str], str | None]) -> str:
    """A YAML text with each ``$ref`` value for which ``new_ref`` gives a new one replaced,
    written in the quoting style of the old one (literal data, such as examples, is left)."""
    try:
        root: yaml.Node | None = yaml.compose(text, Loader=_SpecLoader)
    except yaml.YAMLError:
        return text
    edits: list[tuple[int, int, str]] = []
    # (node, the keys of its parent and itself): an Example's ``value`` is data
    stack: list[tuple[yaml.Node, tuple[str, ...]]] = [(root, ())] if root is not None else []
    while stack:
        node, keys = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*keys[-1:], "")) for item in node.value)
        if not isinstance(node, yaml.MappingNode):
            continue
        for key_node, value in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key == "$ref" and isinstance(value, yaml.ScalarNode):
                new = new_ref(value.value)
                if new is not None and new != value.value:
                    edits.append((value.start_mark.index, value.end_mark.index, _ref(new, value)))
            elif key in _DATA_KEYS or (key == "value" and keys[-2:-1] == ("examples",)):
                continue
            elif isinstance(key, str):
                stack.append((value, (*keys[-1:], key)))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _ref(value: str, old: yaml.ScalarNode) -> str:
    if old.style == "'":
        return "'" + value.replace("'", "''") + "'"
    if old.style is None and _PLAIN_REF.match(value):
        return value
    return json.dumps(value, ensure_ascii=False)
