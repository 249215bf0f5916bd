"""The children of an object or array schema, compared: properties, items, additional ones.

A property removed from a response breaks a client that reads it (so does an array that
became an object: its items' properties are named as removed); from a request it is
ignored, unless unknown properties are rejected (``additionalProperties: false``). A
property that became required breaks requests; one no longer always present breaks
responses. A readOnly property is no part of a request, nor a writeOnly one of a response:
their changes there are not compared. Each child present on both sides is compared again through ``compare``, its
field path prefixed (``.name``, ``[]`` for items, ``.*`` for additional properties).
"""

from __future__ import annotations

from specfirst.diff.rule import B, N, Rule
from specfirst.diff.schemas.change import Change, Comparison, at, prefix
from specfirst.diff.schemas.views import View
from specfirst.loader import Pointer

# The rules this module raises.
RULES: tuple[Rule, ...] = (
    Rule("request-property-removed", N, "request {a, b} → {a}: a client still sending b is fine"),
    Rule(
        "request-property-removed-strict",
        B,
        "request {a, b} → {a} with additionalProperties: false",
    ),
    Rule("request-property-added", N, "request {a} → {a, b}"),
    Rule("request-required-property-added", B, "request {a} → {a, b}, required: [b]"),
    Rule("request-property-became-required", B, "request required: [] → required: [b]"),
    Rule(
        "request-additional-properties-rejected",
        B,
        "request additionalProperties: (true) → additionalProperties: false",
    ),
    Rule("response-property-removed", B, "response {id, name} → {id}"),
    Rule("response-property-added", N, "response {id} → {id, name}"),
    Rule("response-property-became-optional", B, "response required: [id] → required: []"),
)


def compare_properties(
    ctx: Comparison, direction: str, b: View, h: View, out: list[Change]
) -> None:
    """The changes of ``b``'s properties, items and additional properties to ``h``'s."""
    request = direction == "request"

    def note(id: str, text: str, b_ptr: Pointer, h_ptr: Pointer, path: str) -> None:
        out.append((id, at(b, h, text), b_ptr, h_ptr, path))

    for prop, (b_raw, b_pptr) in b.props.items():
        if prop not in h.props:
            if not request:
                rule, why = "response-property-removed", ""
            elif h.closed:
                rule, why = "request-property-removed-strict", ", and unknown ones are rejected"
            else:
                rule, why = "request-property-removed", " (a value still sent is ignored)"
            note(rule, f"property {prop!r} was removed{why}", b_pptr, h.ptr, "." + prop)
            continue
        h_raw, h_pptr = h.props[prop]
        bv, hv = ctx.base.view(b_raw, b_pptr), ctx.head.view(h_raw, h_pptr)
        if request and prop in h.required - b.required and not hv.read_only:
            rule, text = "request-property-became-required", "became required"
            note(rule, f"property {prop!r} {text}", b.ptr, h.ptr, "." + prop)
        if not request and prop in b.required - h.required and not bv.write_only:
            rule, text = "response-property-became-optional", "is no longer always present"
            note(rule, f"property {prop!r} {text}", b.ptr, h.ptr, "." + prop)
        # A readOnly property is not part of a request (clients were told not to send it,
        # servers ignore it), nor a writeOnly one part of a response: its changes there
        # reach no client.
        if (bv.read_only or hv.read_only) if request else (bv.write_only or hv.write_only):
            continue
        out.extend(prefix(ctx.compare(direction, bv, hv), "." + prop))
    for prop, (h_raw, h_pptr) in h.props.items():
        if prop in b.props:
            continue
        if request and prop in h.required and not ctx.head.view(h_raw, h_pptr).read_only:
            rule, text = "request-required-property-added", f"required property {prop!r}"
        else:
            rule, text = f"{direction}-property-added", f"property {prop!r}"
        note(rule, f"{text} was added", b.ptr, h_pptr, "." + prop)
    if request and h.closed and not b.closed and b.props:
        rule = "request-additional-properties-rejected"
        note(rule, "unknown properties are now rejected", b.ptr, h.ptr, "")
    kind = h.kind()
    if not request and b.items and not h.items and kind and "array" not in kind:
        # An array became an object (or another non-array): what clients read from its
        # items is gone too, so each of their fields is named (the type change itself is
        # a facet finding).
        became = "an object" if kind == {"object"} else "|".join(sorted(kind))
        for prop, (_raw, b_pptr) in ctx.base.view(*b.items).props.items():
            text = f"property {prop!r} of the items was removed (the array became {became})"
            note("response-property-removed", text, b_pptr, h.ptr, "[]." + prop)
    for b_sub, h_sub, segment in ((b.items, h.items, "[]"), (b.addl, h.addl, ".*")):
        if b_sub and h_sub:
            found = ctx.compare(direction, ctx.base.view(*b_sub), ctx.head.view(*h_sub))
            out.extend(prefix(found, segment))
