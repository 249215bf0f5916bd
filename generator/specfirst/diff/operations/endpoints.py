"""Operations compared as a whole: removed, added, answering only 501, deprecated.

An operation is matched by method and path with its variables blanked, so renaming a path
variable moves nothing. A path whose every operation went is one ``path-removed``. An
operation whose only documented response is 501 Not Implemented counts as absent (see
``stubs``), and deprecating one without a sunset date (``x-sunset``) is worth a warning.
"""

from __future__ import annotations

from collections.abc import Mapping

from specfirst.diff.context import Context
from specfirst.diff.rule import B, N, P, Rule
from specfirst.diff.side import OperationAt

# The rules this module raises.
RULES: tuple[Rule, ...] = (
    Rule("path-removed", B, "paths: /pets/{id} → (gone)"),
    Rule("operation-removed", B, "DELETE /pets/{id} → (gone, GET stays)"),
    Rule("path-added", N, "(none) → paths: /toys"),
    Rule("operation-added", N, "(none) → PATCH /pets/{id}"),
    Rule("operation-implemented", N, "PATCH /pets/{id} answering only 501 → a real operation"),
    Rule("operation-unimplemented", B, "PATCH /pets/{id} → answers only 501 Not Implemented"),
    Rule("unimplemented-operation-removed", N, "PATCH /pets/{id} answering only 501 → (gone)"),
    Rule("deprecated-without-sunset", P, "deprecated: false → deprecated: true (no x-sunset)"),
    Rule("operation-deprecated", N, "deprecated: false → deprecated: true, x-sunset: 2027-01-01"),
)


def stubs(ops: Mapping[tuple[str, str], OperationAt]) -> set[tuple[str, str]]:
    """The operations whose only documented response is 501 Not Implemented.

    GitHub's per-release documents (as @octokit/openapi published them up to version 14)
    keep an endpoint a release lacks as such a placeholder ("This endpoint does not exist in
    GitHub Enterprise Server 3.4. It was added in 3.5"). No client can depend on one, so it
    counts as absent: implementing it later, or dropping it, breaks nobody.
    """
    out = set()
    for key, (_path, _item, op, _ptr) in ops.items():
        responses = op.get("responses")
        if isinstance(responses, Mapping) and responses and set(map(str, responses)) == {"501"}:
            out.add(key)
    return out


def compare_endpoints(
    ctx: Context,
    base_ops: Mapping[tuple[str, str], OperationAt],
    head_ops: Mapping[tuple[str, str], OperationAt],
    base_stubs: set[tuple[str, str]],
    head_stubs: set[tuple[str, str]],
) -> None:
    """Operations and paths removed, added, implemented or left answering only 501."""
    base_paths = {key[1] for key in base_ops if key not in base_stubs}
    head_paths = {key[1] for key in head_ops if key not in head_stubs}
    for key, (path, _item, _op, ptr) in base_ops.items():
        name = f"{key[0].upper()} {path}"
        if key in base_stubs:
            # Nothing could call it before, so whatever it became breaks no client.
            if key not in head_ops:
                message = f"{name}, which answered only 501 Not Implemented, was removed"
                ctx.add("unimplemented-operation-removed", message, name, "", ptr, None)
            elif key not in head_stubs:
                message = f"{name} was implemented (it answered only 501 Not Implemented)"
                ctx.add("operation-implemented", message, name, "", None, head_ops[key].ptr)
            continue
        if key in head_stubs:
            message = f"{name} now answers only 501 Not Implemented"
            ctx.add("operation-unimplemented", message, name, "", ptr, head_ops[key].ptr)
            continue
        if key in head_ops:
            continue
        if key[1] not in head_paths:
            ctx.add("path-removed", f"path {path} was removed", name, "", ptr[:2], None)
        else:
            ctx.add("operation-removed", f"{name} was removed", name, "", ptr, None)
    for key, (path, _item, _op, ptr) in head_ops.items():
        if key not in base_ops:
            name = f"{key[0].upper()} {path}"
            rule = "path-added" if key[1] not in base_paths else "operation-added"
            ctx.add(rule, f"{name} was added", name, "", None, ptr)


def compare_deprecation(ctx: Context, name: str, b: OperationAt, h: OperationAt) -> None:
    if h.op.get("deprecated") and not b.op.get("deprecated"):
        sunset = any(k in h.op for k in ("x-sunset", "x-sunset-date"))
        ctx.add(
            "operation-deprecated" if sunset else "deprecated-without-sunset",
            "the operation was deprecated"
            + (" (with a sunset date)" if sunset else " without a sunset date (x-sunset)"),
            name,
            "",
            None,
            (*h.ptr, "deprecated"),
        )
