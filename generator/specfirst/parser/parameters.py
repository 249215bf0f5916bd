"""Parameters: path, query, header and cookie, as the handler receives them.

Path-item and operation parameters merge (the operation's win); each gets a Python name, a
type (a primitive, a union of primitives, a model, or ``dict[str, Any]`` for an object), its
default and constraints, and its style. Pass 1 uses :func:`raw_parameters`,
:func:`param_schema` and :func:`primitive_union` to decide which parameter schemas need a model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specfirst import naming
from specfirst.diagnostics import Level
from specfirst.ir import Constraint, FormatChoice, Parameter, ParamLocation
from specfirst.loader import Pointer
from specfirst.parser.context import Context
from specfirst.parser.model_types import SchemaTypes
from specfirst.schema_types import (
    checked_format,
    constraints,
    declared_types,
    default_literal,
    is_simple,
    primitive_type,
)

# Request headers the spec cannot redefine (OpenAPI 3: "ignored" parameter names).
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})


def read_parameters(
    ctx: Context,
    types: SchemaTypes,
    item: Mapping[str, Any],
    op: Mapping[str, Any],
    ptr: Pointer,
    taken: set[str],
) -> list[Parameter]:
    """An operation's parameters as the handler receives them, path first, required first.

    ``taken``: the Python names already used in the handler's signature (grows)."""
    merged = raw_parameters(ctx, item, op, ptr)
    result: list[Parameter] = []
    query_names = {name for (where, name) in merged if where == "query"}
    for (where, name), (param, pptr) in merged.items():
        try:
            location = ParamLocation(where)
        except ValueError:
            ctx.warn("unsupported", f"parameter location {where!r} of {name!r}", pptr)
            continue
        if location is ParamLocation.HEADER and name.lower() in _IGNORED_HEADERS:
            continue
        schema, sptr, content_type = param_schema(param, pptr)
        resolved = ctx.resolve_schema(schema)
        shape = param_shape(ctx, resolved)
        item_checks: tuple[Constraint, ...] = ()
        fmt = value_format(ctx, resolved) if content_type is None else None
        if shape == "array" and content_type is None:
            items = ctx.resolve_schema(resolved.get("items"))
            item_checks = constraints(items, openapi_31=ctx.openapi_31)
            fmt = value_format(ctx, items)
            if param_shape(ctx, items) == "array":
                ctx.warn(
                    "unsupported",
                    f"{where} parameter {name!r} is an array of arrays, which no "
                    "parameter style can carry; it is not passed to the handler",
                    pptr,
                )
                continue
        union = primitive_union(ctx, resolved) if shape == "primitive" else None
        if union is not None:
            py_type = union
        else:
            py_type = types.schema_type(
                schema if isinstance(schema, Mapping) else {}, sptr, "Request"
            )
            if py_type.startswith("models.") and is_simple(resolved):
                resolved_type = primitive_type(resolved, types.ref_type("Request"))
                py_type = resolved_type if resolved_type != "Any" else py_type
        if py_type in ("Any", "bytes") or (py_type.startswith("dict[") and shape != "object"):
            py_type = "str"
        if shape == "object" and py_type in ("Any", "str"):
            py_type = "dict[str, Any]"
        required = bool(param.get("required")) or location is ParamLocation.PATH
        default = None if location is ParamLocation.PATH else default_literal(resolved, py_type)
        if default == "None":
            default = None
        if location is ParamLocation.PATH and "| None" in py_type:
            py_type = py_type.replace(" | None", "")
        py_name = naming.unique(naming.snake(name), taken)
        style = str(
            param.get("style")
            or ("form" if location in (ParamLocation.QUERY, ParamLocation.COOKIE) else "simple")
        )
        explode = bool(param.get("explode", style == "form"))
        if style == "deepObject" and shape != "object":
            shape = "object"
            if not py_type.startswith(("models.", "dict[")):
                py_type = "dict[str, Any]"
        if (
            location is ParamLocation.QUERY
            and shape == "object"
            and style == "form"
            and explode
            and content_type is None
            and len(query_names) > 1
            and not py_type.startswith("models.")
        ):
            ctx.warn(
                "unsupported",
                f"query parameter {name!r} is a free-form object exploded into the query: "
                "it receives every query key the operation does not declare",
                pptr,
                Level.INFO,
            )
        allow_empty = (
            location is ParamLocation.QUERY
            and param.get("allowEmptyValue") is True
            and content_type is None
            and (shape == "array" or (shape == "primitive" and py_type != "str"))
        )
        if allow_empty and required and shape == "primitive" and "| None" not in py_type:
            py_type = f"{py_type} | None"  # an empty value of a required parameter: None
        result.append(
            Parameter(
                name=name,
                py_name=py_name,
                location=location,
                required=required,
                py_type=py_type,
                default=default,
                constraints=constraints(resolved, openapi_31=ctx.openapi_31),
                description=param.get("description")
                if isinstance(param.get("description"), str)
                else None,
                deprecated=bool(param.get("deprecated")),
                explode=explode,
                style=style,
                pointer=pptr,
                shape=shape,
                union=union is not None,
                content_type=content_type,
                item_constraints=item_checks,
                allow_empty=allow_empty,
                checked_format=fmt if shape != "object" else None,
            )
        )
    order = {
        ParamLocation.PATH: 0,
        ParamLocation.QUERY: 1,
        ParamLocation.QUERYSTRING: 1,
        ParamLocation.HEADER: 2,
        ParamLocation.COOKIE: 3,
    }
    result.sort(key=lambda p: (order[p.location], not p.required))
    return result


def raw_parameters(
    ctx: Context, item: Mapping[str, Any], op: Mapping[str, Any], ptr: Pointer
) -> dict[tuple[str, str], tuple[Mapping[str, Any], Pointer]]:
    """Path-item and operation parameters, the operation's overriding by (in, name)."""
    merged: dict[tuple[str, str], tuple[Mapping[str, Any], Pointer]] = {}
    item_ptr = ptr[:-1]
    for source, base in ((item.get("parameters"), item_ptr), (op.get("parameters"), ptr)):
        for index, raw in enumerate(source if isinstance(source, list) else []):
            param, pptr = ctx.deref(raw, (*base, "parameters", index))
            if isinstance(param, Mapping) and isinstance(param.get("name"), str):
                merged[(str(param.get("in")), param["name"])] = (param, pptr)
    return merged


def param_schema(param: Mapping[str, Any], pptr: Pointer) -> tuple[Any, Pointer, str | None]:
    """The parameter's schema, its pointer, and the media type of a ``content`` parameter."""
    content = param.get("content")
    if "schema" not in param and isinstance(content, Mapping) and content:
        media, media_obj = next(iter(content.items()))
        schema = media_obj.get("schema") if isinstance(media_obj, Mapping) else None
        return schema or {}, (*pptr, "content", media, "schema"), str(media)
    return param.get("schema") or {}, (*pptr, "schema"), None


def param_shape(ctx: Context, schema: Mapping[str, Any]) -> str:
    types = declared_types(schema)
    if "array" in types:
        return "array"
    if (
        "object" in types
        or "properties" in schema
        or "additionalProperties" in schema
        or "patternProperties" in schema
    ):
        return "object"
    parts = schema.get("allOf")
    if isinstance(parts, list) and any(
        param_shape(ctx, ctx.resolve_schema(p)) == "object" for p in parts
    ):
        return "object"
    # a oneOf/anyOf whose members all have one shape (shutterstock's arrays of two formats)
    members = schema.get("oneOf") or schema.get("anyOf")
    if isinstance(members, list) and members:
        shapes = {param_shape(ctx, ctx.resolve_schema(m)) for m in members}
        if len(shapes) == 1:
            return shapes.pop()
    return "primitive"


def primitive_union(ctx: Context, schema: Mapping[str, Any]) -> str | None:
    """``int | str`` for a ``oneOf``/``anyOf`` of primitive schemas (GitHub's path ids)."""
    members = schema.get("oneOf") or schema.get("anyOf")
    if not isinstance(members, list) or not members or "properties" in schema:
        return None
    types: list[str] = []
    for member in members:
        resolved = ctx.resolve_schema(member)
        if not resolved or not is_simple(resolved):
            return None
        if declared_types(resolved) and {"object", "array"} & set(declared_types(resolved)):
            return None
        py = primitive_type(resolved, lambda _ref: "Any")
        for part in py.split(" | "):
            if part not in types:
                types.append(part)
    if "Any" in types:
        return None
    if "None" in types:
        types = [t for t in types if t != "None"] + ["None"]
    return " | ".join(types)


def value_format(ctx: Context, schema: Mapping[str, Any]) -> str | FormatChoice | None:
    """The string format a parameter's value is checked for (``checked_format``), or the
    formats of a ``oneOf``/``anyOf`` whose every member is a string of a checked format
    (FastAPI's ``IPvAnyAddress``: ``anyOf`` ``ipv4``, ``ipv6``; threatjammer's
    ``/v1/allowlist/private/ip/{address}``): the union reads as ``str``, which alone would
    take any text. A member without a checked format admits other strings: no check."""
    fmt = checked_format(schema, openapi_31=ctx.openapi_31)
    keyword = "oneOf" if "oneOf" in schema else "anyOf"
    members = schema.get(keyword)
    if fmt is not None or not isinstance(members, list) or not members:
        return fmt
    found: list[str] = []
    for member in members:
        resolved = ctx.resolve_schema(member)
        member_format = checked_format(resolved, openapi_31=ctx.openapi_31)
        if member_format is None or declared_types(resolved) != ["string"]:
            return None
        if member_format not in found:
            found.append(member_format)
    return FormatChoice(tuple(found), one_of=keyword == "oneOf" and len(found) > 1)
