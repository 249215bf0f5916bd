"""Readable messages for JSON Schema errors: what a reader of the diagnostic is told.

:func:`_best` picks, out of a ``oneOf``/``anyOf`` failure, the branch the author most likely
meant and its deepest error; :func:`_message` words a jsonschema error ("missing required
property 'title'", "expected string, got number 3"); :func:`_short` quotes a value briefly.
"""

from __future__ import annotations

import json
import re
from typing import Any

from jsonschema.exceptions import ValidationError


def _best(error: ValidationError) -> ValidationError:
    """The error that explains a oneOf/anyOf failure best: the closest branch's deepest error."""
    while error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            branch = sub.relative_schema_path[0] if sub.relative_schema_path else None
            branches.setdefault(branch, []).append(sub)

        def score(
            errors: list[ValidationError], instance: Any = error.instance
        ) -> tuple[int, int, int, int]:
            # A branch that wants a $ref the instance doesn't have, or that is told apart by
            # a fixed value (`in: path`, `type: oauth2`) the instance doesn't have, is not the
            # branch the author meant.
            wants_ref = any(
                e.validator == "required"
                and "$ref" in _value(e)
                and isinstance(instance, dict)
                and "$ref" not in instance
                for e in errors
            )
            wrong_kind = any(
                e.validator in ("enum", "const") and len(e.relative_path) == 1 for e in errors
            )
            depth = max(len(e.absolute_path) for e in errors)
            return (int(wants_ref), int(wrong_kind), len(errors), -depth)

        chosen = min(branches.values(), key=score)
        error = max(chosen, key=lambda e: len(e.absolute_path))
    return error


def _value(error: ValidationError) -> Any:
    """The failing keyword's value (``validator_value``), typed for use."""
    value: Any = error.validator_value
    return value if isinstance(value, list | dict | str | int | float | bool) else ()


def _unexpected_keys(error: ValidationError) -> list[str]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = schema.get("properties", {}) or {}
    patterns = list((schema.get("patternProperties", {}) or {}).keys())
    extras = []
    instance: Any = error.instance
    for key in instance:
        if key in known or any(re.search(p, key) for p in patterns):
            continue
        extras.append(key)
    return extras


def _unexpected_message(key: str, error: ValidationError) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    patterns = list((schema.get("patternProperties", {}) or {}).keys())
    if patterns:
        allowed = [*(schema.get("properties", {}) or {}), *(f"/{p}/" for p in patterns)]
        return f"unexpected key {key!r} (allowed: {', '.join(allowed)})"
    return f"unexpected property {key!r}"


def _message(error: ValidationError) -> str:
    v = error.validator
    instance: Any = error.instance
    value = _value(error)
    if v == "required" and isinstance(instance, dict):
        missing = [p for p in value if p not in instance]
        if missing == ["required"] and instance.get("in") == "path":
            return f"path parameter {instance.get('name')!r} must have required: true"
        if len(missing) == 1:
            return f"missing required property {missing[0]!r}"
        if missing:
            return "missing required properties " + ", ".join(repr(m) for m in missing)
    if v == "type":
        expected = value
        if isinstance(expected, list):
            expected = " or ".join(expected)
        if instance is None:
            return f"expected {expected}, got null"
        return f"expected {expected}, got {_json_type(instance)} {_short(instance)}"
    if v == "enum":
        options = ", ".join(_short(o) for o in value)
        return f"{_short(instance)} is not one of {options}"
    if v == "const":
        return f"expected {_short(value)}, got {_short(instance)}"
    if v == "pattern":
        return f"{_short(instance)} does not match pattern {value!r}"
    if v in ("oneOf", "anyOf"):
        return f"{_json_type(instance)} does not match any of the allowed forms"
    if v == "not":
        return f"{_short(instance)} is not allowed here"
    if v in ("minItems", "minProperties") and not instance:
        return "must not be empty"
    if v == "uniqueItems":
        return "items must be unique"
    if v == "format":
        return f"{_short(instance)} is not a valid {value}"
    return str(error.message)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _short(value: Any, limit: int = 40) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
