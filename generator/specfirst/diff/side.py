"""One version of the document as the diff reads it: ``Side``.

A side resolves ``$ref``, finds a pointer's file and line, lists its operations and builds
its schema views (``specfirst.diff.schemas.views``). The diff holds two, base and head.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from specfirst.diagnostics import Location
from specfirst.diff.schemas.views import View, Views, resolve
from specfirst.loader import Pointer, SourceSpec, path_item_operations

PATH_VAR = re.compile(r"{[^{}]+}")


class OperationAt(NamedTuple):
    """An operation where it is declared."""

    path: str  # as written, with its variables' names
    item: Mapping[str, Any]  # the path item
    op: Mapping[str, Any]
    ptr: Pointer


class Side:
    """One version of the document: ``$ref`` resolution, schema views, locations."""

    def __init__(self, spec: SourceSpec) -> None:
        self.spec = spec
        self.doc = spec.document
        self.views = Views(self.doc)

    def resolve(self, node: Any, pointer: Pointer) -> tuple[Any, Pointer]:
        return resolve(self.doc, node, pointer)

    def view(self, raw: Any, ptr: Pointer) -> View:
        return self.views.view(raw, ptr)

    def locate(self, pointer: Pointer | None) -> Location | None:
        if pointer is None:
            return None
        try:
            return self.spec.locate(pointer)
        except Exception:  # a position is a courtesy; never fail the diff for it
            return None

    def operations(self) -> dict[tuple[str, str], OperationAt]:
        """Every operation, keyed by method and path with its variables blanked (``{}``)."""
        out: dict[tuple[str, str], OperationAt] = {}
        for path, raw in (self.doc.get("paths") or {}).items():
            item, item_ptr = self.resolve(raw, ("paths", path))
            if not isinstance(item, Mapping):
                continue
            for method, rel, op in path_item_operations(item):
                key = (method.lower(), PATH_VAR.sub("{}", path))
                out[key] = OperationAt(path, item, op, (*item_ptr, *rel))
        return out
