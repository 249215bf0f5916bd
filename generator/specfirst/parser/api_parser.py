"""From a validated, bundled OpenAPI document to the IR (``specfirst.ir``).

Two passes around model generation:

1. :meth:`ApiParser.models_document` names every schema the API uses — component schemas
   renamed to unique PascalCase class names, inline request/response schemas hoisted under
   names derived from the operationId (``CreateTaskRequest``, ``CreateTask201ResponseBody``)
   — and returns the schemas-only document datamodel-code-generator turns into models;
2. :meth:`ApiParser.build` reads operations, parameters, bodies, responses and security into
   frozen IR objects, resolving schema references against the model classes that exist.

Unsupported constructs become ``unsupported`` diagnostics; the operation is degraded as the
message says and generation goes on.
"""

from __future__ import annotations

from typing import Any

from specfirst import naming
from specfirst.diagnostics import Diagnostic
from specfirst.ir import (
    Api,
    BodyKind,
    Operation,
    Response,
)
from specfirst.loader import (
    Pointer,
    SourceSpec,
    server_base_path,
)
from specfirst.parser.bodies import read_body
from specfirst.parser.context import Context
from specfirst.parser.model_types import SchemaTypes
from specfirst.parser.models_document import ModelsDocument
from specfirst.parser.operation_names import (
    CallbackOp,
    OperationName,
    find_callbacks,
    name_operations,
    webhook_names,
)
from specfirst.parser.parameters import (
    read_parameters,
)
from specfirst.parser.responses import read_responses
from specfirst.parser.routes import read_route, warn_shadowed
from specfirst.parser.security import read_requirements, read_schemes
from specfirst.parser.senders import read_callback, read_webhooks
from specfirst.parser.services import group_services, read_tags, service_tag

# Spec extension (root or operation): answer undeclared query parameters with a validation error.
STRICT_QUERY = "x-specfirst-strict-query"


class ApiParser:
    """Reads one bundled document; collects diagnostics instead of raising."""

    def __init__(self, spec: SourceSpec) -> None:
        self.spec = spec
        self.diagnostics: list[Diagnostic] = []
        self._ctx = Context(spec, self.diagnostics)
        self._shapes = ModelsDocument(self._ctx)
        self._op_names: dict[Pointer, OperationName] = {}
        self._callback_ops: list[CallbackOp] = []
        self._models: frozenset[str] = frozenset()
        self._types = SchemaTypes({}, {}, {}, frozenset())  # pass 2's, made by build

    def models_document(self) -> dict[str, Any]:
        """The schemas datamodel-code-generator should turn into models (pass 1)."""
        self._shapes.name_components()
        self._op_names = name_operations(self._ctx)
        for _path, _method, item, op, ptr in self._ctx.operations():
            self._shapes.hoist_operation(item, op, ptr, self._op_names[ptr].class_prefix)
        self._shapes.hoist_webhooks(webhook_names(self._ctx))
        self._callback_ops = find_callbacks(self._ctx, self._op_names)
        self._shapes.hoist_callbacks(self._callback_ops)
        return self._shapes.document()

    # ------------------------------------------------------------------ pass 2

    def set_models(self, classes: frozenset[str]) -> None:
        """Tell pass 2 which classes the models module defines."""
        self._models = classes

    def build(self) -> Api:
        """Build the IR (pass 2). Call after :meth:`models_document` and :meth:`set_models`."""
        self._types = SchemaTypes(
            self._shapes.class_names, self._shapes.hoisted_at, self._shapes.variants, self._models
        )
        schemes = read_schemes(self._ctx)
        services: dict[str, list[Operation]] = {}
        tags = read_tags(self._ctx)
        for path, method, item, op, ptr in self._ctx.operations():
            op_id, py_name, prefix = self._op_names[ptr]
            tag = service_tag(op.get("tags"), tags.info)
            taken = set(naming.RESERVED) | {
                "sf_service",
                "sf_principal",
                "sf_response",
                "sf_request",
            }
            params = read_parameters(self._ctx, self._types, item, op, ptr, taken)
            route = read_route(self._ctx, path, params, ptr, taken)
            body = read_body(self._ctx, self._types, op, ptr, prefix)
            responses = read_responses(self._ctx, self._types, op, ptr, prefix)
            if not responses:
                responses = [
                    Response("default", f"{prefix}DefaultResponse", None, None, None, None, ())
                ]
            successes = [r for r in responses if r.is_success]
            bare_success = None
            bare_none = False
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
                    bare_success = successes[0].py_type
                elif successes[0].kind is None:
                    bare_none = True
            codes = {r.status for r in responses}
            validation_status = 422 if "422" in codes or "400" not in codes else 400
            services.setdefault(tag, []).append(
                Operation(
                    operation_id=op_id,
                    py_name=py_name,
                    class_prefix=prefix,
                    method=method,
                    path=path,
                    route_path=route.path,
                    tag=tag,
                    summary=op.get("summary") if isinstance(op.get("summary"), str) else None,
                    description=op.get("description")
                    if isinstance(op.get("description"), str)
                    else None,
                    deprecated=bool(op.get("deprecated")),
                    parameters=route.parameters,
                    body=body,
                    responses=tuple(responses),
                    security=read_requirements(self._ctx, op, schemes, ptr),
                    validation_status=validation_status,
                    bare_success=bare_success,
                    bare_none=bare_none,
                    pointer=ptr,
                    strict_query=bool(op.get(STRICT_QUERY, self._ctx.doc.get(STRICT_QUERY, False))),
                    route_query=route.query,
                )
            )
        built = group_services(services, tags)
        warn_shadowed(self._ctx, built)
        webhooks = read_webhooks(self._ctx, self._types, schemes)
        callbacks = [
            read_callback(
                self._ctx, self._types, cb, self._op_names[cb.owner].operation_id, schemes
            )
            for cb in self._callback_ops
        ]
        info = self._ctx.doc.get("info") or {}
        return Api(
            title=str(info.get("title", "API")),
            version=str(info.get("version", "")),
            description=info.get("description")
            if isinstance(info.get("description"), str)
            else None,
            openapi_version=str(self._ctx.doc.get("openapi", "")),
            base_path=server_base_path(self._ctx.doc),
            services=tuple(built),
            schemes=tuple(schemes.values()),
            model_names=self._models,
            webhooks=tuple(webhooks),
            callbacks=tuple(callbacks),
        )
