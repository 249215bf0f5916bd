"""A schema as a set of facets (``View``), and how one document's views are built.

A view has ``$ref`` resolved, ``allOf`` merged into one shape (``merge``: a property from
either member, the tighter constraint) and null split off as ``nullable``; the alternatives of
``oneOf``/``anyOf`` become ``alts``, each merged with what the union's own schema says.
``Views`` builds each schema of a document once (memoised by pointer); a cycle through
``allOf`` or ``oneOf`` ends in an open shape.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from specfirst.diff.schemas.relations import union_types
from specfirst.loader import Pointer, deref


@dataclass(slots=True)
class View:
    """A schema as a set of facets: ``$ref`` resolved, ``allOf`` merged, null split off."""

    key: tuple[Pointer, ...]
    ptr: Pointer
    ref: str | None = None
    title: str | None = None
    types: frozenset[str] | None = None  # None: any type
    nullable: bool = False
    enum: dict[str, Any] | None = None  # canonical JSON → value, null excluded
    format: str | None = None
    bounds: dict[str, float] = field(default_factory=dict)
    pattern: str | None = None
    props: dict[str, tuple[Any, Pointer]] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    closed: bool = False  # additionalProperties: false
    addl: tuple[Any, Pointer] | None = None
    items: tuple[Any, Pointer] | None = None
    alts: list[View] | None = None
    discriminator: str | None = None
    mapping: dict[Pointer, str] = field(default_factory=dict)
    read_only: bool = False
    write_only: bool = False

    def kind(self) -> frozenset[str] | None:
        if self.types is not None:
            return self.types
        if self.props or self.addl:
            return frozenset({"object"})
        if self.items:
            return frozenset({"array"})
        return None

    def describe(self) -> str:
        if self.ref:
            return self.ref
        kind = self.kind()
        text = "|".join(sorted(kind)) if kind else "any value"
        if self.props:
            text += (
                " {"
                + ", ".join(list(self.props)[:4])
                + (", …" if len(self.props) > 4 else "")
                + "}"
            )
        return text


BOUNDS = (
    ("maxLength", "upper"),
    ("minLength", "lower"),
    ("maximum", "upper"),
    ("minimum", "lower"),
    ("exclusiveMaximum", "upper"),
    ("exclusiveMinimum", "lower"),
    ("maxItems", "upper"),
    ("minItems", "lower"),
    ("maxProperties", "upper"),
    ("minProperties", "lower"),
)
UPPER_BOUNDS = {k for k, kind in BOUNDS if kind == "upper"}
BOUND_KEYS = frozenset(k for k, _ in BOUNDS)


def _is_fragment(view: View) -> bool:
    """An alternative that only adds a constraint (``anyOf: [{required: [a]}, …]``)."""
    return (
        view.ref is None
        and view.types is None
        and not view.props
        and view.items is None
        and view.enum is None
        and view.alts is None
        and not view.nullable
    )


def resolve(doc: Any, node: Any, pointer: Pointer) -> tuple[Any, Pointer]:
    """``node`` with its ``$ref`` followed, and where it lives."""
    node, pointer, _broken = deref(doc, node, pointer)  # validate reports broken refs
    return node, pointer


class Views:
    """The schema views of one document, each built once."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self._views: dict[Pointer, View] = {}
        self._building: set[Pointer] = set()

    def view(self, raw: Any, ptr: Pointer) -> View:
        """The view of schema ``raw`` at ``ptr``; a ``$ref`` to a component keeps its name."""
        ref: str | None = None
        if isinstance(raw, Mapping) and isinstance(raw.get("$ref"), str):
            node, ptr = resolve(self.doc, raw, ptr)
            if len(ptr) == 3 and ptr[:2] == ("components", "schemas"):
                ref = str(ptr[2])
        else:
            node = raw
        cached = self._views.get(ptr)
        if cached is not None:
            return cached if ref is None or cached.ref == ref else replace(cached, ref=ref)
        if ptr in self._building:  # a cycle through allOf/oneOf: an open shape ends it
            return View(key=(ptr,), ptr=ptr, ref=ref)
        self._building.add(ptr)
        try:
            view = self._build(node, ptr)
        finally:
            self._building.discard(ptr)
        self._views[ptr] = view
        return view if ref is None else replace(view, ref=ref)

    def _build(self, node: Any, ptr: Pointer) -> View:
        view = View(key=(ptr,), ptr=ptr)
        if not isinstance(node, Mapping):
            return view
        raw_type = node.get("type")
        types = (
            set(raw_type)
            if isinstance(raw_type, list)
            else ({raw_type} if isinstance(raw_type, str) else None)
        )
        if types is not None:  # an empty set: only null
            if "null" in types:
                view.nullable = True
                types.discard("null")
            if "integer" in types and "number" in types:
                types.discard("integer")
            view.types = frozenset(str(t) for t in types)
        if node.get("nullable") is True:
            view.nullable = True
        view.title = node.get("title") if isinstance(node.get("title"), str) else None
        values = node.get("enum")
        if "const" in node:
            values = [node["const"]]
        if isinstance(values, list):
            view.enum = {canon(v): v for v in values if v is not None}
            if None in values:
                view.nullable = True
        if isinstance(node.get("format"), str):
            view.format = node["format"]
        for keyword in BOUND_KEYS.intersection(node):
            number = _number(node[keyword])
            if number is not None:
                view.bounds[keyword] = number
        if isinstance(node.get("pattern"), str):
            view.pattern = node["pattern"]
        props = node.get("properties")
        if isinstance(props, Mapping):
            view.props = {str(k): (v, (*ptr, "properties", k)) for k, v in props.items()}
        if isinstance(node.get("required"), list):
            view.required = frozenset(str(r) for r in node["required"])
        addl = node.get("additionalProperties")
        if addl is False:
            view.closed = True
        elif isinstance(addl, Mapping) and addl:
            view.addl = (addl, (*ptr, "additionalProperties"))
        if isinstance(node.get("items"), Mapping):
            view.items = (node["items"], (*ptr, "items"))
        view.read_only = node.get("readOnly") is True
        view.write_only = node.get("writeOnly") is True
        disc = node.get("discriminator")
        if isinstance(disc, Mapping) and isinstance(disc.get("propertyName"), str):
            view.discriminator = disc["propertyName"]
            for value, target in (disc.get("mapping") or {}).items():
                if isinstance(target, str):
                    _, target_ptr = resolve(self.doc, {"$ref": target}, ())
                    view.mapping[target_ptr] = str(value)
        for index, member in enumerate(node.get("allOf") or []):
            view = merge(view, self.view(member, (*ptr, "allOf", index)))
        if node.get("nullable") is True:  # `allOf: [$ref], nullable: true`, the 3.0 idiom
            view.nullable = True
        alts: list[View] = []
        for keyword in ("oneOf", "anyOf"):
            members = node.get(keyword)
            if not isinstance(members, list):
                continue
            for index, member in enumerate(members):
                alt = self.view(member, (*ptr, keyword, index))
                if alt.types is not None and not alt.types and alt.nullable:
                    view.nullable = True  # {type: null}: nullability, not an alternative
                    continue
                alts.append(alt)
        if alts and not all(_is_fragment(a) for a in alts):
            # A union admits null when the parent, a {type: null} or any alternative does.
            nullable = view.nullable or any(a.nullable for a in alts)
            if len(alts) == 1:
                view = merge(view, alts[0])
                view.nullable = nullable
            else:
                view.nullable = nullable
                own = replace(view, alts=None)
                view.alts = [
                    merge(replace(own, key=(*alt.key, ptr), ptr=alt.ptr), alt, keep_ref=True)
                    for alt in alts
                ]
        return view


def _null_and(a: View, b: View) -> bool:
    """Null passes both shapes: a shape that says nothing about types lets it through."""
    states = [v.nullable for v in (a, b) if v.nullable or v.types is not None or v.enum is not None]
    return bool(states) and all(states)


def merge(a: View, b: View, *, keep_ref: bool = False) -> View:
    """Both shapes at once (``allOf``): a property from either, the tighter constraint."""
    out = replace(
        a,
        types=union_types(a.types, b.types),
        nullable=_null_and(a, b),
        props={**b.props, **a.props},
        required=a.required | b.required,
        closed=a.closed or b.closed,
        bounds=dict(a.bounds),
        mapping={**b.mapping, **a.mapping},
    )
    if keep_ref:
        out.ref, out.title = b.ref or a.ref, b.title or a.title
    else:
        out.ref, out.title = a.ref or b.ref, a.title or b.title
    if a.enum is None:
        out.enum = b.enum
    elif b.enum is not None:
        out.enum = {k: v for k, v in a.enum.items() if k in b.enum}
    out.format = a.format or b.format
    out.pattern = a.pattern or b.pattern
    for keyword, value in b.bounds.items():
        current = out.bounds.get(keyword)
        if current is None:
            out.bounds[keyword] = value
        else:
            out.bounds[keyword] = (
                min(current, value) if keyword in UPPER_BOUNDS else max(current, value)
            )
    out.addl = a.addl or b.addl
    out.items = a.items or b.items
    out.alts = a.alts if a.alts is not None else b.alts
    out.discriminator = a.discriminator or b.discriminator
    out.read_only = a.read_only or b.read_only
    out.write_only = a.write_only or b.write_only
    return out


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def canon(value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return repr(value)
