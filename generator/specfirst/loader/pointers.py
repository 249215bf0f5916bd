"""JSON pointers into a loaded document: ``$ref`` <-> pointer, resolving, following refs.

A :data:`Pointer` is a tuple of mapping keys and sequence indexes. :func:`ref_pointer` and
:func:`pointer_to_ref` convert between it and a ``$ref`` string, :func:`resolve_pointer` finds
the node it names (:func:`pointer_step` takes one step of the way), :func:`deref` follows
internal ``$ref``s to what they name, and :func:`iter_refs` lists every ``$ref`` of a tree.
:func:`copy_json` copies JSON-shaped data.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote

Pointer = tuple[str | int, ...]
"""A JSON pointer as a tuple of mapping keys and sequence indexes."""


def ref_pointer(ref: str) -> Pointer:
    """The fragment of a ``$ref`` as a pointer: ``"#/a/B~1C"`` -> ``("a", "B/C")``.

    Anything before ``#`` (a file name) is ignored; an empty fragment is the root ``()``.
    """
    _, _, fragment = ref.partition("#")
    fragment = unquote(fragment)
    if not fragment or fragment == "/":
        return () if not fragment else ("",)
    parts = fragment.split("/")
    if parts[0] == "":
        parts = parts[1:]
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in parts)


def pointer_to_ref(pointer: Pointer) -> str:
    """The internal ``$ref`` for a pointer: ``("a", "B/C")`` -> ``"#/a/B~1C"``."""
    return "#" + "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in pointer)


def resolve_pointer(doc: Any, pointer: Pointer) -> tuple[bool, Any]:
    """``(True, node)`` at ``pointer`` in ``doc``, or ``(False, None)`` when nothing is there."""
    node = doc
    for seg in pointer:
        if isinstance(node, dict):
            key = str(seg)
            if key not in node:
                return False, None
            node = node[key]
        elif isinstance(node, list):
            try:
                idx = int(seg)
            except ValueError:
                return False, None
            if not 0 <= idx < len(node):
                return False, None
            node = node[idx]
        else:
            return False, None
    return True, node


def pointer_step(node: Any, seg: str | int) -> tuple[Any, str | int]:
    """One step down a pointer: the child of ``node`` at ``seg`` (``None`` when there is none),
    and ``seg`` as the document keys it (``200`` is ``"200"`` in a mapping)."""
    if isinstance(node, dict):
        seg = str(seg)
        return node.get(seg), seg
    if isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
        return node[seg], seg
    return None, seg


def deref(doc: Any, node: Any, pointer: Pointer) -> tuple[Any, Pointer, str | None]:
    """Follow internal ``$ref``s from ``node`` (at ``pointer``) to what they name.

    Returns the node, its pointer (list indexes as ints, so ``locate`` finds it) and, when a
    ``$ref`` names nothing or the chain loops, that ``$ref`` with ``({}, pointer)`` as the node.
    External refs are left alone (the bundler has already brought them in).
    """
    seen: set[str] = set()
    while (
        isinstance(node, Mapping)
        and isinstance(node.get("$ref"), str)
        and node["$ref"].startswith("#")
    ):
        ref = node["$ref"]
        if ref in seen:
            return {}, pointer, ref
        seen.add(ref)
        target: Any = doc
        path: list[str | int] = []
        for key in ref_pointer(ref):
            if isinstance(target, list) and str(key).isdigit() and int(key) < len(target):
                target, key = target[int(key)], int(key)
            elif isinstance(target, Mapping) and str(key) in target:
                target, key = target[str(key)], str(key)
            else:
                return {}, pointer, ref
            path.append(key)
        node, pointer = target, tuple(path)
    return node, pointer, None


def copy_json(node: Any) -> Any:
    """Deep copy of JSON-shaped data (much faster than copy.deepcopy)."""
    if isinstance(node, dict):
        return {k: copy_json(v) for k, v in node.items()}
    if isinstance(node, list):
        return [copy_json(v) for v in node]
    return node


_DATA_KEYS = frozenset({"example", "default", "enum", "const"})


def iter_refs(node: Any, pointer: Pointer = ()) -> Iterator[tuple[Pointer, str]]:
    """Every ``$ref`` string under node, with the pointer of the mapping that holds it.

    Literal data (``example``, ``default``, ``enum``, ``const``, an Example's ``value``) is skipped.
    """
    stack: list[tuple[Any, Pointer]] = [(node, pointer)]
    while stack:
        current, ptr = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                yield ptr, ref
            for key, value in reversed(current.items()):
                if isinstance(value, dict | list) and key not in _DATA_KEYS:
                    if key == "value" and ptr[-2:-1] == ("examples",):
                        continue
                    stack.append((value, (*ptr, key)))
        elif isinstance(current, list):
            for i in range(len(current) - 1, -1, -1):
                value = current[i]
                if isinstance(value, dict | list):
                    stack.append((value, (*ptr, i)))


def iter_ref_strings(node: Any) -> Iterator[str]:
    """The ``$ref`` strings :func:`iter_refs` yields for ``node``, in the same order, without
    building a pointer per node (the whole-document walks that need only the strings)."""
    # each entry: a node, the key it sits under and the key its parent sits under
    stack: list[tuple[Any, Any, Any]] = [(node, None, None)]
    while stack:
        current, key, parent_key = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                yield ref
            in_example = parent_key == "examples"
            for child_key, value in reversed(current.items()):
                if isinstance(value, dict | list) and child_key not in _DATA_KEYS:
                    if child_key == "value" and in_example:
                        continue
                    stack.append((value, child_key, key))
        elif isinstance(current, list):
            for i in range(len(current) - 1, -1, -1):
                value = current[i]
                if isinstance(value, dict | list):
                    stack.append((value, i, key))


def iter_values(node: Any, key: str) -> Iterator[Any]:
    """The value of every ``key`` of every mapping under ``node`` (data included), in no
    particular order."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if key in current:
                yield current[key]
            stack.extend(v for v in current.values() if isinstance(v, dict | list))
        elif isinstance(current, list):
            stack.extend(v for v in current if isinstance(v, dict | list))
