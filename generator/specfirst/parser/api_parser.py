"""From a validated, bundled OpenAPI document to the IR (``specfirst.ir``).

Two passes around model generation:

1. :meth:`ApiParser.models_document` names every schema the API uses — component schemas
   renamed to unique PascalCase class names, inline request/response schemas hoisted under
   names derived from the operationId (``CreateTaskRequest``, ``CreateTask201ResponseBody``)
   — and returns the schemas-only document datamodel-code-generator turns into models;
2. :meth:`ApiParser.build` reads operations, parameters, bodies, responses and security into
   frozen IR objects, resolving schema references against the model classes that exist.

Unsupported constructs become ``unsupported`` diagnostics; the operation is degraded as the
message says and generation goes on. Each pass only composes: the parts it calls live in the
modules of this package, one concern each (see ``specfirst.parser``).
"""

from __future__ import annotations

from typing import Any

from specfirst.diagnostics import Diagnostic
from specfirst.ir import Api, Operation
from specfirst.loader import Pointer, SourceSpec, server_base_path
from specfirst.parser.context import Context
from specfirst.parser.errors import name_error_models
from specfirst.parser.model_types import SchemaTypes
from specfirst.parser.models_document import ModelsDocument
from specfirst.parser.operation_names import (
    CallbackOp,
    OperationName,
    find_callbacks,
    name_operations,
    webhook_names,
)
from specfirst.parser.operations import read_operation
from specfirst.parser.routes import warn_shadowed
from specfirst.parser.security import read_schemes
from specfirst.parser.senders import read_callback, read_webhooks
from specfirst.parser.services import group_services, read_tags, service_tag
from specfirst.schema_rewrites import schema_nodes
from specfirst.schema_types import checked_format


class ApiParser:
    """Reads one bundled document; collects diagnostics instead of raising."""

    def __init__(self, spec: SourceSpec) -> None:
        self.spec = spec
        self.diagnostics: list[Diagnostic] = []
        self._ctx = Context(spec, self.diagnostics)
        # pass 1's results, which pass 2 reads
        self._shapes = ModelsDocument(self._ctx)
        self._op_names: dict[Pointer, OperationName] = {}
        self._callback_ops: list[CallbackOp] = []
        self._models: frozenset[str] = frozenset()
        self._pass1_diagnostics = 0  # how many of ``diagnostics`` pass 1 found

    def models_document(self) -> dict[str, Any]:
        """The schemas datamodel-code-generator should turn into models (pass 1)."""
        ctx = self._ctx
        self._shapes.name_components()
        self._op_names = name_operations(ctx)
        for _path, _method, item, op, ptr, site in ctx.operations():
            self._shapes.hoist_operation(item, op, ptr, self._op_names[site].class_prefix)
        self._shapes.hoist_webhooks(webhook_names(ctx))
        self._callback_ops = find_callbacks(ctx, self._op_names)
        self._shapes.hoist_callbacks(self._callback_ops)
        document = self._shapes.document()
        self._pass1_diagnostics = len(self.diagnostics)
        return document

    def set_models(self, classes: frozenset[str]) -> None:
        """Tell pass 2 which classes the models module defines."""
        self._models = classes

    def model_names_read(self) -> frozenset[str]:
        """Every class name whose presence in :meth:`set_models`'s set pass 2 can read (the
        IR depends on that set only through these names)."""
        shapes = self._shapes
        return frozenset(
            {*shapes.class_names.values(), *shapes.hoisted_at.values()}.union(
                *shapes.variants.values()
            )
        )

    def build(self) -> Api:
        """Build the IR (pass 2). Call after :meth:`models_document` and :meth:`set_models`.

        Pass 2 reads pass 1's results and changes nothing but the diagnostics, so it may run
        again after another :meth:`set_models`: the diagnostics are then those of pass 1 and
        of this build, as after a first build."""
        del self.diagnostics[self._pass1_diagnostics :]
        ctx = self._ctx
        shapes = self._shapes
        types = SchemaTypes(
            shapes.class_names, shapes.hoisted_at, shapes.variants, self._models, ctx.follow_ref
        )
        schemes = read_schemes(ctx)
        tags = read_tags(ctx)
        operations: dict[str, list[Operation]] = {}
        for path, method, item, op, ptr, site in ctx.operations():
            tag = service_tag(op.get("tags"), tags.info)
            operations.setdefault(tag, []).append(
                read_operation(
                    ctx, types, schemes, self._op_names[site], tag, path, method, item, op, ptr
                )
            )
        services, error_models = name_error_models(group_services(operations, tags))
        warn_shadowed(ctx, services)
        webhooks = read_webhooks(ctx, types, schemes)
        callbacks = [
            read_callback(ctx, types, cb, cb.owner_id, schemes) for cb in self._callback_ops
        ]
        info = ctx.doc.get("info") or {}
        return Api(
            title=str(info.get("title", "API")),
            version=str(info.get("version", "")),
            description=info.get("description")
            if isinstance(info.get("description"), str)
            else None,
            openapi_version=str(ctx.doc.get("openapi", "")),
            base_path=server_base_path(ctx.doc),
            services=tuple(services),
            schemes=tuple(schemes.values()),
            model_names=self._models,
            webhooks=tuple(webhooks),
            callbacks=tuple(callbacks),
            error_models=error_models,
            checks_formats=_checks_formats(ctx),
        )


def _checks_formats(ctx: Context) -> bool:
    """Whether a schema of the document has a string format the runtime checks: of a
    component (every schema the models module holds), a parameter or a form field."""
    components = ctx.doc.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    for schema in (schemas or {}).values() if isinstance(schemas, dict) else ():
        for node in schema_nodes(schema):
            if checked_format(node, openapi_31=ctx.openapi_31) is not None:
                return True
    return False
