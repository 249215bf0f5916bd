# Vendored from the specfirst 0.1.0 runtime by `specfirst generate`. DO NOT EDIT.
# Upgrade specfirst and regenerate to update it.
"""JSON in and out for a Python type: cached adapters, strict validation, and ``None``.

Shared by request bodies, responses, streams and senders, so that each type's pydantic
``TypeAdapter`` is built once for all of them (:func:`adapter`), JSON text is validated by one
rule (:func:`_validate_json`: strict, but ``3.0`` counts as an integer, as JSON Schema says) and
a value is written by one rule for ``None`` (:func:`_none_means_unset`, :func:`dump_json`).
"""

from __future__ import annotations

import functools
import json
import types
import typing
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import SchemaSerializer

from .base import _is_none


@functools.cache
def adapter(tp: Any) -> TypeAdapter[Any]:
    return TypeAdapter(tp)


@functools.cache
def _none_means_unset(tp: Any) -> bool:
    """Whether ``exclude_none`` gives the same JSON as ``exclude_unset`` for every ``tp`` value.

    An optional property that is not nullable holds ``None`` when absent, and sending that
    ``None`` as ``null`` would break the schema. ``exclude_unset`` omits it, at a cost of about
    a third of the serialization time; where every ``None``-admitting field of every model in
    ``tp`` is such a property (so ``None`` can only mean "not set"), the cheaper
    ``exclude_none`` gives the same document.
    """
    return _fields_none_only_when_unset(tp, set())


@functools.cache
def writer(tp: Any) -> tuple[SchemaSerializer, bool]:
    """The serializer writing ``tp`` to JSON, and whether it writes with ``exclude_none``
    (:func:`_none_means_unset`; else ``exclude_unset``).

    With ``exclude_none``, an optional-not-nullable field's ``exclude_if`` (which leaves its
    ``None`` out of a plain ``model_dump()``, see :mod:`.base`) leaves out nothing more, yet
    pydantic-core calls it, a Python call per such field set in every model written; the
    serializer is then built once from ``tp``'s schema without it: the same JSON, no call.
    """
    ta = adapter(tp)
    if not ta.pydantic_complete:  # a model's own adapter is deferred (``defer_build``)
        ta.rebuild(force=True)  # built now, so that the serializer kept is the real one
    none = _none_means_unset(tp)
    if not none:
        return ta.serializer, none
    found = [False]
    schema = _without_exclude_if(ta.core_schema, found)
    if not found[0]:
        return ta.serializer, none
    try:  # not the models' own prebuilt serializers, which keep it
        return SchemaSerializer(schema, None, _use_prebuilt=False), none
    except TypeError:  # a pydantic-core without the option: the adapter's, which is right too
        return ta.serializer, none


def _without_exclude_if(node: Any, found: list[bool]) -> Any:
    """A copy of a core schema's dicts and lists with every ``exclude_if=_is_none`` left out."""
    if isinstance(node, list):
        return [_without_exclude_if(item, found) for item in node]
    if not isinstance(node, dict):
        return node
    copied = {}
    for key, value in node.items():
        if key == "serialization_exclude_if" and value is _is_none:
            found[0] = True
            continue
        copied[key] = value if key == "metadata" else _without_exclude_if(value, found)
    return copied


def _fields_none_only_when_unset(tp: Any, seen: set[type]) -> bool:
    """True when both modes give the same document for every value of ``tp``.

    That is when no model reachable from ``tp`` has a field that may legitimately be ``None``
    (a nullable one, or ``Any``: its explicit ``None`` must be sent as ``null``) or a default
    other than ``None``. The fields the generator registered as optional-and-not-nullable
    (``__sf_not_null__``, see ``specfirst.runtime.base``) are ``None`` only when unset.
    """
    if tp is Any or tp is object or isinstance(tp, str | typing.ForwardRef):
        return False  # anything, or a reference not resolved: assume None may be meant
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if tp in seen:
            return True
        seen.add(tp)
        if not getattr(tp, "__pydantic_fields_complete__", True):
            tp.model_rebuild(raise_errors=False)  # resolve forward references (defer_build)
        not_null = set(getattr(tp, "__sf_not_null__", ()))
        for name, info in tp.model_fields.items():
            if _admits_none(info.annotation) and name not in not_null:
                return False
            if not info.is_required() and info.get_default() is not None:
                return False  # exclude_unset omits an unset default; exclude_none would not
            if not _fields_none_only_when_unset(info.annotation, seen):
                return False
        return True
    args = typing.get_args(tp)
    if typing.get_origin(tp) is typing.Annotated:
        args = args[:1]
    elif typing.get_origin(tp) is typing.Literal:
        return True
    return all(_fields_none_only_when_unset(arg, seen) for arg in args)


def _admits_none(tp: Any) -> bool:
    if tp is None or tp is type(None) or tp is Any or tp is object:
        return True
    if typing.get_origin(tp) is typing.Annotated:
        return _admits_none(typing.get_args(tp)[0])
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        return any(_admits_none(arg) for arg in typing.get_args(tp))
    return False


def _validate_json(tp: Any, raw: str | bytes) -> Any:
    """Validate a JSON document strictly (JSON has its own types: "30" is not an integer, true
    is not 1); strings still become datetimes, dates, UUIDs and enums, which JSON cannot carry."""
    try:
        return adapter(tp).validate_json(raw, strict=True)
    except ValidationError as exc:
        if not _integral_floats_rejected(exc):
            raise
        # JSON Schema counts 3.0 as an integer; pydantic's strict mode does not.
        try:
            fixed = _ints_for_integral_floats(raw)
        except ValueError:
            raise exc from None
        return adapter(tp).validate_json(fixed, strict=True)


def _integral_floats_rejected(exc: ValidationError) -> bool:
    return any(
        e["type"] == "int_type"
        and isinstance(e.get("input"), float)
        and float(e["input"]).is_integer()
        for e in exc.errors(include_url=False)
    )


def _integral(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() and abs(value) < 2**63 else value


def _ints_for_integral_floats(raw: str | bytes) -> bytes:
    return json.dumps(json.loads(raw, parse_float=_integral), ensure_ascii=False).encode("utf-8")


def dump_json(tp: Any, value: Any, *, warnings: bool = True) -> bytes:
    """JSON for a value of type ``tp`` (a stream item, a callback payload), by the rule for
    ``None`` that :class:`~.render.Json` follows. ``warnings=False``: the caller validates the result (a payload built
    without validation), so pydantic need not warn about it."""
    serializer, none = writer(tp)
    return serializer.to_json(
        value, by_alias=True, exclude_none=none, exclude_unset=not none, warnings=warnings
    )
