"""Example values from a schema: the spec's own examples first, else one built within its bounds.

:func:`synthesize` walks a schema the way a reader expects an example of it to look:
``const``/``example``/``default``/``examples``/``enum`` first, then a plausible value per
type and format (``2025-01-15T09:30:00Z``, ``user@example.com``), within its bounds
(lengths, ranges, ``multipleOf``, ``minItems``), patterns matched where a short candidate or
hypothesis' ``from_regex`` (seeded: the same value every run) finds a match.

Written here rather than taken from a library: hypothesis-jsonschema (no longer installed with
schemathesis) draws random, shrunk data (``""``, ``0``, ``{}``) and costs seconds per large
schema; example stubs want the same plausible value every time, at once. Every value is checked
against its schema by :class:`Schemas` (jsonschema-rs), so what is not valid is known.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote

import jsonschema_rs

from specfirst.parser.media import JSON_ALIASES
from specfirst.schema_rewrites import (
    SCHEMA_LISTS,
    SCHEMA_MAPS,
    SCHEMA_VALUES,
    discriminator_literals,
    one_of_holder,
    schema_nodes,
    spell_one_of_holder,
)

_MAX_DEPTH = 8
_SCHEMA_REF = "#/components/schemas/"

Json = Any

# --- schema helpers -----------------------------------------------------------------------------


class Schemas:
    """Resolves internal ``$ref``s and builds validators against the whole document."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.openapi30 = str(document.get("openapi", "")).startswith("3.0")
        # component name → {property: values}: the discriminators its model types as Literals
        self._literals = _literals(document)
        self._components = json_schema(
            _as_modelled(document.get("components", {}), self._literals), self.openapi30
        )
        # id(schema) → (schema, validator): a schema (a shared error body) is compiled once
        self._validators: dict[int, tuple[Any, Any]] = {}
        # id(schema) → (schema, value): what a user of this document synthesized for it
        self.synthesized: dict[int, tuple[Any, Any]] = {}

    def literals(self, ref: str) -> Mapping[str, frozenset[str]]:
        """The discriminator properties the model of the component schema ``ref`` types as a
        ``Literal``, with its values (as the generator types them: see
        :func:`specfirst.schema_rewrites.discriminator_literals`)."""
        if not ref.startswith(_SCHEMA_REF):
            return {}
        return self._literals.get(ref[len(_SCHEMA_REF) :], {})

    def resolve(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and seen < 50:
            node = self._pointer(node["$ref"])
            seen += 1
        return node

    def _pointer(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise ValueError(f"external $ref {ref!r}: bundle the spec first")
        node: Any = self.document
        for part in ref[2:].split("/"):
            part = unquote(part).replace("~1", "/").replace("~0", "~")
            node = node[int(part)] if isinstance(node, list) else node[part]
        return node

    def validator(self, schema: Mapping[str, Any]) -> Any:
        """A validator of ``schema``, with the components it refers to (only those: compiling
        every component of a large spec for each schema took minutes on GitHub's)."""
        cached = self._validators.get(id(schema))
        if cached is not None:
            return cached[1]
        root = dict(json_schema(_typed(schema), self.openapi30))
        root["components"] = self._reachable(root)
        validator = jsonschema_rs.Draft202012Validator(root, validate_formats=True)
        self._validators[id(schema)] = (schema, validator)
        return validator

    def _reachable(self, root: Any) -> dict[str, Any]:
        """The components ``root`` refers to, directly or through each other, as a
        ``components`` object."""
        out: dict[str, Any] = {}
        pending = [root]
        seen: set[str] = set()
        while pending:
            node = pending.pop()
            if isinstance(node, list):
                pending.extend(node)
                continue
            if not isinstance(node, Mapping):
                continue
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/") and ref not in seen:
                seen.add(ref)
                parts = [
                    unquote(p).replace("~1", "/").replace("~0", "~") for p in ref[13:].split("/")
                ]
                target: Any = self._components
                for part in parts:
                    target = target.get(part) if isinstance(target, Mapping) else None
                if target is not None and len(parts) >= 2:
                    holder = out
                    for part in parts[:-1]:
                        holder = holder.setdefault(part, {})
                    holder[parts[-1]] = target
                    pending.append(target)
            pending.extend(v for k, v in node.items() if k != "$ref")
        return out

    def is_valid(self, schema: Any, value: Any) -> bool:
        """Whether ``value`` is valid against ``schema``; a schema that cannot be compiled
        (a pattern in a regex dialect jsonschema-rs lacks) judges nothing: True."""
        if not isinstance(schema, Mapping):
            return True
        try:
            return bool(self.validator(schema).is_valid(value))
        except Exception:  # jsonschema-rs raises ValidationError/ValueError for bad schemas
            return True


def _literals(document: Mapping[str, Any]) -> dict[str, dict[str, frozenset[str]]]:
    components = document.get("components")
    found = components.get("schemas") if isinstance(components, Mapping) else None
    return discriminator_literals(found, schema_nodes) if isinstance(found, dict) else {}


def _as_modelled(components: Any, literals: Mapping[str, Mapping[str, frozenset[str]]]) -> Any:
    """``components`` whose schemas validate what the generated models take: each typed as
    :func:`_typed` says, and a member of a discriminated union held to its discriminator's
    values (its model types the property as that ``Literal``; the schema may allow more)."""
    if not isinstance(components, Mapping) or not isinstance(components.get("schemas"), Mapping):
        return components
    schemas: dict[str, Any] = {}
    for name, schema in components["schemas"].items():
        typed = _typed(schema)
        narrowed = literals.get(name)
        if narrowed:
            held = {prop: {"enum": sorted(values)} for prop, values in narrowed.items()}
            typed = {"allOf": [typed, {"properties": held}]}
        schemas[name] = typed
    return {**components, "schemas": schemas}


def _typed(schema: Any) -> Any:
    """``schema`` with ``type: object`` on each subschema that has properties (or required
    names) and no type, no composition: the generator makes a model of it, which takes only
    objects, where JSON Schema, without a ``type``, accepts any value. A copy where it
    changes; the subschemas only (not examples, defaults or property names)."""
    if not isinstance(schema, Mapping):
        return schema
    out = dict(schema)
    for key in SCHEMA_MAPS:
        if isinstance(out.get(key), Mapping):
            out[key] = {name: _typed(sub) for name, sub in out[key].items()}
    for key in SCHEMA_LISTS:
        if isinstance(out.get(key), list):
            out[key] = [_typed(sub) for sub in out[key]]
    for key in SCHEMA_VALUES:
        if key in out:
            out[key] = _typed(out[key])
    if (
        "type" not in out
        and ("properties" in out or "required" in out)
        and not any(key in out for key in _COMPOSITION)
    ):
        out["type"] = "object"
    return out


def json_schema(node: Any, openapi30: bool) -> Any:
    """OpenAPI 3.0 schema dialect → JSON Schema (``nullable``); 3.1 schemas are returned as is."""
    if not openapi30:
        return node
    if isinstance(node, list):
        return [json_schema(item, openapi30) for item in node]
    if not isinstance(node, Mapping):
        return node
    out = {key: json_schema(value, openapi30) for key, value in node.items()}
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = out.get(exclusive)
        if isinstance(flag, bool):  # 3.0: a flag on the bound, not the bound itself
            del out[exclusive]
            if flag and bound in out:
                out[exclusive] = out.pop(bound)
    if out.pop("nullable", False) is True:
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        elif "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    return out


_FORMAT_EXAMPLES: dict[str, Any] = {
    "date-time": "2025-01-15T09:30:00Z",
    "date": "2025-01-15",
    "time": "09:30:00Z",
    "duration": "P1D",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uri": "https://example.com/",
    "iri": "https://example.com/",
    "uri-reference": "/example",
    "iri-reference": "/example",
    "uri-template": "/example/{id}",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "byte": "ZXhhbXBsZQ==",
    "binary": "",
    "password": "correct horse battery staple",
    "regex": "^[a-z]+$",
    "json-pointer": "/example",
    "relative-json-pointer": "0",
}


def synthesize(
    schema: Any,
    schemas: Schemas,
    *,
    response: bool = True,
    minimal: bool = False,
    depth: int = 0,
    wraps: int = 0,
) -> Json:
    """A plausible value for ``schema``: its examples first, else one built within its bounds.

    ``response``: leave out ``writeOnly`` properties (else ``readOnly`` ones); ``minimal``:
    only the required properties, and no example of the schema's own (for a second try when
    the first value is not valid). ``depth`` counts levels of the value (a property, an
    item); an ``allOf``, ``oneOf`` or ``anyOf`` is no level (shipengine writes nearly every
    property as ``allOf: [{$ref: …}]``, and counted so a required string four objects down
    was ``null``), ``wraps`` counts those in a row, so that a cycle of them ends.

    The value is one the generated model takes: a member of a discriminated union has its
    discriminator's value (its model types the property as that ``Literal``, though the
    schema may allow every member's value)."""
    value = _synthesize(
        schema, schemas, response=response, minimal=minimal, depth=depth, wraps=wraps
    )
    ref = schema.get("$ref") if isinstance(schema, Mapping) else None
    if isinstance(ref, str) and isinstance(value, dict):
        for prop, allowed in schemas.literals(ref).items():
            if value.get(prop) not in allowed:
                value = {**value, prop: min(allowed)}
    return value


def _synthesize(
    schema: Any, schemas: Schemas, *, response: bool, minimal: bool, depth: int, wraps: int
) -> Json:
    schema = schemas.resolve(schema)
    if not isinstance(schema, Mapping) or depth > _MAX_DEPTH or wraps > _MAX_DEPTH:
        return None
    if "const" in schema:
        return schema["const"]
    if not minimal:
        for given in _given(schema):
            # an example the schema refuses (a date-time for ``format: date``) is no value of it
            if _fits(schema, given) and schemas.is_valid(schema, given):
                return given
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    if one_of_holder(schema, schemas.resolve):
        # the holder merged with each alternative, as the models read it: the first one's
        spelled = dict(schema)
        spell_one_of_holder(spelled)
        schema = spelled
    if "allOf" in schema:
        return synthesize(
            _merge_all_of(schema, schemas),
            schemas,
            response=response,
            minimal=minimal,
            depth=depth,
            wraps=wraps + 1,
        )
    for key in ("oneOf", "anyOf"):
        options = [schemas.resolve(option) for option in schema.get(key, [])]
        non_null = [o for o in options if not (isinstance(o, Mapping) and o.get("type") == "null")]
        if options:
            return synthesize(
                (non_null or options)[0],
                schemas,
                response=response,
                minimal=minimal,
                depth=depth,
                wraps=wraps + 1,
            )
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in schema else "array" if "items" in schema else "string"
    if kind == "object":
        skip = "writeOnly" if response else "readOnly"
        value: dict[str, Any] = {}
        required = set(schema.get("required") or ())
        for name, sub in (schema.get("properties") or {}).items():
            resolved = schemas.resolve(sub)
            if isinstance(resolved, Mapping) and resolved.get(skip) is True:
                continue
            if name not in required and (minimal or depth >= _MAX_DEPTH - 2):
                continue
            value[name] = synthesize(
                sub, schemas, response=response, minimal=minimal, depth=depth + 1
            )
        # a required name the schema does not declare (apicurio's ``group`` beside its
        # ``groupId``) takes what ``additionalProperties`` allows: without one the object
        # could never be valid; beside ``additionalProperties: false`` (e-conomic's
        # ``canApprove``, shipengine's ``get_rate_by_id_response_body``) any value, as the
        # generated model declares it (:func:`~specfirst.schema_rewrites.declare_required_names`)
        extra = schema.get("additionalProperties", True)
        for name in sorted(required - set(schema.get("properties") or {})):
            sub = extra if isinstance(extra, Mapping) else {"type": "string"}
            value[name] = synthesize(
                sub, schemas, response=response, minimal=minimal, depth=depth + 1
            )
        return value
    if kind == "array":
        count = max(int(schema.get("minItems", 0 if minimal else 1)), 0)
        if "maxItems" in schema:
            count = min(count, int(schema["maxItems"]))
        items = schema.get("items", {})
        if depth >= _MAX_DEPTH - 1:
            count = min(count, 0)
        return [
            synthesize(items, schemas, response=response, minimal=minimal, depth=depth + 1)
            for _ in range(count)
        ]
    if kind == "integer" or kind == "number":
        return _number(schema, integer=kind == "integer")
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return _string(schema)


def _given(schema: Mapping[str, Any]) -> Iterator[Any]:
    """The values a schema gives itself, in the order a reader looks: ``example``,
    ``default``, the first of ``examples``."""
    for key in ("example", "default"):
        if key in schema:
            yield schema[key]
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        yield examples[0]


_COMPOSITION = ("allOf", "oneOf", "anyOf", "not", "if", "$ref")


def _fits(schema: Mapping[str, Any], value: Any) -> bool:
    """Whether ``value`` has a JSON type the generated model takes for ``schema``: its
    ``type``, or an object where it has properties and no type (the generator makes a model
    of it, while JSON Schema, with no ``type``, accepts any value: microcks' ``SecretRef``
    has the object's JSON text, a string, as its ``example``)."""
    declared = schema.get("type")
    if declared is None:
        if any(key in schema for key in _COMPOSITION):
            return True
        if "properties" not in schema and "required" not in schema:
            return True
        declared = "object"
    kinds = {declared} if isinstance(declared, str) else set(declared)
    if schema.get("nullable") is True:
        kinds.add("null")
    if value is None:
        return "null" in kinds
    if isinstance(value, bool):
        return "boolean" in kinds
    if isinstance(value, int):
        return bool(kinds & {"integer", "number"})
    if isinstance(value, float):
        return "number" in kinds or ("integer" in kinds and value.is_integer())
    if isinstance(value, str):
        return "string" in kinds
    if isinstance(value, list):
        return "array" in kinds
    if isinstance(value, Mapping):
        return "object" in kinds
    return True


def _merge_all_of(schema: Mapping[str, Any], schemas: Schemas) -> dict[str, Any]:
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    properties: dict[str, Any] = dict(merged.get("properties", {}))
    required: list[str] = list(merged.get("required", []))
    for part in schema["allOf"]:
        part = schemas.resolve(part)
        if not isinstance(part, Mapping):
            continue
        if "allOf" in part:
            part = _merge_all_of(part, schemas)
        for key, value in part.items():
            if key == "properties":
                properties.update(value)
            elif key == "required":
                required.extend(value)
            else:
                merged.setdefault(key, value)
    if properties:
        merged["properties"] = properties
        merged.setdefault("type", "object")
    if required:
        merged["required"] = sorted(set(required))
    return merged


def _number(schema: Mapping[str, Any], *, integer: bool) -> int | float:
    low, low_open = _bound(schema, "minimum", "exclusiveMinimum")
    high, high_open = _bound(schema, "maximum", "exclusiveMaximum")
    value: float = 1
    if low is not None:
        value = low + (1 if low_open else 0)
    if high is not None and (value > high or (high_open and value >= high)):
        value = high - (1 if high_open else 0)
    step = schema.get("multipleOf")
    if isinstance(step, int | float) and not isinstance(step, bool) and step:
        value = (value // step + (1 if value % step else 0)) * step
    return int(value) if integer else float(value)


def _bound(schema: Mapping[str, Any], inclusive: str, exclusive: str) -> tuple[float | None, bool]:
    """A numeric bound and whether it is open, in either dialect (3.0's boolean flag or
    3.1's number)."""
    flag = schema.get(exclusive)
    if isinstance(flag, bool):
        value = schema.get(inclusive)
        return (value, flag) if _is_number(value) else (None, False)
    if _is_number(flag):
        return flag, True
    value = schema.get(inclusive)
    return (value, False) if _is_number(value) else (None, False)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _string(schema: Mapping[str, Any]) -> str:
    fmt = schema.get("format")
    value = str(_FORMAT_EXAMPLES.get(fmt, "string")) if isinstance(fmt, str) else "string"
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and not _matches(pattern, value):
        value = _from_pattern(pattern, value)
    low = int(schema.get("minLength", 0))
    high = schema.get("maxLength")
    if len(value) < low:
        value = value + value[-1:] * (low - len(value)) if value else "x" * low
    if isinstance(high, int) and len(value) > high:
        value = value[:high]
    return value


def _matches(pattern: str, value: str) -> bool:
    try:
        return re.search(pattern, value) is not None
    except re.error:
        return True


def _from_pattern(pattern: str, fallback: str) -> str:
    for candidate in ("a", "A", "0", "a1", "example", "ABC", "abc_123", "a-b"):
        if _matches(pattern, candidate):
            return candidate
    try:  # hypothesis ships with schemathesis; seeded: the same value every run
        from hypothesis import HealthCheck, Phase, find, settings
        from hypothesis import strategies as st

        found: str = find(
            st.from_regex(pattern, fullmatch=True),
            lambda _: True,
            random=random.Random(0),
            settings=settings(
                database=None,
                phases=[Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck),
            ),
        )
        return found
    except Exception:  # no hypothesis, or a pattern it cannot draw from
        return fallback


def is_json(media: str) -> bool:
    main = media.split(";")[0].strip().lower()
    return main in JSON_ALIASES or main.endswith("+json")


def first_example(container: Mapping[str, Any], schemas: Schemas) -> tuple[bool, Any]:
    if "example" in container:
        return True, container["example"]
    examples = container.get("examples")
    if isinstance(examples, Mapping):
        for example in examples.values():
            example = schemas.resolve(example)
            if isinstance(example, Mapping) and "value" in example:
                return True, example["value"]
    return False, None
