"""The reference page's operations: each one's security, parameters, body and responses.

:func:`operations` walks ``paths`` and ``webhooks`` in document order; :func:`operation` turns
one into the row the template prints. Parameters are the effective ones (the operation's
override the path item's); a parameter described by ``content`` shows its first media type's
schema; descriptions are Markdown.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from markupsafe import Markup

from specfirst.docs.context import ReferenceContext, scheme_anchor
from specfirst.docs.page import markdown
from specfirst.loader import path_item_operations

__all__ = ["operation", "operations"]


def operations(ctx: ReferenceContext) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(path as shown, method, operation, path item) for every operation and webhook."""
    for section in ("paths", "webhooks"):
        items = ctx.doc.get(section)
        if not isinstance(items, dict):
            continue
        for url, raw in items.items():
            item = ctx.deref(raw)
            if not isinstance(item, dict):
                continue
            for method, _rel, op in path_item_operations(item):
                shown = str(url) if section == "paths" else f"webhook {url}"
                yield shown, method.lower(), op, item


def operation(
    ctx: ReferenceContext, url: str, method: str, op: dict[str, Any], item: dict[str, Any]
) -> dict[str, Any]:
    """The operation as the template prints it; its anchor is taken here, in page order."""
    op_id = op.get("operationId")
    op_id = op_id if isinstance(op_id, str) and op_id else f"{method} {url}"
    return {
        "id": op_id,
        "anchor": ctx.anchor("op", op_id),
        "method": method,
        "path": url,
        "summary": op.get("summary") if isinstance(op.get("summary"), str) else "",
        "description": markdown(op.get("description")),
        "deprecated": op.get("deprecated") is True,
        "security": _security(ctx, op),
        "parameters": _parameters(ctx, item, op),
        "body": _body(ctx, op.get("requestBody")),
        "responses": _responses(ctx, op.get("responses")),
    }


def _security(ctx: ReferenceContext, op: dict[str, Any]) -> Markup:
    requirements = op.get("security", ctx.doc.get("security"))
    if not isinstance(requirements, list) or not requirements:
        return Markup("None: this operation is public.")
    options = []
    for requirement in requirements:
        if not isinstance(requirement, dict):
            continue
        if not requirement:
            options.append(Markup("no credentials (optional)"))
            continue
        parts = []
        for name, scopes in requirement.items():
            scope_text = (
                Markup(" with scopes ")
                + Markup(", ").join(Markup("<code>{}</code>").format(s) for s in scopes)
                if isinstance(scopes, list) and scopes
                else Markup("")
            )
            parts.append(
                Markup('<a href="#{}"><code>{}</code></a>{}').format(
                    scheme_anchor(name), name, scope_text
                )
            )
        options.append(Markup(" and ").join(parts))
    return Markup(" <strong>or</strong> ").join(options)


def _parameters(
    ctx: ReferenceContext, item: dict[str, Any], op: dict[str, Any]
) -> list[dict[str, Any]]:
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for source in (item.get("parameters"), op.get("parameters")):
        for raw in source if isinstance(source, list) else []:
            param = ctx.deref(raw)
            if isinstance(param, dict) and isinstance(param.get("name"), str):
                merged[(str(param.get("in")), param["name"])] = param
    rows = []
    for (location, name), param in merged.items():
        schema = param.get("schema")
        content = param.get("content")
        if schema is None and isinstance(content, dict) and content:
            first = next(iter(content.values()))
            schema = first.get("schema") if isinstance(first, dict) else None
        rows.append(
            {
                "name": name,
                "location": location,
                "required": param.get("required") is True,
                "deprecated": param.get("deprecated") is True,
                "type": ctx.type_of(schema),
                "description": markdown(param.get("description")),
            }
        )
    return rows


def _body(ctx: ReferenceContext, raw: Any) -> dict[str, Any] | None:
    body = ctx.deref(raw)
    if not isinstance(body, dict):
        return None
    return {
        "required": body.get("required") is True,
        "description": markdown(body.get("description")),
        "content": _content(ctx, body.get("content")),
    }


def _responses(ctx: ReferenceContext, raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, dict):
        return []
    rows = []
    for status, value in raw.items():
        response = ctx.deref(value)
        if not isinstance(response, dict):
            continue
        headers = response.get("headers")
        rows.append(
            {
                "status": str(status),
                "description": markdown(response.get("description")),
                "content": _content(ctx, response.get("content")),
                "headers": [
                    {"name": name, "type": ctx.type_of(ctx.deref(h).get("schema"))}
                    for name, h in (headers.items() if isinstance(headers, dict) else ())
                    if isinstance(ctx.deref(h), dict)
                ],
            }
        )
    return rows


def _content(ctx: ReferenceContext, content: Any) -> list[dict[str, Any]]:
    if not isinstance(content, dict):
        return []
    return [
        {
            "media": media,
            "schema": _media_schema(ctx, value),
        }
        for media, value in content.items()
    ]


def _media_schema(ctx: ReferenceContext, value: Any) -> Markup:
    """The schema of a media type, or (OpenAPI 3.2 ``itemSchema``) of each item it streams."""
    if not isinstance(value, dict):
        return Markup("")
    if "itemSchema" in value and "schema" not in value:
        return Markup("stream of {}").format(ctx.type_of(value["itemSchema"]))
    return ctx.type_of(value.get("schema"))
