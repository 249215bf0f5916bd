"""What every check of an operation shares: ``Context``.

The two versions of the document (``base``, ``head``), the comparison of their schemas, and
the findings so far. A check reports a change with ``add`` (rule id, message, operation,
where in the operation, the pointers in both versions): the same change reached from several
operations or field paths stays one finding that lists them all.
"""

from __future__ import annotations

from typing import Any

from specfirst.diff.schemas.compare import SchemaComparer
from specfirst.diff.side import Side
from specfirst.loader import Pointer, SourceSpec

# (rule id, message, base pointer, head pointer) → operation → field paths
Found = dict[tuple[str, str, Pointer | None, Pointer | None], dict[str, list[str]]]


class Context:
    """Both versions of the document, their schema comparison and the findings so far."""

    def __init__(self, base: SourceSpec, head: SourceSpec) -> None:
        self.base = Side(base)
        self.head = Side(head)
        self.found: Found = {}
        self.schemas = SchemaComparer(self.base.views, self.head.views)

    def add(
        self,
        id: str,
        message: str,
        operation: str,
        where: str,
        base_ptr: Pointer | None,
        head_ptr: Pointer | None,
    ) -> None:
        paths = self.found.setdefault((id, message, base_ptr, head_ptr), {}).setdefault(
            operation, []
        )
        if where not in paths:
            paths.append(where)

    def compare_schemas(
        self,
        operation: str,
        label: str,
        direction: str,
        b_raw: Any,
        b_ptr: Pointer,
        h_raw: Any,
        h_ptr: Pointer,
    ) -> None:
        """Compare a schema reached from ``operation`` at ``label`` (``200``, ``query limit``)."""
        if b_raw is None or h_raw is None:
            return
        for id, message, base_ptr, head_ptr, path in self.schemas.compare(
            direction, self.base.view(b_raw, b_ptr), self.head.view(h_raw, h_ptr)
        ):
            where = f"{label} → {path}" if path else label
            self.add(id, message, operation, where, base_ptr, head_ptr)
