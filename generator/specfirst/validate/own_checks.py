"""The project's own checks: what the library does not check, or cannot locate.

- ``unresolved-ref``: a ``$ref`` that names nothing, or a loop of bare ``$ref``s;
- ``duplicate-operation-id``: reported at every operation that shares it;
- ``path-parameter``: every ``{name}`` of a path template declared ``in: path``, and no other;
- ``tag-parent``: OpenAPI 3.2's tag ``parent`` names a declared tag, and parents never loop.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from specfirst.diagnostics import Diagnostic, Level
from specfirst.loader import (
    Pointer,
    SourceSpec,
    iter_refs,
    path_item_operations,
    ref_pointer,
    resolve_pointer,
)


def _check_refs(spec: SourceSpec) -> Iterator[Diagnostic]:
    doc = spec.document
    # each distinct ref string is resolved once (GitHub's spec: 9,629 refs, 1,905 distinct);
    # the pointers are walked for only when one of them is wrong, to locate it
    problems: dict[str, str | None] = {}
    for ref in spec.ref_strings():
        if ref not in problems:
            problems[ref] = _ref_problem(doc, ref)
    if not any(problems.values()):
        return
    for pointer, ref in iter_refs(doc):
        message = problems[ref]
        if message is not None:
            yield Diagnostic(
                Level.ERROR, "unresolved-ref", message, spec.locate((*pointer, "$ref"))
            )


def _ref_problem(doc: Any, ref: str) -> str | None:
    """What is wrong with ``ref`` (an error message), or None."""
    if not ref.startswith("#"):
        return f"$ref {ref!r} is not internal after bundling"
    found, target = resolve_pointer(doc, ref_pointer(ref))
    if not found:
        return f"$ref {ref!r} points to nothing"
    if isinstance(target, dict) and isinstance(target.get("$ref"), str):
        loop = _ref_loop(doc, ref)
        if loop is not None:
            return f"$ref {ref!r} never reaches content: {' -> '.join(loop)}"
    return None


def _ref_loop(doc: Any, ref: str) -> list[str] | None:
    """The chain of refs from ``ref`` when it comes back to itself through bare ``$ref``s."""
    chain = [ref]
    while True:
        found, target = resolve_pointer(doc, ref_pointer(chain[-1]))
        nxt = target.get("$ref") if found and isinstance(target, dict) else None
        if not isinstance(nxt, str) or not nxt.startswith("#"):
            return None
        if nxt in chain:
            return [*chain, nxt]
        chain.append(nxt)


def _deref(doc: Any, node: Any, pointer: Pointer) -> tuple[Any, Pointer]:
    """Follow internal $refs from node; returns the content and where it is."""
    for _ in range(50):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#"):
            break
        target = ref_pointer(ref)
        if not resolve_pointer(doc, target)[0]:
            break
        pointer, node = target, resolve_pointer(doc, target)[1]
    return node, pointer


def _operations(spec: SourceSpec) -> Iterator[tuple[str, str, Pointer, dict[str, Any], Any]]:
    """(path, method, pointer, operation, path item) for every operation under paths/webhooks."""
    doc = spec.document
    for section in ("paths", "webhooks"):
        items = doc.get(section)
        if not isinstance(items, dict):
            continue
        for url, raw_item in items.items():
            item, _ = _deref(doc, raw_item, (section, url))
            if not isinstance(item, dict):
                continue
            for method, rel, op in path_item_operations(item):
                yield str(url), method, (section, url, *rel), op, item


def _check_operation_ids(spec: SourceSpec) -> Iterator[Diagnostic]:
    seen: dict[str, list[tuple[str, Pointer]]] = {}
    for url, method, pointer, op, _ in _operations(spec):
        op_id = op.get("operationId")
        if isinstance(op_id, str):
            seen.setdefault(op_id, []).append((f"{method.upper()} {url}", pointer))
    for op_id, uses in seen.items():
        if len(uses) < 2:
            continue
        for label, pointer in uses:
            others = ", ".join(other for other, _ in uses if other != label)
            yield Diagnostic(
                Level.ERROR,
                "duplicate-operation-id",
                f"operationId {op_id!r} of {label} is also used by {others}",
                spec.locate((*pointer, "operationId")),
            )


_TEMPLATE_PARAM = re.compile(r"\{([^{}]+)\}")


def _path_params(spec: SourceSpec, params: Any, pointer: Pointer) -> Iterable[tuple[str, Pointer]]:
    if not isinstance(params, list):
        return []
    found = []
    for i, raw in enumerate(params):
        param, _ = _deref(spec.document, raw, (*pointer, i))
        if (
            isinstance(param, dict)
            and param.get("in") == "path"
            and isinstance(param.get("name"), str)
        ):
            found.append((param["name"], (*pointer, i)))
    return found


def _check_path_parameters(spec: SourceSpec) -> Iterator[Diagnostic]:
    doc = spec.document
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return
    for url, raw_item in paths.items():
        item, _ = _deref(doc, raw_item, ("paths", url))
        if not isinstance(item, dict):
            continue
        # A path key may carry a query string (`/search?q={q}`): only its path has parameters.
        template = set(_TEMPLATE_PARAM.findall(str(url).partition("?")[0].partition("#")[0]))
        item_params = list(_path_params(spec, item.get("parameters"), ("paths", url, "parameters")))
        for name, pointer in item_params:
            if name not in template:
                yield _extra_path_param(spec, name, str(url), pointer)
        for method, rel, op in path_item_operations(item):
            op_pointer: Pointer = ("paths", url, *rel)
            op_params = list(_path_params(spec, op.get("parameters"), (*op_pointer, "parameters")))
            for name, pointer in op_params:
                if name not in template:
                    yield _extra_path_param(spec, name, str(url), pointer)
            declared = {name for name, _ in item_params} | {name for name, _ in op_params}
            for name in sorted(template - declared):
                yield Diagnostic(
                    Level.ERROR,
                    "path-parameter",
                    f"{method.upper()} {url} does not declare path parameter {name!r}; add "
                    f"{{name: {name}, in: path, required: true}} to its parameters",
                    spec.locate(op_pointer),
                )


def _check_tag_parents(spec: SourceSpec) -> Iterator[Diagnostic]:
    """OpenAPI 3.2 tag ``parent``: it names a declared tag, and parents never loop.

    openapi-spec-validator checks the same but reports at ``tags``; here each finding points
    at the ``parent`` that is wrong (its own messages are skipped in the keyword pass)."""
    tags = spec.document.get("tags")
    if not isinstance(tags, list):
        return
    parents: dict[str, str] = {}
    where: dict[str, Pointer] = {}
    for index, tag in enumerate(tags):
        if isinstance(tag, dict) and isinstance(tag.get("name"), str):
            where[tag["name"]] = ("tags", index)
            if isinstance(tag.get("parent"), str):
                parents[tag["name"]] = tag["parent"]
    for name, parent in parents.items():
        pointer = (*where[name], "parent")
        if parent not in where:
            yield Diagnostic(
                Level.ERROR,
                "tag-parent",
                f"tag {name!r} names parent {parent!r}, which is not a declared tag",
                spec.locate(pointer),
            )
            continue
        chain = [name]
        current = parent
        while current in parents and current not in chain:
            chain.append(current)
            current = parents[current]
        if current in chain:
            loop = " -> ".join([*chain[chain.index(current) :], current])
            yield Diagnostic(
                Level.ERROR,
                "tag-parent",
                f"tag parents form a loop: {loop}",
                spec.locate(pointer),
            )


def _extra_path_param(spec: SourceSpec, name: str, url: str, pointer: Pointer) -> Diagnostic:
    return Diagnostic(
        Level.ERROR,
        "path-parameter",
        f"path parameter {name!r} is not in the path template {url!r}",
        spec.locate(pointer),
    )
