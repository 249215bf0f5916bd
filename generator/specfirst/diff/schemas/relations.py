"""How two types or formats relate: the lattice every schema facet is compared on.

``integer`` ⊂ ``number``, ``int32`` ⊂ ``int64``, ``uri`` ⊂ ``iri-reference``. From "every
value of base is one of head" and the reverse, ``relation_of`` names the change: the same,
``widened``, ``narrowed`` or ``changed``.
"""

from __future__ import annotations

# format → the formats that accept everything it accepts (a narrower format first).
FORMAT_WIDER = {
    "int32": {"int64"},
    "float": {"double"},
    "uri": {"uri-reference", "iri", "iri-reference"},
    "iri": {"iri-reference"},
    "uri-reference": {"iri-reference"},
    "email": {"idn-email"},
    "hostname": {"idn-hostname"},
}


def union_types(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    if a is None:
        return b
    if b is None:
        return a
    out = set()
    for t in a:
        if t in b:
            out.add(t)
        elif (t == "integer" and "number" in b) or (t == "number" and "integer" in b):
            out.add("integer")
    return frozenset(out)


def type_le(a: frozenset[str] | None, b: frozenset[str] | None) -> bool:
    """Every value of type set ``a`` is of type set ``b`` (``integer`` ⊂ ``number``)."""
    if b is None:
        return True
    if a is None:
        return False
    return all(t in b or (t == "integer" and "number" in b) for t in a)


def format_le(a: str | None, b: str | None) -> bool:
    if b is None or a == b:
        return True
    if a is None:
        return False
    return b in FORMAT_WIDER.get(a, set())


def relation_of(le: bool, ge: bool) -> str | None:
    """``None`` (same), ``widened``, ``narrowed`` or ``changed``, from base ⊆ head and head ⊆ base."""
    if le and ge:
        return None
    if le:
        return "widened"
    if ge:
        return "narrowed"
    return "changed"
