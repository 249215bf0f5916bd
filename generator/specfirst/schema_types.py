"""Python type expressions for schemas that are not worth a model of their own.

Parameters, response headers and simple bodies (``string``, ``integer``, ``array`` of a
component …) become annotations such as ``int`` or ``list[models.Task]``; every other
schema is hoisted into the models document and named (see ``parser.models_document``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeGuard

from specfirst.ir import Constraint
from specfirst.runtime.formats import STRING_FORMATS

_FORMAT_TYPES = {
    "date-time": "datetime.datetime",
    "date": "datetime.date",
    "uuid": "uuid.UUID",
    "binary": "bytes",
}


# The ranges of OpenAPI's integer formats (signed 32 and 64 bits, as the spec defines them).
INTEGER_FORMATS: dict[str, tuple[int, int]] = {
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
}


def _bound(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def format_bounded(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """``schema`` with the range of its integer ``format`` (int32, int64) as bounds.

    An explicit ``minimum``/``maximum`` (or exclusive bound) as narrow as the format's range
    or narrower is kept; a wider one, or none, gives way to the format's ``minimum`` and
    ``maximum``. Returns ``schema`` itself when nothing changes.
    """
    limits = INTEGER_FORMATS.get(str(schema.get("format")))
    if limits is None or "integer" not in schema_types(schema):
        return schema
    low, high = limits
    out = dict(schema)
    lows = [schema.get("minimum"), schema.get("exclusiveMinimum")]
    if not any(_bound(v) and v >= low for v in lows):
        out["minimum"] = low
        out.pop("exclusiveMinimum", None)
    highs = [schema.get("maximum"), schema.get("exclusiveMaximum")]
    if not any(_bound(v) and v <= high for v in highs):
        out["maximum"] = high
        out.pop("exclusiveMaximum", None)
    return out if out != schema else schema


def _literal(values: list[Any]) -> str | None:
    if not values or not all(isinstance(v, str | int | bool) and v is not None for v in values):
        return None
    return "Literal[" + ", ".join(repr(v) for v in values) + "]"


def schema_types(schema: Mapping[str, Any]) -> list[str]:
    """The JSON types a schema admits (3.0 ``type`` + ``nullable``, 3.1 type arrays)."""
    raw = schema.get("type")
    if isinstance(raw, list):
        types = [str(t) for t in raw]
    elif isinstance(raw, str):
        types = [raw]
    else:
        types = []
    if schema.get("nullable") is True and "null" not in types:
        types.append("null")
    return types


def declared_types(schema: Mapping[str, Any]) -> list[str]:
    """The types a schema's ``type`` names, as written (without 3.0 ``nullable``)."""
    raw = schema.get("type")
    if isinstance(raw, list):
        return [str(t) for t in raw]
    return [str(raw)] if isinstance(raw, str) else []


def is_simple(schema: Mapping[str, Any]) -> bool:
    """True when ``primitive_type`` can express the schema without a model."""
    if "$ref" in schema:
        return False
    if any(k in schema for k in ("allOf", "oneOf", "anyOf", "not", "properties")):
        return False
    types = [t for t in schema_types(schema) if t != "null"]
    if "const" in schema:
        return isinstance(schema["const"], str | int | bool)
    if len(types) != 1:
        return False
    if types[0] == "object":
        return False
    if types[0] == "array":
        items = schema.get("items")
        return isinstance(items, Mapping) and ("$ref" in items or is_simple(items))
    return True


def primitive_type(
    schema: Mapping[str, Any],
    ref_type: Callable[[str], str],
    *,
    enums_as_literal: bool = True,
) -> str:
    """Annotation for a simple schema; ``ref_type`` maps a ``$ref`` to an annotation."""
    if "$ref" in schema:
        return ref_type(str(schema["$ref"]))
    if "const" in schema:
        lit = _literal([schema["const"]])
        if lit:
            return lit
    types = schema_types(schema)
    nullable = "null" in types
    types = [t for t in types if t != "null"]
    result = "Any"
    if len(types) == 1:
        kind = types[0]
        if kind == "string":
            enum = schema.get("enum")
            lit = (
                _literal([v for v in enum if v is not None])
                if enums_as_literal and isinstance(enum, list)
                else None
            )
            result = lit or _FORMAT_TYPES.get(str(schema.get("format")), "str")
        elif kind == "integer":
            enum = schema.get("enum")
            lit = _literal([v for v in enum if v is not None]) if isinstance(enum, list) else None
            result = lit or "int"
        elif kind == "number":
            result = "float"
        elif kind == "boolean":
            # an enum of one member (discourse's `include_subcategories: enum [true]`) is
            # that member alone; both members are any boolean
            members = boolean_members(schema.get("enum"))
            result = (_literal(sorted(members)) if len(members) == 1 else None) or "bool"
        elif kind == "array":
            items = schema.get("items")
            inner = primitive_type(items, ref_type) if isinstance(items, Mapping) else "Any"
            result = f"list[{inner}]"
        elif kind == "object":
            result = "dict[str, Any]"
    elif not types and isinstance(schema.get("enum"), list):
        result = _literal([v for v in schema["enum"] if v is not None]) or "Any"
    if nullable and result != "Any":
        result = f"{result} | None"
    return result


BOOLEAN_TEXT = {"true": True, "false": False}
"""A boolean's text, as an ``enum`` of a ``type: boolean`` schema sometimes lists it."""


def boolean_members(enum: Any) -> set[bool]:
    """The booleans an ``enum`` of a ``type: boolean`` schema lists: its booleans, and the text
    of one (oxforddictionaries' ``prefix: {type: boolean, enum: ["false", "true"]}``, which
    admits nothing literally, lists what a client sends for the booleans it means)."""
    if not isinstance(enum, list):
        return set()
    return {v for v in enum if isinstance(v, bool)} | {
        BOOLEAN_TEXT[v] for v in enum if isinstance(v, str) and v in BOOLEAN_TEXT
    }


def checked_format(schema: Any, *, openapi_31: bool) -> str | None:
    """The string format the runtime checks values of ``schema`` for, or None.

    A string schema (not an enum or a ``const``: their members decide) whose ``format`` is one
    of :data:`specfirst.runtime.formats.STRING_FORMATS`, ``uuid`` only under OpenAPI 3.1 and
    later; for an array, the format of its (inline) items. These are the formats schemathesis
    judges values of with jsonschema-rs, and so sends values breaking as invalid data; under
    OpenAPI 3.0 it reads ``uuid`` as Python's ``uuid.UUID`` does, which accepts everything
    pydantic's ``UUID`` type accepts, so that type is check enough there.
    """
    if not isinstance(schema, Mapping):
        return None
    types = schema_types(schema)
    if "array" in types and "string" not in types:
        return checked_format(schema.get("items"), openapi_31=openapi_31)
    fmt = schema.get("format")
    if (
        "string" not in types
        or not isinstance(fmt, str)
        or fmt not in STRING_FORMATS
        or (fmt == "uuid" and not openapi_31)
        or "enum" in schema
        or "const" in schema
    ):
        return None
    return fmt


def rust_regex_ok(pattern: str) -> bool:
    """Whether pydantic-core's regex engine (Rust ``regex``) compiles ``pattern``.

    FastAPI builds parameter validators with it, and it has no look-around or backreferences;
    such a pattern is left unchecked on a parameter rather than failing at start-up.
    """
    from pydantic_core import SchemaError, SchemaValidator, core_schema

    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern))
    except SchemaError:
        return False
    return True


def constraints(schema: Mapping[str, Any], *, openapi_31: bool) -> tuple[Constraint, ...]:
    """FastAPI parameter keyword arguments for a schema's validation keywords."""
    out: list[Constraint] = []
    types = schema_types(schema)
    if "array" in types:
        if isinstance(schema.get("minItems"), int):
            out.append(Constraint("min_length", repr(schema["minItems"])))
        if isinstance(schema.get("maxItems"), int):
            out.append(Constraint("max_length", repr(schema["maxItems"])))
        return tuple(out)
    if "string" in types and not isinstance(schema.get("enum"), list):
        # A uuid, date or date-time parameter is parsed into an object, which has no length
        # (pydantic would fail on the request, a 500): its format bounds the text already.
        sized = schema.get("format") not in _FORMAT_TYPES or schema.get("format") == "binary"
        if sized and isinstance(schema.get("minLength"), int):
            out.append(Constraint("min_length", repr(schema["minLength"])))
        if sized and isinstance(schema.get("maxLength"), int):
            out.append(Constraint("max_length", repr(schema["maxLength"])))
        pattern = schema.get("pattern")
        if (
            isinstance(pattern, str)
            and schema.get("format") not in _FORMAT_TYPES
            and rust_regex_ok(pattern)
        ):
            out.append(Constraint("pattern", repr(pattern)))
    if "integer" in types or "number" in types:
        schema = format_bounded(schema)
        number = (int, float)
        low, high = schema.get("minimum"), schema.get("maximum")
        xlow, xhigh = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
        # 3.1 may give both an exclusive and an inclusive bound: each holds
        if isinstance(xlow, number) and not isinstance(xlow, bool):
            out.append(Constraint("gt", repr(xlow)))
        if isinstance(low, number) and not isinstance(low, bool):
            out.append(Constraint("gt" if xlow is True else "ge", repr(low)))
        if isinstance(xhigh, number) and not isinstance(xhigh, bool):
            out.append(Constraint("lt", repr(xhigh)))
        if isinstance(high, number) and not isinstance(high, bool):
            out.append(Constraint("lt" if xhigh is True else "le", repr(high)))
        multiple = schema.get("multipleOf")
        if isinstance(multiple, number) and not isinstance(multiple, bool) and multiple > 0:
            out.append(Constraint("multiple_of", repr(multiple)))
    del openapi_31  # both dialects are handled by the checks above
    return tuple(out)


_MODEL_NAME = re.compile(r"(?:models\.)?[A-Z][A-Za-z0-9_]*")


def default_literal(schema: Mapping[str, Any], py_type: str) -> str | None:
    """A Python literal for the schema default, or None when there is none usable."""
    if "default" not in schema:
        return None
    value = schema["default"]
    if value is None:
        return "None"
    if isinstance(value, bool | int | float | str):
        if py_type.startswith("Literal[") and repr(value) not in py_type:
            return None
        if isinstance(value, str) and py_type.startswith(("datetime.", "uuid.")):
            return None
        if isinstance(value, bool) and py_type not in ("bool", "bool | None"):
            return None
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and py_type.startswith("str")
        ):
            return repr(str(value))
        return repr(value)
    if isinstance(value, list) and all(isinstance(v, str | int | float | bool) for v in value):
        if py_type.startswith("list["):
            return repr(value)
        if _MODEL_NAME.fullmatch(py_type.removesuffix(" | None")):
            # a hoisted root model of the list (vtex's `allowedOutdatedData`, an array of
            # untyped items): its default is the model holding the list
            return f"{py_type.removesuffix(' | None')}({value!r})"
    return None
