"""The ``content`` of a request body or a response, compared media type by media type.

A media type gone from head is a finding of the owner's rule (``request-media-type-removed``,
``response-media-type-removed``); each one kept has its schema compared. Field paths start
with ``where`` (``request body``, ``200``), and name the media type where there are several.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specfirst.diff.context import Context
from specfirst.loader import Pointer


def compare_content(
    ctx: Context,
    operation: str,
    where: str,
    direction: str,
    base: tuple[Mapping[str, Any], Pointer],
    head: tuple[Mapping[str, Any], Pointer],
    removed_rule: str,
    gone: str,
) -> None:
    """``base`` and ``head`` are the body or response with its pointer; a media type gone is
    reported as ``removed_rule``: "<direction> media type <media> <gone>"."""
    (b_owner, b_ptr), (h_owner, h_ptr) = base, head
    b_content = b_owner.get("content") or {}
    h_content = h_owner.get("content") or {}
    for media in b_content:
        if media not in h_content:
            ctx.add(
                removed_rule,
                f"{direction} media type {media} {gone}",
                operation,
                where,
                (*b_ptr, "content", media),
                (*h_ptr, "content"),
            )
            continue
        label = where if len(b_content) == 1 else f"{where} ({media})"
        ctx.compare_schemas(
            operation,
            label,
            direction,
            (b_content[media] or {}).get("schema"),
            (*b_ptr, "content", media, "schema"),
            (h_content[media] or {}).get("schema"),
            (*h_ptr, "content", media, "schema"),
        )
