"""Two versions of a schema, compared: ``SchemaComparer``.

``compare(direction, base_view, head_view)`` lists the changes below two schemas, each with
its field path. A union on either side is matched alternative by alternative (``unions``);
otherwise the schema's own facets are compared (``facets``), then its properties, items and
additional properties (``properties``), which come back here for each child. A pair is
compared once per direction (memoised), so a shared component costs one comparison however
many operations reach it; a recursive schema stops where it repeats.
"""

from __future__ import annotations

from specfirst.diff.rule import Severity
from specfirst.diff.schemas import facets, properties, unions
from specfirst.diff.schemas.change import Change
from specfirst.diff.schemas.views import View, Views
from specfirst.loader import Pointer

# The default severity of every rule a schema comparison raises.
_SEVERITY = {r.id: r.severity for r in (*facets.RULES, *properties.RULES, *unions.RULES)}
_MemoKey = tuple[str, tuple[Pointer, ...], tuple[Pointer, ...], bool, bool]


class SchemaComparer:
    """The comparison of one base and one head document's schemas (a ``Comparison``)."""

    def __init__(self, base: Views, head: Views) -> None:
        self.base = base
        self.head = head
        self._memo: dict[_MemoKey, list[Change]] = {}
        self._active: set[_MemoKey] = set()

    def compare(self, direction: str, b: View, h: View) -> list[Change]:
        """What changed from ``b`` to ``h``, each with its field path below them (memoised)."""
        key = (direction, b.key, h.key, b.nullable, h.nullable)
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        if key in self._active:  # a recursive schema: the outer comparison covers it
            return []
        self._active.add(key)
        try:
            out: list[Change] = []
            if b.alts is not None or h.alts is not None:
                unions.compare_union(self, direction, b, h, out)
            else:
                facets.compare_facets(direction, b, h, out)
                properties.compare_properties(self, direction, b, h, out)
        finally:
            self._active.discard(key)
        self._memo[key] = out
        return out

    def is_breaking(self, rule: str) -> bool:
        """Whether ``rule`` breaks a client by default (a team's settings aside)."""
        return _SEVERITY[rule] is Severity.BREAKING
