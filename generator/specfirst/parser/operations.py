"""Operations: one path-item operation read into an :class:`~specfirst.ir.Operation`.

It composes the parts: parameters, the route, the request body, the responses and the
security requirements; then decides what the handler may return bare (the one success's
model, or ``None``), which status answers a request that fails validation (the declared 422,
else the declared 400, else 422, which a declared ``4XX`` or ``default`` covers), and the
format of the runtime's own answers (:mod:`specfirst.parser.errors`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specfirst import naming
from specfirst.ir import BodyKind, Operation, Response, SecurityScheme
from specfirst.loader import Pointer
from specfirst.parser.bodies import read_body
from specfirst.parser.context import Context
from specfirst.parser.errors import read_error_formats
from specfirst.parser.model_types import SchemaTypes
from specfirst.parser.operation_names import OperationName
from specfirst.parser.parameters import read_parameters
from specfirst.parser.responses import read_responses
from specfirst.parser.routes import read_route
from specfirst.parser.security import read_requirements
from specfirst.spec_gaps import validation_status

# Spec extension (root or operation): answer undeclared query parameters with a validation error.
STRICT_QUERY = "x-specfirst-strict-query"
# The names a generated handler's signature uses: a parameter must not shadow them.
_HANDLER_NAMES = frozenset({"sf_service", "sf_principal", "sf_response", "sf_request"})


def read_operation(
    ctx: Context,
    types: SchemaTypes,
    schemes: Mapping[str, SecurityScheme],
    names: OperationName,
    tag: str,
    path: str,
    method: str,
    item: Mapping[str, Any],
    op: Mapping[str, Any],
    ptr: Pointer,
) -> Operation:
    """The operation ``method`` of the path item ``item`` at ``path``, in service ``tag``."""
    prefix = names.class_prefix
    taken = set(naming.RESERVED) | _HANDLER_NAMES
    route = read_route(ctx, path, read_parameters(ctx, types, item, op, ptr, taken), ptr, taken)
    body = read_body(ctx, types, op, ptr, prefix)
    responses = read_responses(ctx, types, op, ptr, prefix)
    if not responses:
        responses = [Response("default", f"{prefix}DefaultResponse", None, None, None, None, ())]
    bare_success, bare_none = _bare_result(responses)
    return Operation(
        operation_id=names.operation_id,
        py_name=names.py_name,
        class_prefix=prefix,
        method=method,
        path=path,
        route_path=route.path,
        tag=tag,
        summary=op.get("summary") if isinstance(op.get("summary"), str) else None,
        description=op.get("description") if isinstance(op.get("description"), str) else None,
        deprecated=bool(op.get("deprecated")),
        parameters=route.parameters,
        body=body,
        responses=tuple(responses),
        security=read_requirements(ctx, op, schemes, ptr),
        validation_status=validation_status(r.status for r in responses),
        bare_success=bare_success,
        bare_none=bare_none,
        pointer=ptr,
        strict_query=bool(op.get(STRICT_QUERY, ctx.doc.get(STRICT_QUERY, False))),
        route_query=route.query,
        route_convertors=route.convertors,
        errors=read_error_formats(responses),
    )


def _bare_result(responses: list[Response]) -> tuple[str | None, bool]:
    """What the handler may return instead of a result class: the type of the one success's
    JSON body, or ``None`` when it has no body (neither when a header is required)."""
    successes = [r for r in responses if r.is_success]
    if (
        len(successes) == 1
        and successes[0].fixed_status is not None
        and not any(h.required for h in successes[0].headers)
    ):
        if (
            successes[0].kind is BodyKind.JSON
            and successes[0].py_type
            and successes[0].py_type != "Any"
        ):
            return successes[0].py_type, False
        if successes[0].kind is None:
            return None, True
    return None, False
