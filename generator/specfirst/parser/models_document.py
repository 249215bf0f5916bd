"""Pass 1: which schemas become model classes, what they are called, and the document of them
that datamodel-code-generator turns into ``models.py``.

Component schemas are renamed to unique PascalCase class names; inline schemas that need a
model are hoisted under names derived from where they stand: ``CreateTaskRequest`` (a JSON
body), ``CreateTaskFilterParameter``, ``UploadFileMetadataPart`` (a structured form field),
``CreateTask201ResponseBody``, ``ListEvents200Item`` (a stream's items), and the payloads of
webhooks and callbacks. Last, readOnly/writeOnly split the schemas they mark into request and
response shapes (:mod:`specfirst.parser.read_write`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from specfirst import naming
from specfirst.ir import BodyKind
from specfirst.loader import Pointer, iter_ref_strings
from specfirst.parser.bodies import form_properties, form_variant, json_body_schema
from specfirst.parser.context import Context
from specfirst.parser.media import body_kind, is_binary_schema, stream_format
from specfirst.parser.operation_names import CallbackOp
from specfirst.parser.parameters import param_schema, primitive_union, raw_parameters
from specfirst.parser.read_write import split_read_write
from specfirst.parser.refs import (
    SCHEMA_REF,
    escape,
    explicit_mappings,
    is_component_schema,
    is_local_ref,
    renamed_copy,
)
from specfirst.schema_types import declared_types, is_simple


def _needs_model(schema: Any) -> bool:
    return (
        isinstance(schema, Mapping)
        and "$ref" not in schema
        and not is_simple(schema)
        and bool(schema)
    )


_DATA = frozenset({"example", "examples", "default", "enum", "const"})  # values, not schemas
_NAMED = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})


def _elsewhere(ref: str) -> bool:
    """A ``$ref`` to a schema of this document written outside ``components/schemas``."""
    return is_local_ref(ref) and not ref.startswith(SCHEMA_REF)


class ModelsDocument:
    """The class names of a document's schemas, and the schemas-only document of them.

    Call :meth:`name_components`, hoist from every operation, webhook and callback, then
    :meth:`document`; pass 2 reads :attr:`class_names`, :attr:`hoisted_at` and
    :attr:`variants`.
    """

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self.class_names: dict[str, str] = {}  # component schema key -> class name
        self.hoisted_at: dict[Pointer, str] = {}  # schema pointer -> hoisted class name
        self.variants: dict[str, tuple[str, str]] = {}  # class -> (request, response shape)
        self._hoisted: dict[str, Any] = {}  # class name -> schema
        self._hoisted_role: dict[str, str] = {}  # hoisted class -> "Request" | "Response"
        self._taken: set[str] = set()  # component and hoisted class names
        # Operation-level schemas as written, per role: where the role shapes start.
        self._role_roots: dict[str, list[Any]] = {"Request": [], "Response": []}
        self._components: Mapping[str, Any] = {}
        # schemas reached through a ``$ref`` from another operation: hoisted last, if at all
        self._referenced: list[tuple[Any, str, Pointer, str]] = []

    def name_components(self) -> None:
        """Name the component schemas first: their names are never numbered."""
        self._components = (self._ctx.doc.get("components") or {}).get("schemas") or {}
        for key in self._components:
            self.class_names[key] = naming.unique(naming.pascal(key), self._taken)

    def _hoist(
        self,
        schema: Any,
        name: str,
        pointer: Pointer,
        role: str = "Request",
        *,
        later: bool = False,
    ) -> None:
        """Make ``schema`` (at ``pointer``) the class ``name``; ``later``: it was reached through
        a ``$ref`` from another operation, so it takes that name only if the place it is
        written gives it none (:meth:`_hoist_referenced`): a model is named where it is written,
        whatever the order of the operations."""
        if later:
            self._referenced.append((schema, name, pointer, role))
            return
        cls = naming.unique(name, self._taken)
        self._hoisted[cls] = schema
        self.hoisted_at[pointer] = cls
        self._hoisted_role[cls] = role

    def _target(self, schema: Any, pointer: Pointer) -> tuple[Any, Pointer, bool]:
        """:meth:`Context.schema_target`, and whether it followed a ``$ref``."""
        target, target_ptr = self._ctx.schema_target(schema, pointer)
        return target, target_ptr, target_ptr != pointer

    def _hoist_referenced(self) -> None:
        """Hoist, under the name of the first operation reaching it, each schema only reached
        through ``$ref``s from other operations."""
        for schema, name, pointer, role in self._referenced:
            if pointer not in self.hoisted_at:
                self._hoist(schema, name, pointer, role)
        self._referenced.clear()

    def hoist_operation(
        self, item: Mapping[str, Any], op: Mapping[str, Any], ptr: Pointer, prefix: str
    ) -> None:
        """Hoist the schemas of an operation's parameters, request body and responses."""
        self._hoist_parameters(item, op, ptr, prefix)
        self._hoist_body(op, ptr, prefix)
        self._hoist_responses(op, ptr, prefix)

    def _hoist_parameters(
        self, item: Mapping[str, Any], op: Mapping[str, Any], ptr: Pointer, prefix: str
    ) -> None:
        for (_where, pname), (param, pptr) in raw_parameters(self._ctx, item, op, ptr).items():
            schema, sptr, _media = param_schema(param, pptr)
            schema, sptr, later = self._target(schema, sptr)
            self._role_roots["Request"].append(schema)
            if (
                _needs_model(schema)
                and sptr not in self.hoisted_at
                and primitive_union(self._ctx, schema) is None
            ):
                self._hoist(schema, f"{prefix}{naming.pascal(pname)}Parameter", sptr, later=later)

    def _hoist_body(self, op: Mapping[str, Any], ptr: Pointer, prefix: str) -> None:
        body, body_ptr = self._ctx.deref(op.get("requestBody"), (*ptr, "requestBody"))
        if not isinstance(body, Mapping):
            return
        for media, content in (body.get("content") or {}).items():
            schema = content.get("schema") if isinstance(content, Mapping) else None
            schema, sptr, later = self._target(schema, (*body_ptr, "content", media, "schema"))
            self._role_roots["Request"].append(schema)
            if form_variant(body["content"], media):
                # A JSON body that may also come as a form of another schema: a model of it.
                if _needs_model(schema) and sptr not in self.hoisted_at:
                    suffix = naming.pascal(media.split(";")[0].split("/")[-1])
                    self._hoist(schema, f"{prefix}Request{suffix}", sptr, later=later)
            elif body_kind(media) in (BodyKind.FORM, BodyKind.MULTIPART):
                # A form is a set of fields, not a model: structured fields get one.
                for name, prop, prop_ptr in form_properties(self._ctx, schema, sptr):
                    if "array" in declared_types(prop) and isinstance(prop.get("items"), Mapping):
                        prop, prop_ptr = prop["items"], (*prop_ptr, "items")
                    if _needs_model(prop) and prop_ptr not in self.hoisted_at:
                        self._hoist(prop, f"{prefix}{naming.pascal(name)}Part", prop_ptr)
            elif (
                body_kind(media) is BodyKind.JSON
                and _needs_model(schema)
                and sptr not in self.hoisted_at
            ):
                suffix = (
                    ""
                    if len(body.get("content") or {}) == 1
                    else naming.pascal(media.split("/")[-1])
                )
                self._hoist(schema, f"{prefix}Request{suffix}", sptr, later=later)

    def _hoist_responses(self, op: Mapping[str, Any], ptr: Pointer, prefix: str) -> None:
        for status, resp in (op.get("responses") or {}).items():
            resp, resp_ptr = self._ctx.deref(resp, (*ptr, "responses", str(status)))
            if not isinstance(resp, Mapping):
                continue
            for media, content in (resp.get("content") or {}).items():
                schema = content.get("schema") if isinstance(content, Mapping) else None
                schema, sptr, later = self._target(schema, (*resp_ptr, "content", media, "schema"))
                item_schema = content.get("itemSchema") if isinstance(content, Mapping) else None
                item_schema, iptr, item_later = self._target(
                    item_schema, (*resp_ptr, "content", media, "itemSchema")
                )
                self._role_roots["Response"].extend((schema, item_schema))
                if (
                    stream_format(media) is not None
                    and _needs_model(item_schema)
                    and iptr not in self.hoisted_at
                ):
                    label = naming.status_label(str(status))
                    self._hoist(
                        item_schema, f"{prefix}{label}Item", iptr, "Response", later=item_later
                    )
                elif (
                    body_kind(media) is BodyKind.JSON
                    and _needs_model(schema)
                    and not is_binary_schema(schema)
                    and sptr not in self.hoisted_at
                ):
                    label = naming.status_label(str(status))
                    self._hoist(
                        schema, f"{prefix}{label}ResponseBody", sptr, "Response", later=later
                    )
                break  # one media type per response is typed

    def hoist_webhooks(self, aliases: Mapping[Pointer, str]) -> None:
        """Hoist each webhook's JSON payload as ``<Alias>Payload`` (``aliases``: by pointer)."""
        for ptr, alias in aliases.items():
            found = json_body_schema(self._ctx, self._ctx.node(ptr), ptr)
            if found is not None:
                self._role_roots["Response"].append(found[0])
            if found is not None and _needs_model(found[0]) and found[1] not in self.hoisted_at:
                self._hoist(found[0], alias[: -len("Webhook")] + "Payload", found[1], "Response")

    def hoist_callbacks(self, callbacks: Iterable[CallbackOp]) -> None:
        """Hoist each callback operation's JSON payload as ``<Stem>Payload``."""
        for cb in callbacks:
            found = json_body_schema(self._ctx, cb.op, cb.ptr)
            if found is not None:
                self._role_roots["Response"].append(found[0])
                if _needs_model(found[0]) and found[1] not in self.hoisted_at:
                    self._hoist(found[0], f"{cb.base}Payload", found[1], "Response")

    def _local_refs(self, schemas: dict[str, Any], renames: Mapping[str, str]) -> dict[str, Any]:
        """``schemas`` with every ``$ref`` to a schema written outside ``components/schemas``
        (``#/paths/~1a/post/responses/201/…``) pointing at the class that schema became, or,
        where it became none, replaced by a copy of it; models name no other document."""
        if not any(_elsewhere(ref) for ref in iter_ref_strings(schemas)):
            return schemas

        def members(node: dict[str, Any], seen: tuple[str, ...]) -> dict[str, Any]:
            return {
                k: v if k in _DATA else visit(v, seen, k in _NAMED)
                for k, v in node.items()
                if k != "$ref"
            }

        def visit(node: Any, seen: tuple[str, ...], named: bool = False) -> Any:
            """``named``: a mapping of names to schemas (``properties``), not a schema."""
            if isinstance(node, list):
                return [visit(v, seen) for v in node]
            if not isinstance(node, dict):
                return node
            if named:
                return {k: visit(v, seen) for k, v in node.items()}
            ref = node.get("$ref")
            if not (isinstance(ref, str) and _elsewhere(ref)):
                return {**node, **members(node, seen)}
            rest = members(node, seen)
            target, pointer = self._ctx.follow_ref(ref)
            if pointer in self.hoisted_at:
                return {"$ref": SCHEMA_REF + self.hoisted_at[pointer], **rest}
            if is_component_schema(pointer) and str(pointer[2]) in self.class_names:
                return {"$ref": SCHEMA_REF + self.class_names[str(pointer[2])], **rest}
            if ref in seen or not isinstance(target, Mapping):
                return rest  # a loop through copies: any value there
            copied = visit(renamed_copy(target, renames), (*seen, ref))
            return {**copied, **rest} if isinstance(copied, dict) else rest

        return {name: visit(schema, ()) for name, schema in schemas.items()}

    def document(self) -> dict[str, Any]:
        """The schemas-only document: components under their class names, then the hoisted
        schemas, references renamed, readOnly/writeOnly shapes added."""
        self._hoist_referenced()
        schemas: dict[str, Any] = {}
        for key, schema in self._components.items():
            schemas[self.class_names[key]] = schema
        schemas.update(self._hoisted)
        schemas = explicit_mappings(schemas, self._components)
        renames = {
            f"{SCHEMA_REF}{escape(k)}": f"{SCHEMA_REF}{v}"
            for k, v in self.class_names.items()
            if k != v
        }
        if renames:
            schemas = renamed_copy(schemas, renames)
        schemas = self._local_refs(schemas, renames)
        self.variants = split_read_write(
            schemas, self.class_names, self._role_roots, self._hoisted_role
        )
        return {
            "openapi": self._ctx.doc.get("openapi", "3.1.0"),
            "info": {"title": "models", "version": "0"},
            "paths": {},
            "components": {"schemas": schemas},
        }
