"""The example-valid rule: every example matches the schema it illustrates.

:func:`_examples` finds the examples: ``example`` and ``examples`` beside the ``schema`` of a
media type, parameter or header, and ``example`` (and, from 3.1 on, ``examples``) inside a
Schema Object. :class:`ExampleChecker` validates each with the schema dialect of the
document's OpenAPI version; in 3.0 an example under ``responses`` is checked as a response and
one under ``requestBody`` or ``parameters`` as a request (``readOnly`` and ``writeOnly``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specfirst.diagnostics import Level
from specfirst.lint.context import Context, Finding, Rule
from specfirst.loader import Pointer, pointer_to_ref

__all__ = ["RULES", "ExampleChecker"]


def _example_valid(ctx: Context) -> Iterator[Finding]:
    checker = ExampleChecker(ctx.doc, ctx.version)
    for schema_ptr, example_ptr, example, direction in _examples(ctx):
        yield from checker.check(schema_ptr, example_ptr, example, direction)


def _examples(ctx: Context) -> Iterator[tuple[Pointer, Pointer, Any, str]]:
    """(schema pointer, example pointer, example value, "read"|"write"|"any") for every example.

    Examples of media types, parameters and headers are checked against their ``schema``;
    ``example``/``examples`` written inside a schema against that schema.
    """
    stack: list[tuple[Any, Pointer, str]] = [(ctx.doc, (), "any")]
    while stack:
        node, pointer, direction = stack.pop()
        if isinstance(node, list):
            stack.extend((v, (*pointer, i), direction) for i, v in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        if "responses" in pointer[-2:-1] or pointer[-1:] == ("responses",):
            direction = "read"
        elif pointer[-1:] in (("requestBody",), ("parameters",)):
            direction = "write"
        schema = node.get("schema")
        if isinstance(schema, dict) and _is_schema_holder(pointer):
            schema_ptr: Pointer = (*pointer, "schema")
            if "example" in node:
                yield schema_ptr, (*pointer, "example"), node["example"], direction
            examples = node.get("examples")
            if isinstance(examples, dict):
                for name, raw in examples.items():
                    example, _ = ctx.deref(raw, (*pointer, "examples", name))
                    if isinstance(example, dict) and "value" in example:
                        yield (
                            schema_ptr,
                            (*pointer, "examples", name, "value"),
                            example["value"],
                            direction,
                        )
        if _is_schema_pointer(pointer):
            if "example" in node:
                yield pointer, (*pointer, "example"), node["example"], "any"
            examples = node.get("examples")
            if isinstance(examples, list) and ctx.version != "3.0":
                for i, value in enumerate(examples):
                    yield pointer, (*pointer, "examples", i), value, "any"
        for key, value in node.items():
            if key in ("example", "examples", "default", "enum", "const"):
                continue
            if isinstance(value, dict | list):
                stack.append((value, (*pointer, key), direction))


_SCHEMA_CHILD = frozenset(
    {"items", "additionalProperties", "not", "contains", "if", "then", "else", "propertyNames"}
)
_SCHEMA_MAP = frozenset({"properties", "patternProperties", "$defs", "definitions"})
_SCHEMA_LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


def _is_schema_pointer(pointer: Pointer) -> bool:
    """Whether the node at pointer is a Schema Object (by the key that leads to it)."""
    if len(pointer) >= 3 and pointer[:2] == ("components", "schemas"):
        rest = pointer[3:]
        return _schema_path(rest)
    for i in range(len(pointer) - 1, -1, -1):
        if pointer[i] in ("schema", "itemSchema"):
            return _schema_path(pointer[i + 1 :])
    return False


def _schema_path(rest: Pointer) -> bool:
    i = 0
    while i < len(rest):
        key = rest[i]
        if key in _SCHEMA_CHILD:
            i += 1
        elif (key in _SCHEMA_MAP or key in _SCHEMA_LIST) and i + 1 < len(rest):
            i += 2
        else:
            return False
    return True


def _is_schema_holder(pointer: Pointer) -> bool:
    """Media type, parameter and header objects hold a schema with examples beside it."""
    if len(pointer) >= 2 and pointer[-2] == "content":
        return True
    return bool(pointer) and (
        pointer[-2:-1] in (("parameters",), ("headers",))
        or pointer[:2]
        in (
            ("components", "parameters"),
            ("components", "headers"),
        )
    )


class ExampleChecker:
    """Validates example values with the OpenAPI dialect of the document's version.

    OpenAPI 3.0 schemas are not JSON Schema (``nullable``, ``readOnly`` in requests):
    openapi-schema-validator implements both dialects on top of jsonschema, so we use it
    rather than teach jsonschema 3.0's rules ourselves.
    """

    def __init__(self, doc: dict[str, Any], version: str) -> None:
        """``doc``: the whole document; ``version``: its OpenAPI version ("3.0", "3.1")."""
        import openapi_schema_validator as osv
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT4, DRAFT202012

        self.uri = "urn:specfirst:document"
        spec = DRAFT4 if version == "3.0" else DRAFT202012
        self.registry: Any = Registry().with_resource(
            self.uri, Resource.from_contents(doc, default_specification=spec)
        )
        if version == "3.0":
            self.classes: dict[str, Any] = {
                "read": osv.OAS30ReadValidator,
                "write": osv.OAS30WriteValidator,
                "any": osv.OAS30Validator,
            }
            self.formats: Any = osv.oas30_format_checker
        elif str(doc.get("openapi", "")).startswith("3.2"):
            self.classes = dict.fromkeys(("read", "write", "any"), osv.OAS32Validator)
            self.formats = osv.oas32_format_checker
        else:
            self.classes = dict.fromkeys(("read", "write", "any"), osv.OAS31Validator)
            self.formats = osv.oas31_format_checker
        self.validators: dict[tuple[Pointer, str], Any] = {}

    def check(
        self, schema_ptr: Pointer, example_ptr: Pointer, example: Any, direction: str
    ) -> Iterator[Finding]:
        key = (schema_ptr, direction)
        validator = self.validators.get(key)
        if validator is None:
            ref = {"$ref": self.uri + pointer_to_ref(schema_ptr)}
            validator = self.classes[direction](
                ref, registry=self.registry, format_checker=self.formats
            )
            self.validators[key] = validator
        try:
            errors = list(validator.iter_errors(example))
        except Exception as exc:  # an unresolvable or invalid schema: other rules say why
            del exc
            return
        for error in errors[:5]:
            where = "".join(f"/{p}" for p in error.absolute_path)
            yield (
                f"example does not match its schema: {_short_message(error.message)}"
                + (f" (at {where})" if where else ""),
                (*example_ptr, *error.absolute_path),
            )


def _short_message(message: str, limit: int = 160) -> str:
    message = " ".join(message.split())
    if message == "None for not nullable":  # openapi-schema-validator's wording for 3.0
        message = "null is not allowed (the schema is not nullable)"
    return message if len(message) <= limit else message[: limit - 1] + "…"


RULES: tuple[Rule, ...] = (
    Rule("example-valid", Level.ERROR, "examples match their schemas", _example_valid),
)
