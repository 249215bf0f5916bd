"""Rules on paths: their template parameters, and their shape (no trailing slash, no query).

Every ``{name}`` in a path is declared ``in: path``, ``required: true`` (the operation's own
parameters override the path item's), and every declared path parameter is in the template.
A path key ends without a slash and holds no query string or fragment: query parameters are
declared as parameters. No two path keys differ only in their parameters' names
(``/s/{dutyId}`` and ``/s/{scheduleId}``): OpenAPI calls such paths identical, and invalid. It
is a warning, not an error: the generated app serves them as one resource (signl4 declares
them), and ``specfirst validate`` does not refuse a vendor's spec for it. Two parameters with
nothing between them in one segment (``/{page}{ext}``) are split by the URL only where one of
them takes a list of values (``enum: [.json]``); otherwise ``path-segment-split`` warns (see
:mod:`specfirst.path_segments`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from specfirst.diagnostics import Level
from specfirst.lint.context import Context, Finding, Rule
from specfirst.path_segments import adjacent_pairs, choice_values

__all__ = ["RULES"]

_TEMPLATE_PARAM = re.compile(r"\{([^{}]+)\}")


def _path_parameters(ctx: Context) -> Iterator[Finding]:
    for o in ctx.path_operations:
        # a path key's query string (`/search?query={query}`) names query parameters
        template = _TEMPLATE_PARAM.findall(o.url.partition("?")[0].partition("#")[0])
        declared = {p["name"]: ptr for p, ptr in ctx.parameters(o) if p.get("in") == "path"}
        for name in template:
            if name not in declared:
                yield (
                    f"{o.label} does not declare path parameter {name!r}; add "
                    f"{{name: {name}, in: path, required: true}} to its parameters",
                    o.pointer,
                )
        for name, ptr in declared.items():
            if name not in template:
                yield f"{o.label} declares path parameter {name!r} that its path does not use", ptr
        for p, ptr in ctx.parameters(o):
            if p.get("in") == "path" and p.get("required") is not True:
                yield f"path parameter {p['name']!r} of {o.label} must be required: true", ptr


def _path_trailing_slash(ctx: Context) -> Iterator[Finding]:
    paths = ctx.doc.get("paths")
    for url in paths if isinstance(paths, dict) else ():
        if len(url) > 1 and url.endswith("/"):
            yield f"path {url!r} ends with a slash", ("paths", url)


def _path_query_string(ctx: Context) -> Iterator[Finding]:
    paths = ctx.doc.get("paths")
    for url in paths if isinstance(paths, dict) else ():
        if "?" in url or "#" in url:
            yield (
                f"path {url!r} holds a query string or fragment; declare query parameters instead",
                ("paths", url),
            )


def _path_equivalent(ctx: Context) -> Iterator[Finding]:
    paths = ctx.doc.get("paths")
    first: dict[str, str] = {}
    for url in paths if isinstance(paths, dict) else ():
        if not isinstance(url, str):
            continue
        same = first.setdefault(_TEMPLATE_PARAM.sub("{}", url), url)
        if same != url:
            yield (
                f"path {url!r} differs from {same!r} only in its parameters' names: one path "
                "to OpenAPI and to HTTP; declare their operations under one path key",
                ("paths", url),
            )


def _path_segment_split(ctx: Context) -> Iterator[Finding]:
    for o in ctx.path_operations:
        pairs = list(adjacent_pairs(o.url))
        if not pairs:
            continue
        listed: dict[str, bool] = {}
        for p, _ptr in ctx.parameters(o):
            if p.get("in") == "path":
                schema, _ = ctx.deref(p.get("schema"), ())
                style = p.get("style", "simple")
                listed[p["name"]] = (
                    isinstance(schema, dict)
                    and style == "simple"
                    and choice_values(schema) is not None
                )
        for first, second in pairs:
            if not listed.get(first) and not listed.get(second):
                yield (
                    f"{o.label}: path parameters {first!r} and {second!r} share a segment with "
                    "nothing between them, and neither is limited to a list of values (an "
                    f"enum): a URL cannot tell where {first!r} ends; the app gives it all it can "
                    f"and {second!r} the rest. Put a literal between them, or an enum on one",
                    o.pointer,
                )


RULES: tuple[Rule, ...] = (
    Rule(
        "path-parameters",
        Level.ERROR,
        "path parameters are declared, used and required",
        _path_parameters,
    ),
    Rule("path-trailing-slash", Level.WARNING, "no trailing slash in paths", _path_trailing_slash),
    Rule("path-query-string", Level.ERROR, "no query string in paths", _path_query_string),
    Rule(
        "path-equivalent",
        Level.WARNING,
        "no two paths differ only in their parameters' names",
        _path_equivalent,
    ),
    Rule(
        "path-segment-split",
        Level.WARNING,
        "two path parameters in one segment are told apart by the URL",
        _path_segment_split,
    ),
)
