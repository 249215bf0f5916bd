"""The JSON Schema pass: the document against the official OpenAPI JSON Schema.

jsonschema-rs first says whether the document is valid at all (~50 ms on GitHub's 13 MB spec);
only when it is not does the slower jsonschema pass run, whose errors carry the detail that
:mod:`specfirst.validate.messages` turns into messages. Each error is located where its content
is written: :func:`_real_pointer` follows the internal refs along its path.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from specfirst.diagnostics import Diagnostic, Level
from specfirst.loader import Pointer, SourceSpec, pointer_step, ref_pointer, resolve_pointer
from specfirst.validate.messages import _best, _message, _unexpected_keys, _unexpected_message

_jsonschema_rs: Any
try:
    import jsonschema_rs as _jsonschema_rs
except ImportError:  # pragma: no cover - optional speed-up
    _jsonschema_rs = None


Found = tuple[Diagnostic, Pointer | None]
"""A diagnostic and the pointer of the node it is about (in the bundled document)."""


def _schema_errors(spec: SourceSpec, schema: Mapping[str, Any]) -> Iterator[Found]:
    doc = spec.document
    if _jsonschema_rs is not None:
        try:
            if _jsonschema_rs.validator_for(dict(schema)).is_valid(doc):
                return
        except Exception:  # fall back to the reference implementation below
            pass
    validator = jsonschema.validators.validator_for(schema)(schema)
    for error in validator.iter_errors(doc):
        yield from _from_validation_error(spec, error, (), "openapi-schema", "")


def _from_validation_error(
    spec: SourceSpec, error: ValidationError, base: Pointer, rule: str, prefix: str
) -> Iterator[Found]:
    error = _best(error)
    pointer: Pointer = (*base, *error.absolute_path)
    if error.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(
        error.instance, dict
    ):
        extras = _unexpected_keys(error)
        if extras:
            for key in extras:
                real = _real_pointer(spec.document, (*pointer, key))
                yield (
                    Diagnostic(
                        Level.ERROR,
                        rule,
                        prefix + _unexpected_message(key, error),
                        spec.locate(real),
                    ),
                    real,
                )
            return
    real = _real_pointer(spec.document, pointer)
    yield Diagnostic(Level.ERROR, rule, prefix + _message(error), spec.locate(real)), real


def _real_pointer(doc: Any, pointer: Pointer) -> Pointer:
    """Follow internal $refs along ``pointer`` so it names where the content is written."""
    node = doc
    current: list[str | int] = []
    seen = 0
    for seg in pointer:
        while (
            isinstance(node, dict)
            and isinstance(node.get("$ref"), str)
            and str(seg) not in node
            and node["$ref"].startswith("#")
            and seen < 50
        ):
            seen += 1
            target = ref_pointer(node["$ref"])
            node = resolve_pointer(doc, target)[1]
            current = list(target)
        node, seg = pointer_step(node, seg)
        current.append(seg)
    return tuple(current)
