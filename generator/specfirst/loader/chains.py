"""Chains of ``$ref``s to ``$ref``s: each measured once (linear time), refused past a limit.

Every step after loading follows a ``$ref`` whose target is itself a ``$ref`` to the end of
the chain: validation (openapi-spec-validator recursing once per hop), lint, the parser, diff
and docs. A chain of thousands of hops made each of them quadratic, and the validator's
recursion end in a ``RecursionError``. No real document needs more than a few hops, so a chain
longer than :data:`MAX_REF_CHAIN` is refused when the document is loaded, where every command
starts, and everything after follows at most that many hops per ``$ref``.

:func:`ref_chain_lengths` follows each distinct ``$ref`` string once: a walk stops at a ref
already measured, so the whole document costs one resolution per distinct ref.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from specfirst.diagnostics import Diagnostic, Level, Location
from specfirst.loader.pointers import (
    Pointer,
    iter_ref_strings,
    iter_refs,
    ref_pointer,
    resolve_pointer,
)

MAX_REF_CHAIN = 32
"""How many ``$ref``s a chain of refs-to-refs may take to reach content (a loop counts its refs)."""


def _next_ref(doc: Any, ref: str) -> str | None:
    """The internal ``$ref`` at what ``ref`` names, or None (content, or nothing there)."""
    found, node = resolve_pointer(doc, ref_pointer(ref))
    if found and isinstance(node, dict):
        nxt = node.get("$ref")
        if isinstance(nxt, str) and nxt.startswith("#"):
            return nxt
    return None


def ref_chain_lengths(
    doc: Any, refs: list[str], step: Callable[[Any, str], str | None] = _next_ref
) -> dict[str, int]:
    """For each internal ref: how many distinct refs are followed from it, itself included,
    until content, a missing target or a ref already followed (a loop: its refs each count).

    ``step`` is called once per distinct ref string, whatever the chains' shape.
    """
    length: dict[str, int] = {}
    for start in refs:
        if start in length or not start.startswith("#"):
            continue
        path: list[str] = []
        index: dict[str, int] = {}
        current: str | None = start
        while current is not None and current not in length and current not in index:
            index[current] = len(path)
            path.append(current)
            current = step(doc, current)
        if current is not None and current in index:  # a loop: each of its refs follows all
            loop = path[index[current] :]
            for ref in loop:
                length[ref] = len(loop)
            path = path[: index[current]]
            after = len(loop)
        else:
            after = length.get(current, 0) if current is not None else 0
        for ref in reversed(path):
            after += 1
            length[ref] = after
    return length


def long_ref_chains(
    doc: Any, locate: Callable[[Pointer], Location], refs: list[str] | None = None
) -> list[Diagnostic]:
    """A located error for every chain of ``$ref``s longer than :data:`MAX_REF_CHAIN`.

    Each is reported where it starts: at a ``$ref`` no other ref points at (a loop with no
    such ref: at its first ``$ref`` in the document). ``refs``: ``doc``'s ``$ref`` strings
    in order, when found already.
    """
    if refs is None:  # pointers only when there is an error to locate
        refs = list(iter_ref_strings(doc))
    lengths = ref_chain_lengths(doc, refs)
    if not lengths or max(lengths.values()) <= MAX_REF_CHAIN:
        return deep_ref_nesting(doc, refs, locate)
    found = list(iter_refs(doc))
    targets = {ref_pointer(ref) for ref in lengths}
    too_long = [(p, ref) for p, ref in found if lengths.get(ref, 0) > MAX_REF_CHAIN]
    heads = [(p, ref) for p, ref in too_long if tuple(map(str, p)) not in targets]
    return [
        Diagnostic(
            Level.ERROR,
            "ref-chain-too-long",
            f"$ref {ref!r} starts a chain of {lengths[ref]:,} $refs to $refs, more than the "
            f"{MAX_REF_CHAIN} specfirst follows; refer to the schema that has the content",
            locate((*pointer, "$ref")),
        )
        for pointer, ref in (heads or too_long[:1])
    ]


MAX_REF_NESTING = 256
"""How deep schemas may nest through ``$ref``s (A has a property that is a ``$ref`` to B, which
has one to C, ...): openapi-spec-validator recurses once per level, and runs out of stack
between 300 and 500."""


def ref_nesting_depths(doc: Any, refs: list[str]) -> dict[str, int]:
    """For each internal ref: the longest run of nested ``$ref``s from it (itself included),
    each target walked once; a ref back into the run being measured ends it (a recursive
    schema is one level per distinct ref)."""
    inner: dict[str, list[str]] = {}

    def children(ref: str) -> list[str]:
        found = inner.get(ref)
        if found is None:
            ok, node = resolve_pointer(doc, ref_pointer(ref))
            found = (
                list(dict.fromkeys(r for r in iter_ref_strings(node) if r.startswith("#")))
                if ok
                else []
            )
            inner[ref] = found
        return found

    depth: dict[str, int] = {}
    for start in refs:
        if start in depth or not start.startswith("#"):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        open_refs = {start}
        while stack:
            ref, i = stack[-1]
            kids = children(ref)
            if i < len(kids):
                stack[-1] = (ref, i + 1)
                kid = kids[i]
                if kid not in depth and kid not in open_refs:
                    stack.append((kid, 0))
                    open_refs.add(kid)
                continue
            stack.pop()
            open_refs.discard(ref)
            depth[ref] = 1 + max((depth.get(k, 0) for k in kids), default=0)
    return depth


def deep_ref_nesting(
    doc: Any, refs: list[str], locate: Callable[[Pointer], Location]
) -> list[Diagnostic]:
    """A located error at the first ``$ref`` that leads deepest, when that is past the limit."""
    depths = ref_nesting_depths(doc, refs)
    deepest = max(depths.values(), default=0)
    if deepest <= MAX_REF_NESTING:
        return []
    pointer, ref = next((p, r) for p, r in iter_refs(doc) if depths.get(r) == deepest)
    return [
        Diagnostic(
            Level.ERROR,
            "ref-nesting-too-deep",
            f"$ref {ref!r} leads through {deepest:,} levels of schemas nested by $ref, more "
            f"than the {MAX_REF_NESTING} specfirst follows; flatten the structure",
            locate((*pointer, "$ref")),
        )
    ]
