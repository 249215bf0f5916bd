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

import re
import urllib.parse
from collections.abc import Mapping
from typing import Any

from specfirst import naming
from specfirst.diagnostics import Diagnostic, Level
from specfirst.ir import (
    Api,
    BodyKind,
    Operation,
    Parameter,
    ParamLocation,
    Response,
    Service,
)
from specfirst.loader import (
    Pointer,
    SourceSpec,
    copy_json,
    server_base_path,
)
from specfirst.parser.bodies import form_properties, json_body_schema, read_body
from specfirst.parser.context import Context
from specfirst.parser.media import body_kind, is_binary_schema, stream_format
from specfirst.parser.model_types import SchemaTypes
from specfirst.parser.operation_names import (
    CallbackOp,
    OperationName,
    find_callbacks,
    name_operations,
    webhook_names,
)
from specfirst.parser.parameters import (
    param_schema,
    primitive_union,
    raw_parameters,
    read_parameters,
)
from specfirst.parser.read_write import split_read_write
from specfirst.parser.refs import SCHEMA_REF, escape, rewrite_refs
from specfirst.parser.responses import read_responses
from specfirst.parser.security import read_requirements, read_schemes
from specfirst.parser.senders import read_callback, read_webhooks
from specfirst.schema_types import (
    declared_types,
    is_simple,
)

_PATH_VAR = re.compile(r"{([^{}]+)}")
# Spec extension (root or operation): answer undeclared query parameters with a validation error.
STRICT_QUERY = "x-specfirst-strict-query"


class ApiParser:
    """Reads one bundled document; collects diagnostics instead of raising."""

    def __init__(self, spec: SourceSpec) -> None:
        self.spec = spec
        self.diagnostics: list[Diagnostic] = []
        self._ctx = Context(spec, self.diagnostics)
        self._class_names: dict[str, str] = {}  # component schema key -> class name
        self._hoisted: dict[str, Any] = {}  # class name -> schema
        self._hoisted_at: dict[Pointer, str] = {}  # schema pointer -> hoisted class name
        self._taken_classes: set[str] = set()  # component and hoisted class names
        self._op_names: dict[Pointer, OperationName] = {}
        self._models: frozenset[str] = frozenset()
        self._variants: dict[str, tuple[str, str]] = {}  # class -> (request shape, response shape)
        self._hoisted_role: dict[str, str] = {}  # hoisted class -> "Request" | "Response"
        # Operation-level schemas as written, per role: where the role shapes start (pass 1).
        self._role_roots: dict[str, list[Any]] = {"Request": [], "Response": []}
        self._callback_ops: list[CallbackOp] | None = None
        self._types = SchemaTypes({}, {}, {}, frozenset())  # pass 2's, made by build

    # ------------------------------------------------------------------ helpers

    # ------------------------------------------------------------------ pass 1

    def _hoist(self, schema: Any, name: str, pointer: Pointer, role: str = "Request") -> str:
        cls = naming.unique(name, self._taken_classes)
        self._hoisted[cls] = schema
        self._hoisted_at[pointer] = cls
        self._hoisted_role[cls] = role
        return cls

    def _needs_model(self, schema: Any) -> bool:
        return (
            isinstance(schema, Mapping)
            and "$ref" not in schema
            and not is_simple(schema)
            and bool(schema)
        )

    def models_document(self) -> dict[str, Any]:
        """The schemas datamodel-code-generator should turn into models (pass 1)."""
        components = (self._ctx.doc.get("components") or {}).get("schemas") or {}
        taken = self._taken_classes
        for key in components:
            self._class_names[key] = naming.unique(naming.pascal(key), taken)
        self._op_names = name_operations(self._ctx)
        for _path, _method, item, op, ptr in self._ctx.operations():
            prefix = self._op_names[ptr].class_prefix
            for (_where, pname), (param, pptr) in raw_parameters(self._ctx, item, op, ptr).items():
                schema, sptr, _media = param_schema(param, pptr)
                self._role_roots["Request"].append(schema)
                if (
                    self._needs_model(schema)
                    and sptr not in self._hoisted_at
                    and primitive_union(self._ctx, schema) is None
                ):
                    self._hoist(schema, f"{prefix}{naming.pascal(pname)}Parameter", sptr)
            body, body_ptr = self._ctx.deref(op.get("requestBody"), (*ptr, "requestBody"))
            if isinstance(body, Mapping):
                for media, content in (body.get("content") or {}).items():
                    schema = content.get("schema") if isinstance(content, Mapping) else None
                    sptr = (*body_ptr, "content", media, "schema")
                    self._role_roots["Request"].append(schema)
                    if body_kind(media) in (BodyKind.FORM, BodyKind.MULTIPART):
                        # A form is a set of fields, not a model: structured fields get one.
                        for name, prop, prop_ptr in form_properties(self._ctx, schema, sptr):
                            if "array" in declared_types(prop) and isinstance(
                                prop.get("items"), Mapping
                            ):
                                prop, prop_ptr = prop["items"], (*prop_ptr, "items")
                            if self._needs_model(prop) and prop_ptr not in self._hoisted_at:
                                self._hoist(prop, f"{prefix}{naming.pascal(name)}Part", prop_ptr)
                    elif (
                        body_kind(media) is BodyKind.JSON
                        and self._needs_model(schema)
                        and sptr not in self._hoisted_at
                    ):
                        suffix = (
                            ""
                            if len(body.get("content") or {}) == 1
                            else naming.pascal(media.split("/")[-1])
                        )
                        self._hoist(schema, f"{prefix}Request{suffix}", sptr)
            for status, resp in (op.get("responses") or {}).items():
                resp, resp_ptr = self._ctx.deref(resp, (*ptr, "responses", str(status)))
                if not isinstance(resp, Mapping):
                    continue
                for media, content in (resp.get("content") or {}).items():
                    schema = content.get("schema") if isinstance(content, Mapping) else None
                    item_schema = (
                        content.get("itemSchema") if isinstance(content, Mapping) else None
                    )
                    iptr = (*resp_ptr, "content", media, "itemSchema")
                    self._role_roots["Response"].extend((schema, item_schema))
                    if (
                        stream_format(media) is not None
                        and self._needs_model(item_schema)
                        and iptr not in self._hoisted_at
                    ):
                        label = naming.status_label(str(status))
                        self._hoist(item_schema, f"{prefix}{label}Item", iptr, "Response")
                    elif (
                        body_kind(media) is BodyKind.JSON
                        and self._needs_model(schema)
                        and not is_binary_schema(schema)
                    ):
                        sptr = (*resp_ptr, "content", media, "schema")
                        if sptr not in self._hoisted_at:
                            label = naming.status_label(str(status))
                            self._hoist(schema, f"{prefix}{label}ResponseBody", sptr, "Response")
                    break  # one media type per response is typed
        for ptr, alias in webhook_names(self._ctx).items():
            found = json_body_schema(self._ctx, self._ctx.node(ptr), ptr)
            if found is not None:
                self._role_roots["Response"].append(found[0])
            if (
                found is not None
                and self._needs_model(found[0])
                and found[1] not in self._hoisted_at
            ):
                self._hoist(found[0], alias[: -len("Webhook")] + "Payload", found[1], "Response")
        for cb in self._callbacks():
            found = json_body_schema(self._ctx, cb.op, cb.ptr)
            if found is not None:
                self._role_roots["Response"].append(found[0])
                if self._needs_model(found[0]) and found[1] not in self._hoisted_at:
                    self._hoist(found[0], f"{cb.base}Payload", found[1], "Response")
        schemas: dict[str, Any] = {}
        for key, schema in components.items():
            schemas[self._class_names[key]] = schema
        schemas.update(self._hoisted)
        renames = {
            f"{SCHEMA_REF}{escape(k)}": f"{SCHEMA_REF}{v}"
            for k, v in self._class_names.items()
            if k != v
        }
        if renames:
            schemas = rewrite_refs(copy_json(schemas), renames)
        self._variants = split_read_write(
            schemas, self._class_names, self._role_roots, self._hoisted_role
        )
        return {
            "openapi": self._ctx.doc.get("openapi", "3.1.0"),
            "info": {"title": "models", "version": "0"},
            "paths": {},
            "components": {"schemas": schemas},
        }

    # ------------------------------------------------------------------ pass 2

    def _callbacks(self) -> list[CallbackOp]:
        """Every callback operation (read once: diagnostics once)."""
        if self._callback_ops is None:
            self._callback_ops = find_callbacks(self._ctx, self._op_names)
        return self._callback_ops

    def set_models(self, classes: frozenset[str]) -> None:
        """Tell pass 2 which classes the models module defines."""
        self._models = classes

    def _warn_shadowed(self, services: list[Service]) -> None:
        """Warn about operations another one answers for: same method, route and fixed query.

        Path keys that differ only in a fragment (or in the names of their parameters) are one
        route; the app tries routes in service order, so the first operation takes every request.
        """
        first: dict[tuple[str, str, tuple[tuple[str, str], ...]], Operation] = {}
        for service in services:
            for op in service.operations:
                key = (op.method, _PATH_VAR.sub("{}", op.route_path), op.route_query)
                winner = first.setdefault(key, op)
                if winner is not op:
                    self._ctx.warn(
                        "unreachable-operation",
                        f"{op.method.upper()} {op.path!r} ({op.operation_id!r}) is served by "
                        f"{winner.operation_id!r} ({winner.path!r}), which takes the same "
                        "requests; this operation is never called",
                        op.pointer,
                    )

    def build(self) -> Api:
        """Build the IR (pass 2). Call after :meth:`models_document` and :meth:`set_models`."""
        self._types = SchemaTypes(self._class_names, self._hoisted_at, self._variants, self._models)
        schemes = read_schemes(self._ctx)
        services: dict[str, list[Operation]] = {}
        descriptions: dict[str, str | None] = {}
        tag_info: dict[str, tuple[str | None, str | None]] = {}  # name -> (parent, kind)
        for tag in self._ctx.doc.get("tags") or []:
            if isinstance(tag, Mapping) and isinstance(tag.get("name"), str):
                descriptions[tag["name"]] = (
                    tag.get("description") if isinstance(tag.get("description"), str) else None
                )
                tag_info[tag["name"]] = (
                    tag.get("parent") if isinstance(tag.get("parent"), str) else None,
                    tag.get("kind") if isinstance(tag.get("kind"), str) else None,
                )
        for path, method, item, op, ptr in self._ctx.operations():
            op_id, py_name, prefix = self._op_names[ptr]
            tag = service_tag(op.get("tags"), tag_info)
            taken = set(naming.RESERVED) | {
                "sf_service",
                "sf_principal",
                "sf_response",
                "sf_request",
            }
            params = read_parameters(self._ctx, self._types, item, op, ptr, taken)
            # A fragment is never sent: AutoRest's "/{tenantID}/{nextLink}#Users_ListNext" tells
            # operations on one path apart in the document only, and is served at the path.
            served, _, fragment = path.partition("#")
            if fragment:
                self._ctx.warn(
                    "unsupported",
                    f"path {path!r} carries a fragment, which clients never send: the "
                    f"operation is served at {served.partition('?')[0]!r}",
                    ptr,
                    Level.INFO,
                )
            declared = {p.name: p for p in params if p.location is ParamLocation.PATH}
            for var in _PATH_VAR.findall(served):
                if var not in declared:
                    self._ctx.warn(
                        "path-parameter",
                        f"path parameter {var!r} is not declared; received as a string",
                        ptr,
                    )
                    p = Parameter(
                        var,
                        naming.unique(naming.snake(var), taken),
                        ParamLocation.PATH,
                        True,
                        "str",
                        None,
                        (),
                        None,
                        False,
                        False,
                        "simple",
                        ptr,
                    )
                    params.insert(0, p)
                    declared[var] = p
            seen_vars: set[str] = set()

            def route_var(
                match: re.Match[str],
                seen: set[str] = seen_vars,
                declared: dict[str, Parameter] = declared,
            ) -> str:
                var = match.group(1)
                py = declared[var].py_name
                if var in seen:
                    # Starlette cannot capture one name twice: later copies get their own.
                    return "{" + naming.unique(f"{py}_again", seen) + "}"
                seen.add(var)
                return "{" + py + "}"

            path_only, _, fixed_query = served.partition("?")
            route_query = tuple(urllib.parse.parse_qsl(fixed_query, keep_blank_values=True))
            if fixed_query:
                self._ctx.warn(
                    "unsupported",
                    f"path {path!r} carries a query string: the operation is served at "
                    f"{path_only!r} for requests whose query has {fixed_query!r}",
                    ptr,
                    Level.INFO,
                )
            route_path = _PATH_VAR.sub(route_var, path_only)
            if len(set(_PATH_VAR.findall(served))) < len(_PATH_VAR.findall(served)):
                self._ctx.warn(
                    "unsupported",
                    f"path template {path!r} repeats a parameter; only its first "
                    "occurrence is passed to the operation",
                    ptr,
                    Level.INFO,
                )
            params = [
                p
                for p in params
                if p.location is not ParamLocation.PATH or "{" + p.name + "}" in served
            ]
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
                    route_path=route_path,
                    tag=tag,
                    summary=op.get("summary") if isinstance(op.get("summary"), str) else None,
                    description=op.get("description")
                    if isinstance(op.get("description"), str)
                    else None,
                    deprecated=bool(op.get("deprecated")),
                    parameters=tuple(params),
                    body=body,
                    responses=tuple(responses),
                    security=read_requirements(self._ctx, op, schemes, ptr),
                    validation_status=validation_status,
                    bare_success=bare_success,
                    bare_none=bare_none,
                    pointer=ptr,
                    strict_query=bool(op.get(STRICT_QUERY, self._ctx.doc.get(STRICT_QUERY, False))),
                    route_query=route_query,
                )
            )
        taken_modules: set[str] = {
            "app",
            "models",
            "responses",
            "security",
            "services",
            "routers",
            "runtime",
            # create_app's own parameters and locals: a tag must not shadow them
            "docs",
            "allow_unimplemented",
            "fastapi_options",
            "given",
            "providers",
            "handler",
            "handler_impl",
            "P",
            # names app.py imports: an argument of create_app must not shadow them
            "provider",
            "resolve",
            "include_routers",
            "serve_spec",
            "install_error_handlers",
        }
        taken_classes: set[str] = set()
        built: list[Service] = []
        for tag in sorted(
            services,
            key=lambda t: (
                list(descriptions).index(t) if t in descriptions else len(descriptions),
                t,
            ),
        ):
            module = naming.unique(naming.snake(tag), taken_modules)
            class_name = naming.unique(naming.pascal(tag) + "Service", taken_classes)
            parent, kind = tag_info.get(tag, (None, None))
            built.append(
                Service(
                    tag,
                    class_name,
                    module,
                    descriptions.get(tag),
                    tuple(services[tag]),
                    parent=parent,
                    kind=kind,
                )
            )
        self._warn_shadowed(built)
        webhooks = read_webhooks(self._ctx, self._types, schemes)
        callbacks = [
            read_callback(
                self._ctx, self._types, cb, self._op_names[cb.owner].operation_id, schemes
            )
            for cb in self._callbacks()
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


# OpenAPI 3.2 tag kinds that label operations rather than group them (the registry's
# ``badge`` and ``audience``): they never become the service an operation belongs to.
_LABEL_KINDS = frozenset({"badge", "audience"})


def service_tag(tags: Any, info: Mapping[str, tuple[str | None, str | None]]) -> str:
    """The tag whose service holds an operation: its first tag that groups (not a label)."""
    names = [str(t) for t in tags] if isinstance(tags, list) else []
    for name in names:
        if info.get(name, (None, None))[1] not in _LABEL_KINDS:
            return name
    return names[0] if names else "default"
