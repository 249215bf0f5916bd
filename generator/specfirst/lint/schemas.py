"""Rules on schemas themselves: keyword-type-mismatch, required-undeclared, one-of-overlap,
enum-type, one-of-holder-closed, discriminator-value.

``keyword-type-mismatch``: object keywords (``properties``, ``required``,
``additionalProperties`` …) beside a ``type`` that admits no object, or array keywords
(``items``, ``minItems`` …) beside one that admits no array, constrain nothing (JSON Schema
applies them to values of their shape only); the generated models leave them out
(:func:`~specfirst.schema_rewrites.keywords_of_its_type`: wealthreader.com's ``accounts``,
``type: array`` with ``items`` and ``properties``), and the finding says where, since the
author likely meant another type.

``required-undeclared``: an object schema with ``additionalProperties: false`` that lists a
name in ``required`` and declares it nowhere (not in ``properties``, no ``patternProperties``
beside it) admits no object at all: the name is both required and forbidden (e-conomic's
``Employee`` requires ``canApprove`` and ``canInvoice``). The generated model reads the
listing as the declaration its author meant, any value
(:func:`~specfirst.schema_rewrites.declare_required_names`), and so does the contract run's
document; the finding says where to declare the name's schema.

``one-of-overlap``: a ``oneOf`` admits a value valid under exactly one member. Where two members
are open objects with nothing to tell them apart (no required property, any other key allowed:
mailscript's ``criteria``, ``oneOf [Criteria, CriteriaOperand]``), every object with enough keys
is valid under both and refused, which is seldom what the author meant: ``anyOf`` admits it. A
warning, located at the ``oneOf``: the app honours the schema as written (see
:mod:`specfirst.one_of_overlap`).

``enum-type``: JSON Schema requires a value of the ``type`` and in the ``enum``, so an array or
object member under a ``type`` that admits neither is no valid value (gov.bc.ca's ``jobTypes:
{type: integer, enum: [[1], [2]]}``, meant as an array of integers). The app honours the schema
as written (:func:`~specfirst.schema_rewrites.enum_members_of_its_type`): such members are
refused, and a property with no other member admits no value at all.

``one-of-holder-closed``: a schema with ``additionalProperties: false`` beside a ``oneOf``
whose alternatives declare names the schema does not (in its ``properties`` or ``allOf``
parts): read literally no value holding them is valid, since ``additionalProperties`` sees
only its own schema's names (shipengine's ``estimate_rates_request_body``, oneOf [by carrier
id, by carrier ids], admits neither ``carrier_id`` nor ``carrier_ids``). The generated model
reads each alternative as merged with the schema and closed over their names together
(:func:`~specfirst.schema_rewrites.spell_one_of_holder`), and so does the contract run's
document; a warning says so where it is written.
``discriminator-value``: a discriminator selects a member by a value (its ``mapping`` key, or
the member's schema name when no mapping names it) that the member's own property refuses (its
enum or const): no instance of the member has the value that selects it. spotify's
``PlaylistTrackObject.track`` discriminates ``TrackObject`` and ``EpisodeObject`` on ``type``
with no mapping, so by the names, while their ``type`` is the enum [track] and [episode]: a
client or contract test reading the spec looks for ``TrackObject``. The generated models take
what the member's schema allows (``track``); the finding says which mapping to write.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from specfirst.diagnostics import Level
from specfirst.lint.context import Context, Finding, Rule
from specfirst.loader import Pointer
from specfirst.one_of_overlap import overlapping_pair
from specfirst.schema_rewrites import (
    discriminator_value_conflicts,
    meaningless_keywords,
    one_of_holder,
)

__all__ = ["RULES"]

_CHILD = ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then")
_CHILD_MORE = ("else", "unevaluatedProperties", "unevaluatedItems")
_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
_COMPOSITION = ("allOf", "anyOf", "oneOf")
_SCHEMA_KEYS = ("schema", "itemSchema")
"""The keys whose value is a Schema Object (of a media type, parameter or header; 3.2's
``itemSchema`` of a sequential media type)."""


def _required_undeclared(ctx: Context) -> Iterator[Finding]:
    for schema, pointer in _schemas(ctx.doc):
        required = schema.get("required")
        if (
            schema.get("additionalProperties", True) is not False
            or not isinstance(required, list)
            or "patternProperties" in schema
            or any(key in schema for key in _COMPOSITION)
        ):
            continue
        properties = schema.get("properties")
        declared = properties if isinstance(properties, dict) else {}
        missing = [name for name in required if isinstance(name, str) and name not in declared]
        if missing:
            names = ", ".join(repr(name) for name in missing)
            it, is_ = ("it", "is") if len(missing) == 1 else ("them", "are")
            yield (
                f"required {names} {is_} not in properties, and additionalProperties: false "
                f"forbids any other name, so no object is valid; the generated model takes "
                f"{it} as declared with any value: declare {it} under properties",
                (*pointer, "required"),
            )


def _keyword_type_mismatch(ctx: Context) -> Iterator[Finding]:
    for schema, pointer in _schemas(ctx.doc):
        objects, arrays = meaningless_keywords(schema)
        kind = schema.get("type")
        written = kind if isinstance(kind, str) else json.dumps(kind)
        for keywords, shape in ((objects, "object"), (arrays, "array")):
            if not keywords:
                continue
            one = len(keywords) == 1
            apply, it, they = (
                ("applies", "it", "it constrains") if one else ("apply", "them", "they constrain")
            )
            yield (
                f"{', '.join(keywords)} beside type: {written} {apply} to {shape}s only, which "
                f"this type excludes: {they} nothing, and the generated model leaves {it} "
                f"out; remove {it}, or add {shape} to type",
                (*pointer, keywords[0]),
            )


def _enum_type(ctx: Context) -> Iterator[Finding]:
    for schema, pointer in _schemas(ctx.doc):
        enum, declared = schema.get("enum"), schema.get("type")
        if not isinstance(enum, list) or not isinstance(declared, str | list):
            continue
        types = [declared] if isinstance(declared, str) else declared
        wrong = [
            (i, m)
            for i, m in enumerate(enum)
            if (isinstance(m, list) and "array" not in types)
            or (isinstance(m, dict) and "object" not in types)
        ]
        kind = " or ".join(str(t) for t in types)
        every = len(wrong) == len(enum)
        for i, member in wrong:
            yield (
                f"enum member {json.dumps(member)} is no {kind}, so no value equals it (a "
                "value must be of the type and in the enum)"
                + ("; no member is, so no value is valid" if every else "")
                + f": fix the type or the member (an array of {kind}: type array, items)",
                (*pointer, "enum", i),
            )


def _discriminator_value(ctx: Context) -> Iterator[Finding]:
    components = ctx.doc.get("components")
    found = components.get("schemas") if isinstance(components, dict) else None
    if not isinstance(found, dict):
        return
    for schema, pointer in _schemas(ctx.doc):
        conflicts = list(discriminator_value_conflicts(schema, found))
        if not conflicts:
            continue
        prop = schema["discriminator"]["propertyName"]
        each = [
            f"{member!r} by {value!r} ("
            + ("its schema's name: no mapping names it" if implicit else "mapped")
            + f"; it allows only {', '.join(repr(v) for v in allowed)})"
            for member, value, allowed, implicit in conflicts
        ]
        mapping = ", ".join(
            f"{allowed[0]}: '#/components/schemas/{member}'" for member, _, allowed, _ in conflicts
        )
        yield (
            f"discriminator on {prop!r} selects members by values their own {prop!r} refuses: "
            f"{', '.join(each)}; no instance has the value that selects it (the generated "
            f"models take what the members allow): map those values, mapping: {{{mapping}}}",
            (*pointer, "discriminator"),
        )


def _schemas(doc: dict[str, Any]) -> Iterator[tuple[dict[str, Any], Pointer]]:
    """Every Schema Object written in the document, with its pointer: the components' and
    each ``schema`` (of a media type, parameter or header) or ``itemSchema``, subschemas
    included; each once, at the first place the walk meets it."""
    stack: list[tuple[Any, Pointer, bool]] = [(doc, (), False)]
    seen: set[int] = set()
    while stack:
        node, pointer, is_schema = stack.pop()
        if isinstance(node, list):
            if not is_schema:
                stack.extend((v, (*pointer, i), False) for i, v in enumerate(node))
            continue
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        if not is_schema:
            for key, value in node.items():
                schema = key in _SCHEMA_KEYS or pointer == ("components", "schemas")
                if key in ("example", "examples", "default", "enum", "const"):
                    continue  # values, not schemas
                stack.append((value, (*pointer, key), schema))
            continue
        yield node, pointer
        for key in (*_CHILD, *_CHILD_MORE):
            stack.append((node.get(key), (*pointer, key), True))
        for key in _MAP:
            value = node.get(key)
            if isinstance(value, dict):
                stack.extend((v, (*pointer, key, k), True) for k, v in value.items())
        for key in _LIST:
            value = node.get(key)
            if isinstance(value, list):
                stack.extend((v, (*pointer, key, i), True) for i, v in enumerate(value))


def _one_of_overlap(ctx: Context) -> Iterator[Finding]:
    for schema, pointer in _schemas(ctx.doc):
        if not isinstance(schema.get("oneOf"), list):
            continue
        pair = overlapping_pair(schema, lambda member: ctx.deref(member, ())[0])
        if pair is None or _forbidden_alternative_names(schema, ctx):
            continue  # a closed holder's alternatives are told apart by the names it closes over
        members = schema["oneOf"]
        first, second = (_name(members[i], i) for i in pair)
        yield (
            f"oneOf members {first} and {second} are objects with no required property that "
            "take any other key, so an object valid under one is mostly valid under both, "
            "which oneOf refuses; did you mean anyOf? (or tell them apart: required "
            "properties, additionalProperties: false)",
            (*pointer, "oneOf"),
        )


def _one_of_holder_closed(ctx: Context) -> Iterator[Finding]:
    for schema, pointer in _schemas(ctx.doc):
        if not isinstance(schema.get("oneOf"), list):
            continue
        theirs = _forbidden_alternative_names(schema, ctx)
        if theirs:
            names = ", ".join(repr(name) for name in theirs[:5]) + (", …" if theirs[5:] else "")
            yield (
                f"additionalProperties: false forbids the names only its oneOf alternatives "
                f"declare ({names}), so read literally no object holding one is valid; the "
                "generated model reads each alternative as merged with this schema and closed "
                "over their names together: say so by moving additionalProperties: false into "
                "each alternative, or declare the names under properties",
                (*pointer, "additionalProperties"),
            )


def _forbidden_alternative_names(schema: dict[str, Any], ctx: Context) -> list[str]:
    """The names the ``oneOf`` alternatives of a closed holder declare and it does not
    (:func:`~specfirst.schema_rewrites.one_of_holder`), sorted; none for any other schema."""

    def resolve(node: Any) -> Any:
        return ctx.deref(node, ())[0]

    if schema.get("additionalProperties") is not False or not one_of_holder(schema, resolve):
        return []
    own = _declared_names(schema, resolve)
    theirs = {name for member in schema["oneOf"] for name in _declared_names(member, resolve)}
    return sorted(theirs - own)


def _declared_names(schema: Any, resolve: Callable[[Any], Any], depth: int = 0) -> set[str]:
    """The names ``schema`` declares: its ``properties`` and its ``allOf`` parts' (refs
    followed), not its ``oneOf``/``anyOf`` alternatives'."""
    schema = resolve(schema)
    if not isinstance(schema, dict) or depth > 20:
        return set()
    properties = schema.get("properties")
    names = {n for n in properties if isinstance(n, str)} if isinstance(properties, dict) else set()
    parts = schema.get("allOf")
    for part in parts if isinstance(parts, list) else ():
        names |= _declared_names(part, resolve, depth + 1)
    return names


def _name(member: Any, index: int) -> str:
    ref = member.get("$ref") if isinstance(member, dict) else None
    if isinstance(ref, str):
        return repr(ref.rsplit("/", 1)[-1])
    return f"#{index}"


RULES: tuple[Rule, ...] = (
    Rule(
        "keyword-type-mismatch",
        Level.WARNING,
        "an object or array keyword beside a type that excludes objects or arrays",
        _keyword_type_mismatch,
    ),
    Rule(
        "required-undeclared",
        Level.ERROR,
        "a required name is declared where other names are forbidden",
        _required_undeclared,
    ),
    Rule(
        "one-of-overlap",
        Level.WARNING,
        "the members of a oneOf can be told apart",
        _one_of_overlap,
    ),
    Rule(
        "enum-type",
        Level.ERROR,
        "enum members are of the schema's type",
        _enum_type,
    ),
    Rule(
        "one-of-holder-closed",
        Level.WARNING,
        "a closed schema declares the names its oneOf alternatives do",
        _one_of_holder_closed,
    ),
    Rule(
        "discriminator-value",
        Level.WARNING,
        "a discriminator selects each member by a value its schema allows",
        _discriminator_value,
    ),
)
