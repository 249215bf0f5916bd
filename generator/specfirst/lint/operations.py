"""Rules on naming and documenting operations: ids, tags, summaries, descriptions.

Generated code names a method after its operation's ``operationId`` and puts it in the
interface of its first tag, so an operation without either has no place in the code; a
summary and a description are what the reference page and a reviewer read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from specfirst.diagnostics import Level
from specfirst.lint.context import Context, Finding, Operation, Rule

__all__ = ["RULES"]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _operation_id(ctx: Context) -> Iterator[Finding]:
    for o in ctx.operations:
        value = o.op.get("operationId")
        if not isinstance(value, str) or not value.strip():
            yield (
                f"{o.label} has no operationId; generated code names its method after it",
                o.pointer,
            )


def _operation_id_unique(ctx: Context) -> Iterator[Finding]:
    seen: dict[str, list[Operation]] = {}
    for o in ctx.operations:
        value = o.op.get("operationId")
        if isinstance(value, str):
            seen.setdefault(value, []).append(o)
    for value, uses in seen.items():
        for o in uses[1:]:
            yield (
                f"operationId {value!r} of {o.label} is already used by {uses[0].label}",
                (*o.pointer, "operationId"),
            )


def _operation_id_identifier(ctx: Context) -> Iterator[Finding]:
    for o in ctx.operations:
        value = o.op.get("operationId")
        if isinstance(value, str) and value.strip() and not _IDENTIFIER.match(value):
            yield (
                f"operationId {value!r} of {o.label} is not an identifier (letters, digits and "
                "underscores, not starting with a digit); code generators must mangle it",
                (*o.pointer, "operationId"),
            )


def _operation_tags(ctx: Context) -> Iterator[Finding]:
    for o in ctx.operations:
        tags = o.op.get("tags")
        if not isinstance(tags, list) or not any(isinstance(t, str) and t for t in tags):
            yield f"{o.label} has no tags; its methods have no interface to go in", o.pointer


def _operation_summary(ctx: Context) -> Iterator[Finding]:
    for o in ctx.operations:
        value = o.op.get("summary")
        if not isinstance(value, str) or not value.strip():
            yield f"{o.label} has no summary", o.pointer


def _operation_description(ctx: Context) -> Iterator[Finding]:
    for o in ctx.operations:
        value = o.op.get("description")
        if not isinstance(value, str) or not value.strip():
            yield f"{o.label} has no description", o.pointer


RULES: tuple[Rule, ...] = (
    Rule("operation-id", Level.ERROR, "every operation has an operationId", _operation_id),
    Rule("operation-id-unique", Level.ERROR, "operationIds are unique", _operation_id_unique),
    Rule(
        "operation-id-identifier",
        Level.WARNING,
        "operationIds are identifier-safe",
        _operation_id_identifier,
    ),
    Rule("operation-tags", Level.WARNING, "every operation is tagged", _operation_tags),
    Rule("operation-summary", Level.WARNING, "every operation has a summary", _operation_summary),
    Rule(
        "operation-description",
        Level.WARNING,
        "every operation has a description",
        _operation_description,
    ),
)
