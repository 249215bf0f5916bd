"""What every lint rule reads and what it is: the document's lookups, and :class:`Rule`.

:class:`Context` wraps the bundled document with the lookups rules share, computed once per
run: the operations of ``paths`` and ``webhooks``, an operation's effective parameters,
responses and security, and ``$ref`` following. A rule is a :class:`Rule`: an id, a default
level, a summary, and a check that reads a :class:`Context` and yields findings (a message and
the pointer it is about); :func:`specfirst.lint.lint` locates and levels them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from specfirst.diagnostics import Level, Location
from specfirst.loader import Pointer, SourceSpec, path_item_operations, ref_pointer, resolve_pointer

__all__ = ["Check", "Context", "Finding", "Operation", "Rule"]


@dataclass(frozen=True, slots=True)
class Operation:
    """An operation as the document holds it (raw, not the parser's IR) and where it lives."""

    section: str  # "paths" or "webhooks"
    url: str
    method: str
    pointer: Pointer
    op: dict[str, Any]
    item: dict[str, Any]
    item_pointer: Pointer

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.url}"


class Context:
    """The document with the lookups every rule needs, computed once."""

    def __init__(self, spec: SourceSpec) -> None:
        self.spec = spec
        self.doc: dict[str, Any] = spec.document
        # 3.1 and 3.2 share JSON Schema 2020-12; rules tell 3.0 apart from the rest
        self.version = "3.0" if str(self.doc.get("openapi", "")).startswith("3.0") else "3.1"

    def locate(self, pointer: Pointer) -> Location:
        return self.spec.locate(pointer)

    def get(self, pointer: Pointer) -> tuple[bool, Any]:
        return resolve_pointer(self.doc, pointer)

    def deref(self, node: Any, pointer: Pointer) -> tuple[Any, Pointer]:
        """Follow internal ``$ref``s from node: the content and where it lives."""
        for _ in range(64):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not isinstance(ref, str) or not ref.startswith("#"):
                break
            found, target = self.get(ref_pointer(ref))
            if not found:
                break
            node, pointer = target, ref_pointer(ref)
        return node, pointer

    @cached_property
    def operations(self) -> list[Operation]:
        found: list[Operation] = []
        for section in ("paths", "webhooks"):
            items = self.doc.get(section)
            if not isinstance(items, dict):
                continue
            for url, raw_item in items.items():
                item, item_pointer = self.deref(raw_item, (section, url))
                if not isinstance(item, dict):
                    continue
                for method, rel, op in path_item_operations(item):
                    if isinstance(op, dict):
                        found.append(
                            Operation(
                                section,
                                str(url),
                                method.lower(),
                                (section, url, *rel),
                                op,
                                item,
                                item_pointer,
                            )
                        )
        return found

    @property
    def path_operations(self) -> Iterator[Operation]:
        return (o for o in self.operations if o.section == "paths")

    def parameters(self, o: Operation) -> list[tuple[dict[str, Any], Pointer]]:
        """The operation's effective parameters (operation-level ones override path-level)."""
        merged: dict[tuple[str, str], tuple[dict[str, Any], Pointer]] = {}
        sources = (
            (o.item.get("parameters"), (*o.item_pointer, "parameters")),
            (o.op.get("parameters"), (*o.pointer, "parameters")),
        )
        for params, base in sources:
            if not isinstance(params, list):
                continue
            for i, raw in enumerate(params):
                param, _ = self.deref(raw, (*base, i))
                if isinstance(param, dict) and isinstance(param.get("name"), str):
                    merged[(str(param.get("in")), param["name"])] = (param, (*base, i))
        return list(merged.values())

    def responses(self, o: Operation) -> dict[str, tuple[dict[str, Any], Pointer]]:
        raw = o.op.get("responses")
        if not isinstance(raw, dict):
            return {}
        out = {}
        for status, value in raw.items():
            response, _ = self.deref(value, (*o.pointer, "responses", status))
            if isinstance(response, dict) and "$ref" not in response:  # unresolved: said elsewhere
                out[str(status)] = (response, (*o.pointer, "responses", status))
        return out

    def security(self, o: Operation) -> list[dict[str, Any]]:
        requirements = o.op.get("security", self.doc.get("security"))
        if not isinstance(requirements, list):
            return []
        return [r for r in requirements if isinstance(r, dict)]


Finding = tuple[str, Pointer]
"""What a check yields: a message and the pointer it is about."""
Check = Callable[[Context], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A lint rule: ``id`` as configured and printed, its default level, what it asks for."""

    id: str
    level: Level
    summary: str
    check: Check
