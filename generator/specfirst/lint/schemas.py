"""Rules on schemas: ``one-of-overlap``.

A ``oneOf`` admits a value valid under exactly one member. Where two members are open objects
with nothing to tell them apart (no required property, any other key allowed: mailscript's
``criteria``, ``oneOf [Criteria, CriteriaOperand]``), every object with enough keys is valid
under both and refused, which is seldom what the author meant: ``anyOf`` admits it. A warning,
located at the ``oneOf``: the app honours the schema as written (see
:mod:`specfirst.one_of_overlap`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specfirst.diagnostics import Level
from specfirst.lint.context import Context, Finding, Rule
from specfirst.lint.examples import _is_schema_pointer
from specfirst.loader import Pointer
from specfirst.one_of_overlap import overlapping_pair

__all__ = ["RULES"]


def _one_of_overlap(ctx: Context) -> Iterator[Finding]:
    for schema, pointer in _one_ofs(ctx.doc):
        pair = overlapping_pair(schema, lambda member: ctx.deref(member, ())[0])
        if pair is None:
            continue
        members = schema["oneOf"]
        first, second = (_name(members[i], i) for i in pair)
        yield (
            f"oneOf members {first} and {second} are objects with no required property that "
            "take any other key, so an object valid under one is mostly valid under both, "
            "which oneOf refuses; did you mean anyOf? (or tell them apart: required "
            "properties, additionalProperties: false)",
            (*pointer, "oneOf"),
        )


def _name(member: Any, index: int) -> str:
    ref = member.get("$ref") if isinstance(member, dict) else None
    if isinstance(ref, str):
        return repr(ref.rsplit("/", 1)[-1])
    return f"#{index}"


def _one_ofs(doc: dict[str, Any]) -> Iterator[tuple[dict[str, Any], Pointer]]:
    """Every Schema Object of ``doc`` holding a ``oneOf`` list, with its pointer."""
    stack: list[tuple[Any, Pointer]] = [(doc, ())]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("oneOf"), list) and _is_schema_pointer(pointer):
                yield node, pointer
            stack.extend(
                (value, (*pointer, key))
                for key, value in node.items()
                if isinstance(value, dict | list) and key not in ("example", "examples")
            )
        elif isinstance(node, list):
            stack.extend((value, (*pointer, i)) for i, value in enumerate(node))


RULES: tuple[Rule, ...] = (
    Rule(
        "one-of-overlap",
        Level.WARNING,
        "the members of a oneOf can be told apart",
        _one_of_overlap,
    ),
)
