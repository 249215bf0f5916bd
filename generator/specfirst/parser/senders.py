"""What the app sends out: webhooks and callbacks, each with a typed sender.

A webhook's payload is typed like a response (readOnly properties included); a callback also
gets a URL function that fills in the runtime expressions of its URL (``{$request.body#/id}``,
``{$response.header.Location}`` …). Both get a sender: its parameters (path ones aside: the URL
is given), payload, security credentials and the statuses it expects.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from specfirst import naming
from specfirst.diagnostics import Level
from specfirst.ir import (
    BodyKind,
    Callback,
    Credential,
    Parameter,
    ParamLocation,
    SchemeKind,
    SecurityScheme,
    Sender,
    UrlValue,
    Webhook,
)
from specfirst.loader import Pointer
from specfirst.parser.bodies import json_body_schema
from specfirst.parser.context import Context
from specfirst.parser.media import body_kind
from specfirst.parser.model_types import SchemaTypes
from specfirst.parser.operation_names import CallbackOp, webhook_names
from specfirst.parser.parameters import read_parameters
from specfirst.parser.security import read_requirements

_URL_EXPRESSION = re.compile(r"\{(\$[^{}]+)\}")
# The parts of a sender's signature its parameters and credentials must not shadow.
_SENDER_NAMES = frozenset(
    {"url", "payload", "client", "timeout", "senders", "security", "models", "httpx"}
)


def read_webhooks(
    ctx: Context, types: SchemaTypes, schemes: Mapping[str, SecurityScheme]
) -> list[Webhook]:
    """Every webhook operation: its payload type and alias, and its sender."""
    webhooks: list[Webhook] = []
    for (name, method, op, ptr), alias in zip(
        ctx.webhooks(), webhook_names(ctx).values(), strict=True
    ):
        found = json_body_schema(ctx, op, ptr)
        # Data the API sends out, like a response: readOnly properties included.
        py_type = types.schema_type(found[0], found[1], "Response") if found else "Any"
        operation_id = str(op.get("operationId") or f"{name}.{method}")
        webhooks.append(
            Webhook(
                name=name,
                method=method,
                operation_id=operation_id,
                alias=alias,
                py_type=py_type,
                media_type=found[2] if found else None,
                summary=op.get("summary") if isinstance(op.get("summary"), str) else None,
                sender=_sender(
                    ctx,
                    types,
                    # the path item (an additionalOperations entry sits one level deeper)
                    ctx.node(ptr[:-2] if ptr[-2:-1] == ("additionalOperations",) else ptr[:-1]),
                    op,
                    ptr,
                    method,
                    "send_" + naming.snake(alias[: -len("Webhook")]),
                    schemes,
                    f"webhook {operation_id!r}",
                ),
            )
        )
    return webhooks


def read_callback(
    ctx: Context,
    types: SchemaTypes,
    cb: CallbackOp,
    owner_id: str,
    schemes: Mapping[str, SecurityScheme],
) -> Callback:
    """A callback operation: its URL function (with the runtime expressions it fills in)
    and its sender. ``owner_id``: the operationId of the operation declaring it."""
    owner = ctx.node(cb.owner)
    stem = naming.snake(cb.base)
    where = f"callback {cb.name!r} of {owner_id!r}"
    values: list[UrlValue] = []
    taken: set[str] = set(naming.RESERVED)
    for expression in dict.fromkeys(_URL_EXPRESSION.findall(cb.expression)):
        source = expression.partition("#")[0]
        if any(v.source == source for v in values) or source == "$method":
            continue
        if source == "$request.body":
            found = json_body_schema(ctx, owner, cb.owner)
            py_type = types.schema_type(found[0], found[1], "Request") if found else "Any"
            py_name = "request_body"
        elif source == "$response.body":
            py_type, py_name = "Any", "response_body"
            for status, raw in (owner.get("responses") or {}).items():
                resp, rptr = ctx.deref(raw, (*cb.owner, "responses", str(status)))
                if not (str(status).startswith("2") and isinstance(resp, Mapping)):
                    continue
                content = resp.get("content")
                for media, media_obj in (content or {}).items():
                    if body_kind(str(media)) is BodyKind.JSON and isinstance(media_obj, Mapping):
                        sptr: Pointer = (*rptr, "content", media, "schema")
                        py_type = types.schema_type(media_obj.get("schema"), sptr, "Response")
                    break
                break
        elif source == "$url":
            py_type, py_name = "str", "request_url"
        elif source == "$statusCode":
            py_type, py_name = "int", "status_code"
        elif re.fullmatch(r"\$(request|response)\.(query|path|header)\.[^.]+", source):
            py_type = "str | int | float | bool"
            py_name = naming.snake(source.split(".", 2)[2])
        else:
            ctx.warn(
                "unsupported",
                f"runtime expression {expression!r} in the URL of {where} is not "
                "recognized: its value is passed as is",
                (*cb.owner, "callbacks", cb.name),
                Level.INFO,
            )
            py_type, py_name = "Any", naming.snake(source.lstrip("$"))
        values.append(UrlValue(source, naming.unique(py_name, taken), py_type))
    sender = _sender(ctx, types, cb.item, cb.op, cb.ptr, cb.method, f"send_{stem}", schemes, where)
    alias = cb.base if cb.base.endswith("Callback") else f"{cb.base}Callback"
    return Callback(
        owner=owner_id,
        name=cb.name,
        expression=cb.expression,
        method=cb.method,
        alias=alias,
        py_type=sender.payload_type or "None",
        url_function=f"{stem}_url",
        url_values=tuple(values),
        sender=sender,
    )


def _sender(
    ctx: Context,
    types: SchemaTypes,
    item: Mapping[str, Any],
    op: Mapping[str, Any],
    ptr: Pointer,
    method: str,
    py_name: str,
    schemes: Mapping[str, SecurityScheme],
    where: str,
) -> Sender:
    """What the sender of an outgoing operation (webhook or callback) sends."""
    taken = set(naming.RESERVED) | set(_SENDER_NAMES)
    params: list[Parameter] = []
    for param in read_parameters(ctx, types, item, op, ptr, taken):
        if param.location is ParamLocation.PATH:
            ctx.warn(
                "unsupported",
                f"path parameter {param.name!r} of {where} is not filled in by its "
                "sender: the URL passed to it is used as is",
                param.pointer,
                Level.INFO,
            )
            continue
        params.append(param)
    payload_type: str | None = None
    media: str | None = None
    body, bptr = ctx.deref(op.get("requestBody"), (*ptr, "requestBody"))
    required = isinstance(body, Mapping) and bool(body.get("required"))
    content = body.get("content") if isinstance(body, Mapping) else None
    found = json_body_schema(ctx, op, ptr)
    if found is not None:
        payload_type = types.schema_type(found[0], found[1], "Response")
        media = found[2]
    elif isinstance(content, Mapping) and content:
        media = str(next(iter(content)))
        kind = body_kind(media)
        if kind is BodyKind.TEXT:
            payload_type = "str"
        elif kind is BodyKind.BINARY:
            payload_type = "bytes"
        else:
            ctx.warn(
                "unsupported",
                f"the {media} payload of {where} is not sent by its sender (JSON, text "
                "and binary payloads are)",
                (*bptr, "content"),
                Level.INFO,
            )
            media, required = None, False
    security = read_requirements(ctx, op, schemes, ptr) if "security" in op else ()
    credentials: list[Credential] = []
    for requirement in security:
        for use in requirement.uses:
            if any(c.scheme == use.scheme for c in credentials):
                continue
            basic = schemes[use.scheme].kind is SchemeKind.HTTP_BASIC
            credentials.append(
                Credential(
                    use.scheme,
                    naming.unique(naming.snake(use.scheme), taken),
                    "tuple[str, str]" if basic else "str",
                )
            )
    responses = op.get("responses")
    return Sender(
        py_name=py_name,
        method=method,
        payload_type=payload_type,
        media_type=media,
        body_required=required,
        parameters=tuple(params),
        security=security,
        credentials=tuple(credentials),
        statuses=tuple(str(k) for k in responses) if isinstance(responses, Mapping) else (),
        summary=op.get("summary") if isinstance(op.get("summary"), str) else None,
        description=op.get("description") if isinstance(op.get("description"), str) else None,
    )
