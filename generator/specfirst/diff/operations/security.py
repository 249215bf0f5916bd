"""Security compared: authentication added, a requirement dropped, scopes added.

An operation's requirements are its own ``security`` or the document's. A client holding
credentials that satisfied base must still satisfy head: a newly closed operation, a
combination of schemes no longer accepted, or a further scope breaks it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specfirst.diff.context import Context
from specfirst.diff.rule import B, Rule
from specfirst.diff.side import OperationAt, Side

# The rules this module raises.
RULES: tuple[Rule, ...] = (
    Rule("security-added", B, "security: [] → security: [oauth: []]"),
    Rule("security-requirement-removed", B, "security: [apiKey] → security: [oauth]"),
    Rule("security-scopes-added", B, "oauth: [read] → oauth: [read, write]"),
)


def compare_security(ctx: Context, name: str, b: OperationAt, h: OperationAt) -> None:
    b_op, b_ptr, h_op, h_ptr = b.op, b.ptr, h.op, h.ptr

    def requirements(side: Side, op: Mapping[str, Any]) -> list[dict[str, frozenset[str]]]:
        raw = op.get("security", side.doc.get("security")) or []
        return [
            {str(k): frozenset(str(s) for s in (v or [])) for k, v in r.items()}
            for r in raw
            if isinstance(r, Mapping)
        ]

    base, head = requirements(ctx.base, b_op), requirements(ctx.head, h_op)
    b_where = (*b_ptr, "security") if "security" in b_op else ("security",)
    h_where = (*h_ptr, "security") if "security" in h_op else ("security",)
    base_open = not base or any(not r for r in base)
    head_open = not head or any(not r for r in head)
    if base_open and not head_open:
        ctx.add(
            "security-added",
            "the operation now requires authentication",
            name,
            "security",
            b_where,
            h_where,
        )
        return
    if head_open:
        return
    for requirement in base:
        schemes = set(requirement)
        match = [r for r in head if set(r) == schemes]
        if not match:
            label = " + ".join(sorted(schemes))
            ctx.add(
                "security-requirement-removed",
                f"credentials of {label} are no longer accepted as they were",
                name,
                "security",
                b_where,
                h_where,
            )
            continue
        for scheme, scopes in requirement.items():
            extra = match[0][scheme] - scopes
            if extra:
                ctx.add(
                    "security-scopes-added",
                    f"{scheme} now also requires scope(s) {', '.join(sorted(extra))}",
                    name,
                    "security",
                    b_where,
                    h_where,
                )
