"""Responses compared: statuses, media types, headers, and each one's schema.

A success status removed breaks a client that expects it; an error status removed may. A
response header removed, or no longer always sent, breaks a client that reads it. Each
media type and header kept on both sides has its schema compared as a response (it may
narrow).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specfirst.diff.context import Context
from specfirst.diff.operations.content import compare_content
from specfirst.diff.rule import B, N, P, Rule
from specfirst.diff.side import OperationAt

# The rules this module raises.
RULES: tuple[Rule, ...] = (
    Rule("success-status-removed", B, "responses: 200 → responses: 201"),
    Rule("error-status-removed", P, "responses: 200, 404 → responses: 200"),
    Rule("response-status-added", N, "responses: 200 → responses: 200, 409"),
    Rule("response-media-type-removed", B, "200 content: json, xml → 200 content: json"),
    Rule("response-header-removed", B, "200 headers: Link → 200 headers: (none)"),
    Rule("response-header-became-optional", B, "Link required: true → required: false"),
)


def compare_responses(ctx: Context, name: str, b: OperationAt, h: OperationAt) -> None:
    b_op, b_ptr, h_op, h_ptr = b.op, b.ptr, h.op, h.ptr
    b_resps = {str(k).upper(): v for k, v in (b_op.get("responses") or {}).items()}
    h_resps = {str(k).upper(): v for k, v in (h_op.get("responses") or {}).items()}
    for status, raw in b_resps.items():
        b_resp, b_rptr = ctx.base.resolve(raw, (*b_ptr, "responses", _key(b_op, status)))
        if status not in h_resps:
            success = status.startswith("2")
            ctx.add(
                "success-status-removed" if success else "error-status-removed",
                f"{'success ' if success else ''}response status {status} was removed",
                name,
                status,
                b_rptr,
                None,
            )
            continue
        h_resp, h_rptr = ctx.head.resolve(
            h_resps[status], (*h_ptr, "responses", _key(h_op, status))
        )
        if not isinstance(b_resp, Mapping) or not isinstance(h_resp, Mapping):
            continue
        b_headers = {k.lower(): (k, v) for k, v in (b_resp.get("headers") or {}).items()}
        h_headers = {k.lower(): (k, v) for k, v in (h_resp.get("headers") or {}).items()}
        for lower, (hname, raw_header) in b_headers.items():
            where = f"{status} header {hname}"
            if lower not in h_headers:
                ctx.add(
                    "response-header-removed",
                    f"response header {hname} of {status} was removed",
                    name,
                    where,
                    (*b_rptr, "headers", hname),
                    h_rptr,
                )
                continue
            b_h, b_hptr = ctx.base.resolve(raw_header, (*b_rptr, "headers", hname))
            h_h, h_hptr = ctx.head.resolve(
                h_headers[lower][1], (*h_rptr, "headers", h_headers[lower][0])
            )
            if not isinstance(b_h, Mapping) or not isinstance(h_h, Mapping):
                continue
            if b_h.get("required") and not h_h.get("required"):
                ctx.add(
                    "response-header-became-optional",
                    f"response header {hname} of {status} is no longer always sent",
                    name,
                    where,
                    b_hptr,
                    h_hptr,
                )
            ctx.compare_schemas(
                name,
                where,
                "response",
                b_h.get("schema"),
                (*b_hptr, "schema"),
                h_h.get("schema"),
                (*h_hptr, "schema"),
            )
        compare_content(
            ctx,
            name,
            status,
            "response",
            (b_resp, b_rptr),
            (h_resp, h_rptr),
            "response-media-type-removed",
            f"of {status} was removed",
        )
    for status in h_resps:
        if status not in b_resps:
            ctx.add(
                "response-status-added",
                f"response status {status} was added",
                name,
                status,
                None,
                (*h_ptr, "responses", _key(h_op, status)),
            )


def _key(op: Mapping[str, Any], status: str) -> str:
    for key in op.get("responses") or {}:
        if str(key).upper() == status:
            return str(key)
    return status
