"""The facets of one schema, compared: type, nullability, format, enum, bounds, pattern.

A request may widen and a response narrow without breaking a client, so each facet's change
is named ``widened``, ``narrowed`` or ``changed`` (``specfirst.diff.schemas.relations``) and
its rule is ``<direction>-<facet>-<relation>``: ``request-enum-narrowed``,
``response-type-widened``. A relation a facet has no rule for (a request enum that only
widened…) is no finding.
"""

from __future__ import annotations

import json
from typing import Any

from specfirst.diff.rule import B, N, Rule
from specfirst.diff.schemas.change import Change, at
from specfirst.diff.schemas.relations import format_le, relation_of, type_le, union_types
from specfirst.diff.schemas.views import BOUNDS, View

# Requests may widen, responses may narrow: the rules this module raises.
RULES: tuple[Rule, ...] = (
    Rule("request-type-narrowed", B, "request number → integer"),
    Rule("request-type-widened", N, "request integer → number"),
    Rule("request-type-changed", B, "request string → integer"),
    Rule("response-type-widened", B, "response integer → number"),
    Rule("response-type-narrowed", N, "response number → integer"),
    Rule("response-type-changed", B, "response integer → string"),
    Rule("request-nullability-narrowed", B, "request type: [string, null] → type: string"),
    Rule("request-nullability-widened", N, "request type: string → nullable: true"),
    Rule("response-nullability-widened", B, "response type: string → type: [string, null]"),
    Rule("response-nullability-narrowed", N, "response nullable: true → (not nullable)"),
    Rule("request-format-narrowed", B, "request format: (none) → format: email; int64 → int32"),
    Rule("request-format-widened", N, "request format: int32 → int64; uri → (none)"),
    Rule("request-format-changed", B, "request format: date → uuid"),
    Rule("response-format-widened", B, "response format: int32 → int64; email → (none)"),
    Rule("response-format-narrowed", N, "response format: (none) → date-time"),
    Rule("response-format-changed", B, "response format: date → date-time"),
    Rule("request-enum-narrowed", B, "request enum: [a, b] → enum: [a]; (none) → enum: [a]"),
    Rule("request-enum-widened", N, "request enum: [a] → enum: [a, b]"),
    Rule("response-enum-widened", B, "response enum: [a] → enum: [a, b]; enum → (none)"),
    Rule("response-enum-narrowed", N, "response enum: [a, b] → enum: [a]"),
    Rule("request-constraint-narrowed", B, "request maxLength: 200 → 100; (none) → minItems: 1"),
    Rule("request-constraint-widened", N, "request maxLength: 100 → 200"),
    Rule("response-constraint-widened", B, "response maxItems: 100 → (none)"),
    Rule("response-constraint-narrowed", N, "response maxLength: (none) → 100"),
    Rule("request-pattern-narrowed", B, "request pattern: (none) → '^[a-z]+$'"),
    Rule("request-pattern-changed", B, "request pattern: '^[a-z]+$' → '^[a-z0-9]+$'"),
    Rule("request-pattern-widened", N, "request pattern: '^[a-z]+$' → (none)"),
    Rule("response-pattern-widened", B, "response pattern: '^[a-z]+$' → (none)"),
    Rule("response-pattern-changed", B, "response pattern: '^[a-z]+$' → '^\\w+$'"),
    Rule("response-pattern-narrowed", N, "response pattern: (none) → '^[a-z]+$'"),
)

_IDS = frozenset(rule.id for rule in RULES)


def emit(
    out: list[Change], direction: str, facet: str, relation: str, text: str, b: View, h: View
) -> None:
    """Add the change of one facet, if its rule exists (``<direction>-<facet>-<relation>``)."""
    id = f"{direction}-{facet}-{relation}"
    if id in _IDS:
        out.append((id, at(b, h, text), b.ptr, h.ptr, ""))


def compare_facets(direction: str, b: View, h: View, out: list[Change]) -> None:
    """The changes of ``b``'s own facets to ``h``'s (not its children's)."""
    request = direction == "request"
    b_kind, h_kind = b.kind(), h.kind()
    type_rel = relation_of(type_le(b_kind, h_kind), type_le(h_kind, b_kind))
    if type_rel and b_kind is not None and h_kind is not None:
        emit(
            out,
            direction,
            "type",
            type_rel,
            f"type {_fmt(b_kind, b)} → {_fmt(h_kind, h)}",
            b,
            h,
        )
    elif h_kind is not None and b_kind is None and request:
        emit(out, direction, "type", "narrowed", f"type any → {_fmt(h_kind, h)}", b, h)
    elif b_kind is not None and h_kind is None and not request:
        emit(out, direction, "type", "widened", f"type {_fmt(b_kind, b)} → any", b, h)
    disjoint = b_kind is not None and h_kind is not None and not (union_types(b_kind, h_kind))
    if b.nullable != h.nullable:
        relation = "widened" if h.nullable else "narrowed"
        text = "null is now allowed" if h.nullable else "null is no longer allowed"
        emit(out, direction, "nullability", relation, text, b, h)
    if disjoint:
        return  # string → object: the facets below compare unrelated things
    b_format, h_format = _width(b, h), _width(h, b)
    format_rel = relation_of(format_le(b_format, h_format), format_le(h_format, b_format))
    if format_rel:
        emit(
            out,
            direction,
            "format",
            format_rel,
            f"format {b.format or '(none)'} → {h.format or '(none)'}",
            b,
            h,
        )
    if b.enum != h.enum:
        b_set = set(b.enum) if b.enum is not None else None
        h_set = set(h.enum) if h.enum is not None else None
        le = h_set is None or (b_set is not None and b_set <= h_set)
        ge = b_set is None or (h_set is not None and h_set <= b_set)
        enum_rel = relation_of(le, ge)
        if enum_rel:
            if b_set is not None and h_set is not None:
                gone = [b.enum[k] for k in b.enum if k not in h_set] if b.enum else []
                new = [h.enum[k] for k in h.enum if k not in b_set] if h.enum else []
                text = "; ".join(
                    part
                    for part in (
                        f"value(s) {_values(new)} added" if new else "",
                        f"value(s) {_values(gone)} removed" if gone else "",
                    )
                    if part
                )
            elif h.enum is not None:
                text = f"now restricted to {_values(list(h.enum.values()))}"
            else:
                text = "no longer restricted to a list of values"
            if enum_rel == "changed":  # values added and removed: a break either way
                enum_rel = "narrowed" if request else "widened"
            emit(out, direction, "enum", enum_rel, text, b, h)
    for keyword, kind in BOUNDS:
        bv, hv = b.bounds.get(keyword), h.bounds.get(keyword)
        if bv == hv:
            continue
        if hv is None:
            narrowed = False
        elif bv is None:
            narrowed = True
        else:
            narrowed = hv < bv if kind == "upper" else hv > bv
        emit(
            out,
            direction,
            "constraint",
            "narrowed" if narrowed else "widened",
            f"{keyword} {_opt(bv)} → {_opt(hv)}",
            b,
            h,
        )
    if b.pattern != h.pattern:
        if b.pattern is None:
            rel = "narrowed"
        elif h.pattern is None:
            rel = "widened"
        else:
            rel = "changed"
        emit(
            out,
            direction,
            "pattern",
            rel,
            f"pattern {b.pattern!r} → {h.pattern!r}"
            if b.pattern and h.pattern
            else (
                f"pattern {h.pattern!r} added" if h.pattern else f"pattern {b.pattern!r} removed"
            ),
            b,
            h,
        )


def _width(view: View, other: View) -> str | None:
    """The format to compare: an integer without one, compared with an integer, is int64.

    JSON has no integer width, but every client maps a bare ``integer`` to 64 bits (or
    wider), so GitHub adding ``format: int64`` to its ids (3.12 → 3.13, on hundreds of
    fields) changes no value anyone sends or receives; int32 stays narrower than it.
    """
    if view.format is None and view.kind() == other.kind() == frozenset({"integer"}):
        return "int64"
    return view.format


def _opt(value: float | None) -> str:
    if value is None:
        return "none"
    return str(int(value)) if value.is_integer() else str(value)


def _fmt(types: frozenset[str], view: View) -> str:
    if types:
        return "|".join(sorted(types))
    # No type left: {type: null}, or members whose types contradict (nothing is valid).
    return "null" if view.nullable else "nothing (its members' types contradict each other)"


def _values(values: list[Any]) -> str:
    return ", ".join(json.dumps(v) for v in values[:10]) + (" …" if len(values) > 10 else "")
