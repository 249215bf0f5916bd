"""Unions compared: the alternatives of ``oneOf``/``anyOf`` are matched, not lined up.

Alternatives are paired by ``$ref`` target, discriminator value, ``title``, then by how
alike they look; each pair is compared as two schemas. An alternative left over is added
or removed, unless an inline one is covered by an alternative on the other side that
accepts all it did (an ``anyOf`` of shapes dropped for one looser shape): a named
(``$ref``) one stays a finding, typed clients see it. A ``$ref`` that became a union thus
reports only the alternative that is new. Null is the union's own finding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from specfirst.diff.rule import B, N, Rule
from specfirst.diff.schemas.change import Change, Comparison, at
from specfirst.diff.schemas.facets import emit
from specfirst.diff.schemas.relations import union_types
from specfirst.diff.schemas.views import View, canon

# The rules this module raises.
RULES: tuple[Rule, ...] = (
    Rule("request-union-alternative-removed", B, "request oneOf: [string, Label] → $ref: Label"),
    Rule("request-union-alternative-added", N, "request $ref: Label → oneOf: [string, Label]"),
    Rule(
        "response-union-alternative-added",
        B,
        "response $ref: Label → oneOf: [string, Label] (an item may now be a string)",
    ),
    Rule("response-union-alternative-removed", N, "response oneOf: [string, Label] → $ref: Label"),
)


def compare_union(ctx: Comparison, direction: str, b: View, h: View, out: list[Change]) -> None:
    """The changes from union ``b`` to union ``h`` (either may be a single schema)."""
    request = direction == "request"
    b_alts = b.alts if b.alts is not None else [b]
    h_alts = h.alts if h.alts is not None else [h]
    if b.nullable != h.nullable:
        relation = "widened" if h.nullable else "narrowed"
        text = "null is now allowed" if h.nullable else "null is no longer allowed"
        emit(out, direction, "nullability", relation, text, b, h)
    pairs, b_left, h_left = _match(b_alts, h_alts, b, h)
    for bi, hi in pairs:
        bv, hv = b_alts[bi], h_alts[hi]
        if b.nullable or h.nullable:
            bv, hv = replace(bv, nullable=b.nullable), replace(hv, nullable=b.nullable)
        out.extend(ctx.compare(direction, bv, hv))
    # An inline alternative left unpaired may still be covered by one on the other side
    # that accepts all it does (an `anyOf` of shapes dropped for one looser shape): no
    # value was lost or gained. A named ($ref) one stays a finding: typed clients see it.
    h_left = [
        hi
        for hi in h_left
        if h_alts[hi].ref is not None
        or not any(_covers(ctx, direction, bv, h_alts[hi], b.nullable) for bv in b_alts)
    ]
    b_left = [
        bi
        for bi in b_left
        if b_alts[bi].ref is not None
        or not any(_covers(ctx, direction, b_alts[bi], hv, b.nullable) for hv in h_alts)
    ]
    for hi in h_left:
        alt = h_alts[hi]
        out.append(
            (
                f"{direction}-union-alternative-added",
                at(b, h, f"may now also be {alt.describe()}"),
                b.ptr,
                alt.ptr,
                "",
            )
        )
    for bi in b_left:
        alt = b_alts[bi]
        out.append(
            (
                f"{direction}-union-alternative-removed",
                at(b, h, f"can no longer be {alt.describe()}")
                + ("" if request else " (a narrower response)"),
                alt.ptr,
                h.ptr,
                "",
            )
        )


def _covers(ctx: Comparison, direction: str, b: View, h: View, null: bool) -> bool:
    """Whether ``h`` is no break from ``b``: a request accepts all ``b`` did, a response
    returns nothing ``b`` could not. Null is the union's own finding: ``null`` is set
    on both."""
    b, h = replace(b, nullable=null), replace(h, nullable=null)
    return not any(ctx.is_breaking(found[0]) for found in ctx.compare(direction, b, h))


def _match(
    b_alts: Sequence[View], h_alts: Sequence[View], b: View, h: View
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair the alternatives of two unions: by ``$ref``, discriminator value, title, shape."""
    pairs: list[tuple[int, int]] = []
    b_free, h_free = list(range(len(b_alts))), list(range(len(h_alts)))

    def pair_by(key: Any) -> None:
        index: dict[Any, int] = {}
        for hi in h_free:
            k = key(h_alts[hi], h)
            if k is not None and k not in index:
                index[k] = hi
        for bi in list(b_free):
            k = key(b_alts[bi], b)
            hi_match = index.pop(k, None) if k is not None else None
            if hi_match is not None and hi_match in h_free:
                pairs.append((bi, hi_match))
                b_free.remove(bi)
                h_free.remove(hi_match)

    pair_by(lambda v, parent: v.ref)
    pair_by(lambda v, parent: _discriminator_value(v, parent))
    pair_by(lambda v, parent: v.title)
    scored = sorted(
        (
            (score, bi, hi)
            for bi in b_free
            for hi in h_free
            if (score := _similarity(b_alts[bi], h_alts[hi])) > 0
        ),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    for _, bi, hi in scored:
        if bi in b_free and hi in h_free:
            pairs.append((bi, hi))
            b_free.remove(bi)
            h_free.remove(hi)
    return pairs, b_free, h_free


def _discriminator_value(view: View, parent: View) -> str | None:
    if parent.discriminator is None:
        return None
    if view.ptr in parent.mapping:
        return parent.mapping[view.ptr]
    prop = view.props.get(parent.discriminator)
    if prop is not None and isinstance(prop[0], Mapping):
        values = prop[0].get("enum")
        if "const" in prop[0]:
            return canon(prop[0]["const"])
        if isinstance(values, list) and len(values) == 1:
            return canon(values[0])
    return view.ref


def _similarity(a: View, b: View) -> float:
    """How alike two alternatives look: 0 when their types cannot meet."""
    ka, kb = a.kind(), b.kind()
    if ka is not None and kb is not None and not union_types(ka, kb):
        return 0.0
    score = 1.0
    if a.props or b.props:
        common = len(set(a.props) & set(b.props))
        score += common / max(len(set(a.props) | set(b.props)), 1)
    if a.enum is not None and b.enum is not None:
        score += len(set(a.enum) & set(b.enum)) / max(len(set(a.enum) | set(b.enum)), 1)
    return score
