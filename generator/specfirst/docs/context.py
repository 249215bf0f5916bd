"""What the reference page's parts read: the document, ``$ref`` lookups, anchors, schema types.

One :class:`ReferenceContext` is made per page and passed to the functions that build its
parts (``operations``, ``components``). Anchors are handed out in page order: schemas first,
then operations, then tag sections; a name that slugs like an earlier one gets ``-2``,
``-3``, so that order is part of the page's output.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from specfirst.docs.schema_text import type_text
from specfirst.loader import SourceSpec, ref_pointer

__all__ = ["ReferenceContext", "scheme_anchor"]

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def scheme_anchor(name: object) -> str:
    """The anchor of a security scheme's row, which operations' security links to."""
    return "security-" + _UNSAFE.sub("-", str(name))


class ReferenceContext:
    """The spec's document with the lookups the reference page's parts share."""

    def __init__(self, spec: SourceSpec) -> None:
        self.doc: dict[str, Any] = spec.document
        self.taken: set[str] = set()
        components = self.doc.get("components")
        self.components: dict[str, Any] = components if isinstance(components, dict) else {}
        schemas = self.components.get("schemas")
        self.schema_names = list(schemas) if isinstance(schemas, dict) else []
        self.schema_anchors = {name: self.anchor("schema", name) for name in self.schema_names}

    def anchor(self, prefix: str, name: str) -> str:
        """A new anchor for name, unique on the page (``op-listTasks``, ``op-listTasks-2``)."""
        base = f"{prefix}-" + (_UNSAFE.sub("-", name).strip("-") or "x")
        anchor, n = base, 2
        while anchor in self.taken:
            anchor, n = f"{base}-{n}", n + 1
        self.taken.add(anchor)
        return anchor

    def deref(self, node: Any) -> Any:
        """Follow internal ``$ref``s from node; a ``$ref`` that points nowhere stays as it is."""
        for _ in range(64):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not isinstance(ref, str) or not ref.startswith("#"):
                return node
            target: Any = self.doc
            for seg in ref_pointer(ref):
                if isinstance(target, dict) and str(seg) in target:
                    target = target[str(seg)]
                elif isinstance(target, list) and str(seg).isdigit() and int(seg) < len(target):
                    target = target[int(seg)]
                else:
                    return node
            node = target
        return node

    def type_of(self, schema: Any) -> Markup:
        """A one-line summary of a schema, linking to the schemas this page lists."""
        return type_text(schema, self.schema_anchors)
