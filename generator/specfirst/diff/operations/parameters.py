"""Parameters compared: removed, renamed, moved, added, required, defaults, schemas.

Parameters are matched by where and name (a header's name in any case; a path parameter by
its position in the template, so renaming the variable alone changes no URL and is only
``path-parameter-renamed``, info). One removed
and one added with the same name elsewhere, or the same schema under another name, is a
move or a rename. A removed query parameter breaks nobody unless the operation rejects
unknown ones (``x-specfirst-strict-query``); a value a client still sends is ignored.
Outside the body a value travels as text, so a scalar that became a plain string is wider.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specfirst.diff.context import Context
from specfirst.diff.rule import B, N, P, Rule
from specfirst.diff.schemas.views import canon
from specfirst.diff.side import PATH_VAR, OperationAt, Side
from specfirst.loader import Pointer

STRICT_QUERY = "x-specfirst-strict-query"

# The rules this module raises; a scalar that became a plain string is the facet rule
# request-type-widened (specfirst.diff.schemas.facets).
RULES: tuple[Rule, ...] = (
    Rule("parameter-removed", N, "query limit → (gone); undeclared query parameters are ignored"),
    Rule(
        "parameter-removed-strict",
        B,
        "query limit → (gone) with x-specfirst-strict-query: true (unknown ones are rejected)",
    ),
    Rule("parameter-renamed", P, "query limit → query max (optional: old name ignored)"),
    Rule("parameter-moved", P, "header X-Page → query X-Page (optional: old place ignored)"),
    Rule("required-parameter-added", B, "(none) → query team, required: true"),
    Rule("optional-parameter-added", N, "(none) → query team"),
    Rule("parameter-became-required", B, "query team required: false → required: true"),
    Rule("parameter-became-optional", N, "query team required: true → required: false"),
    Rule("path-parameter-renamed", N, "/tasks/{id} → /tasks/{task_id} (the same place)"),
    Rule("parameter-default-changed", P, "query per_page default: 30 → default: 100"),
)


def compare_parameters(ctx: Context, name: str, b: OperationAt, h: OperationAt) -> None:
    """The parameters of one operation (its own and its path item's) in both versions."""
    b_path, b_item, b_op, b_ptr = b
    h_path, h_item, h_op, h_ptr = h
    strict = bool(h_op.get(STRICT_QUERY, ctx.head.doc.get(STRICT_QUERY, False)))
    base = _params(ctx.base, b_path, b_item, b_op, b_ptr)
    head = _params(ctx.head, h_path, h_item, h_op, h_ptr)
    removed = [k for k in base if k not in head]
    added = [k for k in head if k not in base]
    for key in removed:
        param, pptr = base[key]
        label = f"{key[0]} parameter {param['name']!r}"
        same_name = [k for k in added if k[1].lower() == key[1].lower()]
        same_schema = [
            k
            for k in added
            if k[0] == key[0]
            and _canonical(ctx.base, param.get("schema"))
            == _canonical(ctx.head, head[k][0].get("schema"))
            and bool(head[k][0].get("required")) == bool(param.get("required"))
        ]
        where = f"{key[0]} {param['name']}"
        if same_name or same_schema:
            other = (same_name or same_schema)[0]
            added.remove(other)
            new, new_ptr = head[other]
            change = f"moved to {other[0]}" if same_name else f"was renamed to {new['name']!r}"
            if new.get("required"):
                ctx.add(
                    "required-parameter-added",
                    f"{label} {change}: clients sending it as before are rejected",
                    name,
                    where,
                    pptr,
                    new_ptr,
                )
            else:
                ctx.add(
                    "parameter-moved" if same_name else "parameter-renamed",
                    f"{label} {change}: a value sent as before is ignored",
                    name,
                    where,
                    pptr,
                    new_ptr,
                )
        elif key[0] == "query" and strict:
            ctx.add(
                "parameter-removed-strict",
                f"{label} was removed, and the operation rejects unknown query parameters"
                f" ({STRICT_QUERY})",
                name,
                where,
                pptr,
                None,
            )
        else:
            why = (
                "servers ignore undeclared headers"
                if key[0] == "header"
                else "a value clients still send is ignored"
            )
            ctx.add("parameter-removed", f"{label} was removed ({why})", name, where, pptr, None)
    for key in added:
        param, pptr = head[key]
        label = f"{key[0]} parameter {param['name']!r}"
        if not param.get("required"):
            rule, text = "optional-parameter-added", f"optional {label} was added"
        else:
            rule, text = (
                "required-parameter-added",
                f"required {label} was added{_default_note(ctx.head, param)}",
            )
        ctx.add(rule, text, name, f"{key[0]} {param['name']}", None, pptr)
    for key in base:
        if key not in head:
            continue
        b_param, b_pptr = base[key]
        h_param, h_pptr = head[key]
        label = f"{key[0]} parameter {h_param['name']!r}"
        where = f"{key[0]} {h_param['name']}"
        if key[0] == "path" and b_param["name"] != h_param["name"]:
            ctx.add(
                "path-parameter-renamed",
                f"path parameter {b_param['name']!r} was renamed to {h_param['name']!r} "
                "(the same place in the path: clients send the same URLs; generated code "
                "names the argument, and a derived method name, after it)",
                name,
                where,
                b_pptr,
                h_pptr,
            )
        if h_param.get("required") and not b_param.get("required"):
            text = f"{label} became required{_default_note(ctx.head, h_param)}"
            ctx.add("parameter-became-required", text, name, where, b_pptr, (*h_pptr, "required"))
        elif b_param.get("required") and not h_param.get("required") and key[0] != "path":
            ctx.add(
                "parameter-became-optional",
                f"{label} became optional",
                name,
                where,
                b_pptr,
                h_pptr,
            )
        b_default = _default(ctx.base, b_param)
        h_default = _default(ctx.head, h_param)
        if (
            b_default is not _MISSING
            and h_default is not _MISSING
            and canon(b_default) != canon(h_default)
            and not b_param.get("required")
        ):
            ctx.add(
                "parameter-default-changed",
                f"{label}: default {canon(b_default)} → {canon(h_default)}",
                name,
                where,
                b_pptr,
                h_pptr,
            )
        was = _became_text(ctx, b_param, b_pptr, h_param, h_pptr)
        if was:
            ctx.add(
                "request-type-widened",
                f"type {'|'.join(sorted(was))} → string: a {key[0]} parameter travels as"
                " text, so every value sent before is still accepted",
                name,
                where,
                (*b_pptr, "schema"),
                (*h_pptr, "schema"),
            )
            continue
        ctx.compare_schemas(
            name,
            where,
            "request",
            b_param.get("schema"),
            (*b_pptr, "schema"),
            h_param.get("schema"),
            (*h_pptr, "schema"),
        )


def _params(
    side: Side, path: str, item: Mapping[str, Any], op: Mapping[str, Any], ptr: Pointer
) -> dict[tuple[str, str], tuple[Mapping[str, Any], Pointer]]:
    merged: dict[tuple[str, str], tuple[Mapping[str, Any], Pointer]] = {}
    for source, base in ((item.get("parameters"), ptr[:-1]), (op.get("parameters"), ptr)):
        for index, raw in enumerate(source or []):
            param, pptr = side.resolve(raw, (*base, "parameters", index))
            if isinstance(param, Mapping) and isinstance(param.get("name"), str):
                where, name = str(param.get("in")), param["name"]
                if where == "path":
                    # Path parameters are matched by position: a rename of the template
                    # variable alone changes nothing for clients.
                    names = [m[1:-1] for m in PATH_VAR.findall(path)]
                    name = f"#{names.index(name)}" if name in names else name
                key = (where, name.lower() if where == "header" else name)
                merged[key] = (param, pptr)
    return merged


def _became_text(
    ctx: Context,
    b_param: Mapping[str, Any],
    b_pptr: Pointer,
    h_param: Mapping[str, Any],
    h_pptr: Pointer,
) -> frozenset[str] | None:
    """A scalar parameter (integer, number, boolean) that became an unconstrained string:
    the scalar types it had, else ``None``.

    Outside the body a value is text on the wire (``?repository_name=42``), so a plain
    string accepts every value the scalar did (GHES 3.12 → 3.13, repository_name).
    """
    if "schema" not in b_param or "schema" not in h_param:
        return None
    b = ctx.base.view(b_param["schema"], (*b_pptr, "schema"))
    h = ctx.head.view(h_param["schema"], (*h_pptr, "schema"))
    was = b.kind()
    plain = h.enum is None and h.pattern is None and h.format is None and not h.bounds
    if (
        was
        and was <= {"integer", "number", "boolean"}
        and b.alts is None
        and h.kind() == frozenset({"string"})
        and h.alts is None
        and plain
    ):
        return was
    return None


_MISSING = object()


def _default(side: Side, param: Mapping[str, Any]) -> Any:
    schema, _ = side.resolve(param.get("schema"), ())
    if isinstance(schema, Mapping) and "default" in schema:
        return schema["default"]
    return _MISSING


def _default_note(side: Side, param: Mapping[str, Any]) -> str:
    """A newly required parameter breaks clients even with a ``default``: clients written
    against the old version do not send it, and a required one may be refused when missing
    (GHES 2.19 → 2.18: a required preview ``Accept`` header with a default)."""
    if _default(side, param) is _MISSING:
        return ""
    return " (a default does not make it optional: clients written before do not send it)"


def _canonical(side: Side, schema: Any) -> str:
    resolved, _ = side.resolve(schema, ())
    return canon(resolved)
