"""The list-pagination rule: a GET that returns a list takes a parameter to page through it.

A response body is a list when its JSON schema is an array, or an object holding an array in
one of :data:`LIST_PROPERTIES` (directly or through ``allOf``); the operation is paginated when
one of its query keys (``-`` read as ``_``, any case) is in :data:`PAGINATION_PARAMS`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specfirst.diagnostics import Level
from specfirst.lint.context import Context, Finding, Rule
from specfirst.loader import Pointer

__all__ = ["LIST_PROPERTIES", "PAGINATION_PARAMS", "RULES"]

# Query parameters that page through a list: cursors, pages, offsets and page sizes.
PAGINATION_PARAMS = frozenset(
    {
        "cursor",
        "page",
        "page_token",
        "pagetoken",
        "page_size",
        "pagesize",
        "per_page",
        "perpage",
        "limit",
        "offset",
        "after",
        "before",
        "starting_after",
        "ending_before",
        "next",
        "continuation_token",
        "top",
        "skip",
    }
)
# Properties of a response object that hold the page's items.
LIST_PROPERTIES = frozenset(
    {"items", "data", "results", "records", "entries", "values", "elements"}
)


def _is_list_schema(ctx: Context, schema: Any, pointer: Pointer) -> str | None:
    """What makes a response body a list: ``"an array"``, ``"a list in 'items'"`` or None."""
    schema, _ = ctx.deref(schema, pointer)
    if not isinstance(schema, dict):
        return None
    types = schema.get("type")
    types = types if isinstance(types, list) else [types]
    if "array" in types:
        return "an array"
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for name in sorted(LIST_PROPERTIES & set(properties)):
            prop, _ = ctx.deref(properties[name], pointer)
            ptypes = prop.get("type") if isinstance(prop, dict) else None
            ptypes = ptypes if isinstance(ptypes, list) else [ptypes]
            if "array" in ptypes:
                return f"a list in {name!r}"
    for key in ("allOf",):
        parts = schema.get(key)
        if isinstance(parts, list):
            for part in parts:
                found = _is_list_schema(ctx, part, pointer)
                if found:
                    return found
    return None


def _list_pagination(ctx: Context) -> Iterator[Finding]:
    for o in ctx.path_operations:
        if o.method != "get":
            continue
        shape = None
        for status, (response, pointer) in sorted(ctx.responses(o).items()):
            content = response.get("content")
            if not status.startswith("2") or not isinstance(content, dict):
                continue
            for media_type, media in content.items():
                if "json" in str(media_type) and isinstance(media, dict):
                    shape = shape or _is_list_schema(
                        ctx, media.get("schema"), (*pointer, "content", media_type, "schema")
                    )
        if shape is None:
            continue
        names = {
            str(name).lower().replace("-", "_")
            for p, _ in ctx.parameters(o)
            for name in _query_names(ctx, p)
        }
        if names & PAGINATION_PARAMS:
            continue
        yield (
            f"{o.label} returns {shape} but takes no pagination parameter "
            "(e.g. cursor, page, limit); lists grow",
            o.pointer,
        )


def _query_names(ctx: Context, param: dict[str, Any]) -> list[str]:
    """Query keys a parameter stands for: its name, or (OpenAPI 3.2 ``in: querystring``) the
    properties of the schema the whole query string follows."""
    if param.get("in") == "query":
        return [str(param.get("name"))]
    content = param.get("content")
    if param.get("in") != "querystring" or not isinstance(content, dict) or not content:
        return []
    media = next(iter(content.values()))
    schema, _ = ctx.deref(media.get("schema") if isinstance(media, dict) else None, ())
    props = schema.get("properties") if isinstance(schema, dict) else None
    return [str(k) for k in props] if isinstance(props, dict) else []


RULES: tuple[Rule, ...] = (
    Rule("list-pagination", Level.WARNING, "list operations are paginated", _list_pagination),
)
