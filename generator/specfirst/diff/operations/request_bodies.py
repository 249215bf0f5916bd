"""Request bodies compared: a body added or made required, a media type no longer accepted.

Each media type kept on both sides has its schema compared as a request (it may widen).
"""

from __future__ import annotations

from collections.abc import Mapping

from specfirst.diff.context import Context
from specfirst.diff.operations.content import compare_content
from specfirst.diff.rule import B, Rule
from specfirst.diff.side import OperationAt

# The rules this module raises.
RULES: tuple[Rule, ...] = (
    Rule("request-body-added-required", B, "(no body) → requestBody required: true"),
    Rule("request-body-became-required", B, "requestBody required: false → required: true"),
    Rule("request-media-type-removed", B, "content: json, form → content: json"),
)


def compare_request_body(ctx: Context, name: str, b: OperationAt, h: OperationAt) -> None:
    b_op, b_ptr, h_op, h_ptr = b.op, b.ptr, h.op, h.ptr
    b_body, b_bptr = ctx.base.resolve(b_op.get("requestBody"), (*b_ptr, "requestBody"))
    h_body, h_bptr = ctx.head.resolve(h_op.get("requestBody"), (*h_ptr, "requestBody"))
    if not isinstance(h_body, Mapping):
        return
    if not isinstance(b_body, Mapping):
        if h_body.get("required"):
            ctx.add(
                "request-body-added-required",
                "a required request body was added",
                name,
                "request body",
                None,
                h_bptr,
            )
        return
    if h_body.get("required") and not b_body.get("required"):
        ctx.add(
            "request-body-became-required",
            "the request body became required",
            name,
            "request body",
            b_bptr,
            (*h_bptr, "required"),
        )
    compare_content(
        ctx,
        name,
        "request body",
        "request",
        (b_body, b_bptr),
        (h_body, h_bptr),
        "request-media-type-removed",
        "is no longer accepted",
    )
