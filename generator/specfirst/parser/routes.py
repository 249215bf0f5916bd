"""Routes: the path an operation is served at, as Starlette matches it.

A path template's variables become the handler's Python names (an undeclared one is received
as a string; a repeated one is passed once); a fragment is dropped, since clients never send
one; a query string in a path key (``/rest?method=get``) becomes a fixed query the request
must carry, but for a pair whose value is a template (``/search?query={query}``): that names a
query parameter, declared as such. A parameter that shares a segment with another, nothing
between them, and takes a list of values gets a path convertor of them (``{ext:choice_…}``,
:mod:`specfirst.path_segments`). :func:`warn_shadowed` finds operations another one answers for.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

from specfirst import naming
from specfirst.diagnostics import Level
from specfirst.ir import Operation, Parameter, ParamLocation, Service
from specfirst.loader import Pointer, resolve_pointer
from specfirst.parser.context import Context
from specfirst.parser.parameters import param_schema
from specfirst.path_segments import adjacent_pairs, choice_values, convertor_name

PATH_VAR = re.compile(r"{([^{}]+)}")
# a route's template, its name left out and its convertor kept: ``{ext:choice_…}`` -> ``{:choice_…}``
_UNNAMED = re.compile(r"{[^{}:]+(:[^{}]*)?}")


@dataclass(frozen=True, slots=True)
class Route:
    """Where an operation is served, and the parameters its path gives it."""

    path: str  # the Starlette route: ``/projects/{project_id}/tasks``
    query: tuple[tuple[str, str], ...]  # the fixed query a path key carries
    parameters: tuple[Parameter, ...]  # undeclared path variables added, unserved ones left out
    # path convertors the route names (``{ext:choice_…}``): name -> the texts it matches
    convertors: tuple[tuple[str, tuple[str, ...]], ...] = ()


def read_route(
    ctx: Context, path: str, params: list[Parameter], ptr: Pointer, taken: set[str]
) -> Route:
    """The route of the operation at ``path`` whose declared parameters are ``params``.

    ``taken``: the Python names already used in the handler's signature (grows)."""
    # A fragment is never sent: AutoRest's "/{tenantID}/{nextLink}#Users_ListNext" tells
    # operations on one path apart in the document only, and is served at the path.
    served, _, fragment = path.partition("#")
    if fragment:
        ctx.warn(
            "unsupported",
            f"path {path!r} carries a fragment, which clients never send: the "
            f"operation is served at {served.partition('?')[0]!r}",
            ptr,
            Level.INFO,
        )
    declared = {p.name: p for p in params if p.location is ParamLocation.PATH}
    path_only, _, fixed_query = served.partition("?")
    for var in PATH_VAR.findall(path_only):
        if var not in declared:
            ctx.warn(
                "path-parameter",
                f"path parameter {var!r} is not declared; received as a string",
                ptr,
            )
            p = Parameter(
                var,
                naming.unique(naming.snake(var), taken),
                ParamLocation.PATH,
                True,
                "str",
                None,
                (),
                None,
                False,
                False,
                "simple",
                ptr,
            )
            params.insert(0, p)
            declared[var] = p
    seen_vars: set[str] = set()
    kinds = _choice_convertors(ctx, path_only, declared)

    def route_var(match: re.Match[str]) -> str:
        var = match.group(1)
        py = declared[var].py_name
        kind = kinds.get(var)
        suffix = f":{kind[0]}" if kind else ""
        if var in seen_vars:
            # Starlette cannot capture one name twice: later copies get their own.
            return "{" + naming.unique(f"{py}_again", seen_vars) + suffix + "}"
        seen_vars.add(var)
        return "{" + py + suffix + "}"

    # `?query={query}` (medium.com) names a query parameter: it is not a fixed pair
    pairs = urllib.parse.parse_qsl(fixed_query, keep_blank_values=True)
    route_query = tuple((key, value) for key, value in pairs if not PATH_VAR.fullmatch(value))
    if len(route_query) < len(pairs):
        fixed_query = urllib.parse.urlencode(route_query)
    if route_query:
        ctx.warn(
            "unsupported",
            f"path {path!r} carries a query string: the operation is served at "
            f"{path_only!r} for requests whose query has {fixed_query!r}",
            ptr,
            Level.INFO,
        )
    route_path = PATH_VAR.sub(route_var, path_only)
    if len(set(PATH_VAR.findall(path_only))) < len(PATH_VAR.findall(path_only)):
        ctx.warn(
            "unsupported",
            f"path template {path!r} repeats a parameter; only its first "
            "occurrence is passed to the operation",
            ptr,
            Level.INFO,
        )
    served_params = tuple(
        p for p in params if p.location is not ParamLocation.PATH or "{" + p.name + "}" in path_only
    )
    convertors = tuple(sorted(dict(kinds.values()).items()))
    return Route(route_path, route_query, served_params, convertors)


def _choice_convertors(
    ctx: Context, path: str, declared: dict[str, Parameter]
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The path convertor (name, texts) of each parameter of ``path`` that shares a segment
    with another, nothing between them, and takes only a list of values
    (:mod:`specfirst.path_segments`)."""
    kinds: dict[str, tuple[str, tuple[str, ...]]] = {}
    for pair in adjacent_pairs(path):
        for var in pair:
            p = declared.get(var)
            if var in kinds or p is None or p.styled or p.shape != "primitive":
                continue
            found, param = resolve_pointer(ctx.doc, p.pointer)
            if not found or not isinstance(param, Mapping):
                continue
            schema, _, content_type = param_schema(param, p.pointer)
            values = None if content_type else choice_values(ctx.resolve_schema(schema))
            if values is not None:
                kinds[var] = (convertor_name(values), values)
    return kinds


def warn_shadowed(ctx: Context, services: list[Service]) -> None:
    """Warn about operations another one answers for: same method, route and fixed query.

    Path keys that differ only in a fragment (or in the names of their parameters) are one
    route; the app tries routes in service order, so the first operation takes every request.
    """
    first: dict[tuple[str, str, tuple[tuple[str, str], ...]], Operation] = {}
    for service in services:
        for op in service.operations:
            key = (op.method, _UNNAMED.sub(r"{\1}", op.route_path), op.route_query)
            winner = first.setdefault(key, op)
            if winner is not op:
                ctx.warn(
                    "unreachable-operation",
                    f"{op.method.upper()} {op.path!r} ({op.operation_id!r}) is served by "
                    f"{winner.operation_id!r} ({winner.path!r}), which takes the same "
                    "requests; this operation is never called",
                    op.pointer,
                )
