"""What validation returns: the diagnostics, and the repairs that let generation go on.

Light on purpose: :mod:`specfirst.validation` (the cache) imports it on every run, and the
validator's own modules build their results with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from specfirst.diagnostics import Diagnostic
from specfirst.loader import Pointer, SourceSpec

Repair = tuple[Pointer, Any]
"""A change to the document that lets generation go on: ``(pointer, _DROP)`` removes the node."""

_DROP = "__specfirst_drop__"


@dataclass(frozen=True)
class Validation:
    """What validation found, and the repairs that let a lenient document be generated.

    A repair removes what a warning says is dropped (an invalid ``default`` or ``example``, an
    unknown ``$schema``) or rewrites a keyword an older dialect spelled differently. The
    source document itself is never changed: :meth:`repaired` gives the spec that models and
    routes are built from, while the served document stays the one the team wrote.
    """

    diagnostics: list[Diagnostic]
    repairs: tuple[Repair, ...] = field(default=())

    def repaired(self, spec: SourceSpec) -> SourceSpec:
        if not self.repairs:
            return spec
        return replace(spec, document=_apply(spec.document, self.repairs))


def _apply(doc: dict[str, Any], repairs: Iterable[Repair]) -> dict[str, Any]:
    """A copy of ``doc`` with ``repairs`` made; only the containers on their paths are copied."""
    root: dict[str, Any] = dict(doc)
    copied: set[int] = {id(root)}
    for pointer, value in repairs:
        if not pointer:
            continue
        parent: Any = root
        for seg in pointer[:-1]:
            key: Any = int(seg) if isinstance(parent, list) else str(seg)
            try:
                child = parent[key]
            except (KeyError, IndexError, TypeError):
                break
            if not isinstance(child, dict | list):
                break
            if id(child) not in copied:
                child = dict(child) if isinstance(child, dict) else list(child)
                copied.add(id(child))
                parent[key] = child
            parent = child
        else:
            last = pointer[-1]
            if isinstance(parent, dict):
                if value == _DROP:
                    parent.pop(str(last), None)
                else:
                    parent[str(last)] = value
    return root
