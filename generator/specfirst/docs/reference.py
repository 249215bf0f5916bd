"""The reference page: every operation grouped by tag, the security schemes and the schemas.

Operations go in the section of the tag their interface is named after (the same
:func:`specfirst.parser.service_tag` the generator uses); untagged ones in "Other
operations". Declared tags keep their order, and a tag nested under another (OpenAPI 3.2
``parent``) is titled with its path, ``pets / search``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specfirst.docs.components import schemas, schemes
from specfirst.docs.context import ReferenceContext
from specfirst.docs.operations import operation, operations
from specfirst.docs.page import markdown, render_page
from specfirst.loader import SourceSpec
from specfirst.parser import service_tag

__all__ = ["render_reference_html"]


def render_reference_html(spec: SourceSpec) -> str:
    """The spec as one static, offline HTML page: every operation, grouped by tag, and schemas."""
    ctx = ReferenceContext(spec)
    doc = ctx.doc
    info = doc.get("info") if isinstance(doc.get("info"), dict) else {}
    assert isinstance(info, dict)
    groups = _groups(ctx)
    servers = doc.get("servers")
    title = f"{info.get('title', 'API')} {info.get('version', '')} — API reference"
    return render_page(
        "reference.html.jinja",
        title=title.strip(),
        info={
            "title": str(info.get("title", "API")),
            "version": str(info.get("version", "")),
            "summary": str(info.get("summary", "") or ""),
            "description": markdown(info.get("description")),
        },
        openapi=str(doc.get("openapi", "")),
        count=sum(len(g["operations"]) for g in groups),
        servers=[
            {
                "url": str(s.get("url", "")),
                "description": str(s.get("description", "") or ""),
            }
            for s in (servers if isinstance(servers, list) else [])
            if isinstance(s, dict)
        ],
        schemes=schemes(ctx),
        groups=groups,
        schemas=schemas(ctx),
    )


def _groups(ctx: ReferenceContext) -> list[dict[str, Any]]:
    """The tag sections with their operations; tags without operations are left out."""
    tags = ctx.doc.get("tags")
    declared = {
        t["name"]: t
        for t in (tags if isinstance(tags, list) else [])
        if isinstance(t, dict) and "name" in t
    }
    grouped: dict[str, list[dict[str, Any]]] = {str(name): [] for name in declared}
    kinds = {
        str(name): (
            t.get("parent") if isinstance(t.get("parent"), str) else None,
            t.get("kind") if isinstance(t.get("kind"), str) else None,
        )
        for name, t in declared.items()
    }
    for url, method, op, item in operations(ctx):
        op_tags = op.get("tags")
        tag = service_tag(op_tags, kinds) if op_tags else "Other operations"
        grouped.setdefault(tag, []).append(operation(ctx, url, method, op, item))
    return [
        {
            "name": _tag_path(name, kinds),
            "anchor": ctx.anchor("tag", name),
            "description": markdown(declared.get(name, {}).get("description")),
            "operations": ops,
        }
        for name, ops in grouped.items()
        if ops
    ]


def _tag_path(name: str, tags: Mapping[str, tuple[str | None, str | None]]) -> str:
    """``pets / search`` for a tag nested under another (OpenAPI 3.2 ``parent``)."""
    path = [name]
    parent = tags.get(name, (None, None))[0]
    while parent is not None and parent not in path and len(path) < 16:
        path.insert(0, parent)
        parent = tags.get(parent, (None, None))[0]
    return " / ".join(path)
