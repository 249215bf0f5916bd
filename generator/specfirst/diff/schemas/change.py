"""What comparing two schemas yields, and what a check family may ask of the comparison.

A ``Change`` is one finding below a schema, before it is attached to operations: rule id,
message, the pointers in both versions and the field path below the schema (``.items[].id``).
``Comparison`` is what a family calls back: each version's views, ``compare`` for a nested
pair of schemas (memoised) and ``is_breaking`` for a rule's default severity.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from specfirst.diff.schemas.views import View, Views
from specfirst.loader import Pointer

Change = tuple[str, str, Pointer | None, Pointer | None, str]  # id, message, base, head, path
MAX_PATHS = 20  # field paths kept per finding and operation (the shortest ones)


class Comparison(Protocol):
    base: Views
    head: Views

    def compare(self, direction: str, b: View, h: View) -> list[Change]: ...

    def is_breaking(self, rule: str) -> bool: ...


def prefix(locals_: Iterable[Change], segment: str) -> Iterator[Change]:
    counts: dict[tuple[str, str, Pointer | None, Pointer | None], int] = {}
    for id, message, b_ptr, h_ptr, path in locals_:
        key = (id, message, b_ptr, h_ptr)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= MAX_PATHS:
            yield id, message, b_ptr, h_ptr, segment + path


def at(b: View, h: View, text: str) -> str:
    """A message names the component(s) it is about: a shared schema is one finding."""
    names = [
        str(v.ptr[2]) if len(v.ptr) >= 3 and v.ptr[:2] == ("components", "schemas") else None
        for v in (b, h)
    ]
    if names[1] and names[0] and names[0] != names[1]:
        return f"schema {names[0]} → {names[1]}: {text}"
    if names[1] or names[0]:
        return f"schema {names[1] or names[0]}: {text}"
    return text
