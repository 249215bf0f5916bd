"""Rewrites of the schemas handed to datamodel-code-generator, so that its output type-checks.

Each works in place on the copy :func:`specfirst.models.generate_models` makes, and changes no
meaning: the rules the models enforce at run time stay those of the source schemas.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

_REF = "#/components/schemas/"
# Keywords that change no type: a property redefined with only these changed is the same
# property (datamodel-code-generator may still repeat it in a subclass; mypy accepts that).
_ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "example",
        "examples",
        "default",
        "readOnly",
        "writeOnly",
        "deprecated",
        "externalDocs",
        "xml",
        "$comment",
    }
)
# What OpenAPI 3.0 keeps next to a $ref (it ignores the rest; tools read these).
_REF_SIBLINGS = _ANNOTATIONS | {"$ref", "nullable"}
# What a base schema may hold and still be written out as plain properties (anything else,
# a discriminator, oneOf, additionalProperties rules, keeps the subclass).
_FLAT_KEYS = frozenset({"type", "properties", "required", "allOf", "description", "title"})


# Where a schema holds subschemas: maps of them, lists of them, one of them.
SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SCHEMA_VALUES = (
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedProperties",
    "unevaluatedItems",
)


def schema_nodes(schema: Any) -> Iterator[dict[str, Any]]:
    """``schema`` and its subschemas (not examples, defaults or other values)."""
    if not isinstance(schema, dict):
        return
    yield schema
    for key, value in schema.items():
        if key in SCHEMA_MAPS and isinstance(value, dict):
            for sub in value.values():
                yield from schema_nodes(sub)
        elif key in SCHEMA_LISTS and isinstance(value, list):
            for sub in value:
                yield from schema_nodes(sub)
        elif key in SCHEMA_VALUES:
            yield from schema_nodes(value)


def drop_nullable_false(schemas: dict[str, Any], nodes: Callable[[Any], Iterator[Any]]) -> None:
    """Remove ``nullable: false`` (OpenAPI 3.0's default) from every schema.

    Under ``strict_nullable``, datamodel-code-generator reads an explicit ``nullable: false``
    on an optional property as "typed without None" but still gives it the default ``None``
    (``kind: Kind = None``): a mypy error in generated code. Without the key the property is
    ``Kind | None = None`` like every other optional one, and the models' ``not_null`` rules
    (read from the source schemas) refuse an explicit null at run time all the same.
    """
    for schema in schemas.values():
        for node in nodes(schema):
            if node.get("nullable") is False:
                del node["nullable"]


def nullable_references(schemas: dict[str, Any], nodes: Callable[[Any], Iterator[Any]]) -> None:
    """Write ``{allOf: [{$ref: X}], nullable: true}`` as ``{$ref: X, nullable: true}``.

    The allOf is OpenAPI 3.0's way to make a reference nullable (apispec writes it for every
    ``allow_none`` nested schema); datamodel-code-generator read its ``nullable`` on a property
    but not on array items: superset's ``post_processing: [null]`` was refused. The two
    spellings mean the same; the second is the one it reads everywhere.
    """
    for schema in schemas.values():
        for node in nodes(schema):
            parts = node.get("allOf")
            if (
                node.get("nullable") is True
                and isinstance(parts, list)
                and len(parts) == 1
                and isinstance(parts[0], dict)
                and isinstance(parts[0].get("$ref"), str)
                and set(parts[0]) <= _ANNOTATIONS | {"$ref"}
                and set(node) <= _REF_SIBLINGS | {"allOf"}
            ):
                del node["allOf"]
                node["$ref"] = parts[0]["$ref"]


def ignore_ref_siblings(schemas: dict[str, Any], nodes: Callable[[Any], Iterator[Any]]) -> None:
    """Drop the keywords an OpenAPI 3.0 document writes next to a ``$ref``, but annotations
    and ``nullable``: 3.0 ignores them (a Reference Object's siblings), and so do the clients
    and tests that follow it.

    just-eat's ``ServiceTimesServices.collection`` is ``{$ref: ServiceTimesCollection, type:
    object}`` where the referenced schema is an array: datamodel-code-generator typed the
    field ``dict[str, Any]`` and every array the spec allows was refused. ``nullable`` stays, as
    the tools that write it intend (it only accepts a null more).
    """
    for schema in schemas.values():
        for node in nodes(schema):
            if isinstance(node.get("$ref"), str):
                for key in [k for k in node if k not in _REF_SIBLINGS and not k.startswith("x-")]:
                    del node[key]


_SHAPES = frozenset(
    {
        "properties",
        "patternProperties",
        "additionalProperties",
        "unevaluatedProperties",
        "propertyNames",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "$ref",
        "enum",
        "const",
        "discriminator",
        "required",
    }
)
"""Keywords that give an object schema a shape of its own: without any, it is free-form."""


_OBJECT_KEYWORDS = frozenset(
    {
        "properties",
        "patternProperties",
        "additionalProperties",
        "unevaluatedProperties",
        "propertyNames",
        "required",
        "minProperties",
        "maxProperties",
        "dependentRequired",
        "dependentSchemas",
        "dependencies",
    }
)
_ARRAY_KEYWORDS = frozenset(
    {
        "items",
        "prefixItems",
        "additionalItems",
        "unevaluatedItems",
        "contains",
        "minContains",
        "maxContains",
        "minItems",
        "maxItems",
        "uniqueItems",
    }
)
_KNOWN_TYPES = frozenset({"string", "integer", "number", "boolean", "null", "array", "object"})


def keywords_of_its_type(schemas: dict[str, Any], nodes: Callable[[Any], Iterator[Any]]) -> None:
    """Drop the object keywords of a schema whose ``type`` admits no object, and the array
    keywords of one whose ``type`` admits no array.

    JSON Schema applies ``properties`` to objects only and ``items`` to arrays only: beside
    ``type: array`` the properties constrain nothing, as no instance is an object. But
    datamodel-code-generator reads them as another shape the value may take: wealthreader.com's
    ``accounts`` (``type: array``, ``items`` and ``properties``) became a root model of
    ``list[…] | Accounts1``, which took any object too, and ``{type: integer, properties: …}``
    a class that refused every integer. Without them, the class is of the declared type.
    A schema without ``type`` (or with one unknown) is left alone: it may be of either.
    """
    for schema in schemas.values():
        for node in nodes(schema):
            objects, arrays = meaningless_keywords(node)
            for key in (*objects, *arrays):
                del node[key]


def meaningless_keywords(node: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """The object keywords of ``node`` that its ``type`` makes meaningless (it admits no
    object), and its array keywords likewise (it admits no array), each in the order written:
    what :func:`keywords_of_its_type` drops, and lint's ``keyword-type-mismatch`` reports.
    None for a schema without ``type`` or with one unknown."""
    declared = node.get("type")
    types = [declared] if isinstance(declared, str) else declared
    if not isinstance(types, list) or not types or not _KNOWN_TYPES.issuperset(types):
        return [], []
    objects = [k for k in node if k in _OBJECT_KEYWORDS] if "object" not in types else []
    arrays = [k for k in node if k in _ARRAY_KEYWORDS] if "array" not in types else []
    return objects, arrays


def free_form_objects(schemas: dict[str, Any], nodes: Callable[[Any], Iterator[Any]]) -> None:
    """Write ``additionalProperties: true`` on each object schema that names no properties.

    ``{type: object}`` alone admits any object (JSON Schema's ``additionalProperties``
    defaults to true), but datamodel-code-generator makes it a model without fields, which
    pydantic's default reads as ``{}``: a request body's members were dropped before the
    handler saw them, and an answer went out empty. Written out, the model keeps its members
    (``extra="allow"``). Members of an ``allOf`` are left alone: the class they make with
    the other members has fields, and extra members of it are ignored as elsewhere.
    """
    for schema in schemas.values():
        in_all_of = {
            id(part)
            for node in nodes(schema)
            for part in node.get("allOf") or ()
            if isinstance(node.get("allOf"), list)
        }
        for node in nodes(schema):
            kind = node.get("type")
            objects = kind == "object" or (isinstance(kind, list) and "object" in kind)
            if objects and id(node) not in in_all_of and not _SHAPES.intersection(node):
                node["additionalProperties"] = True


def declare_required_names(schemas: dict[str, Any], nodes: Callable[[Any], Iterator[Any]]) -> None:
    """Declare each required name an object schema lists but does not declare.

    ``required: [group]`` beside ``properties`` without ``group`` (apicurio's
    ``ArtifactMetaData``) still requires the name, with any value (or what
    ``additionalProperties`` allows). datamodel-code-generator leaves it out of the model, so
    no implementation could send it, nor would a request be refused without it. Declared as
    ``additionalProperties`` says (``{}``: any value), the model requires it as the schema
    does.

    Beside ``additionalProperties: false`` (e-conomic's ``Employee`` requires ``canApprove``
    and ``canInvoice`` and declares neither), a literal reading admits no object at all: the
    name is required and forbidden. The listing in ``required`` is read as the declaration
    its author meant, with any value (lint's ``required-undeclared`` says so where it is
    written); left out, the model refused every request body as an undeclared member.

    Inline parts of an ``allOf`` are left alone, and so is a name a component used as a part
    of an ``allOf`` requires where another part of it (or the schema holding it) declares the
    name: that part's declaration is the one meant.
    """
    parts: set[int] = set()
    beside: dict[str, set[str]] = {}  # a component used as a part → what the others declare
    for schema in schemas.values():
        for node in nodes(schema):
            all_of = node.get("allOf")
            if not isinstance(all_of, list):
                continue
            for part in all_of:
                if not isinstance(part, dict):
                    continue
                parts.add(id(part))
                name = _ref_name(part)
                if name is not None:
                    names = beside.setdefault(name, set())
                    names.update(
                        _declared_names({"properties": node.get("properties")}, schemas, 0)
                    )
                    for other in all_of:
                        if other is not part:
                            names.update(_declared_names(other, schemas, 0))
    for name, schema in schemas.items():
        for node in nodes(schema):
            properties = node.get("properties")
            required = node.get("required")
            extra = node.get("additionalProperties", True)
            if (
                id(node) in parts
                or not isinstance(properties, dict)
                or not isinstance(required, list)
                or any(k in node for k in ("allOf", "oneOf", "anyOf"))
                or (extra is False and "patternProperties" in node)  # a pattern may allow it
            ):
                continue
            elsewhere = beside.get(name, set()) if node is schema else set()
            for missing in required:
                if (
                    isinstance(missing, str)
                    and missing not in properties
                    and missing not in elsewhere
                ):
                    properties[missing] = copy.deepcopy(extra) if isinstance(extra, dict) else {}


def _declared_names(schema: Any, schemas: dict[str, Any], depth: int) -> set[str]:
    """The property names ``schema`` declares: its ``properties``, those of the component it
    references and of its ``allOf`` parts."""
    if not isinstance(schema, dict) or depth > 20:
        return set()
    properties = schema.get("properties")
    names = set(properties) if isinstance(properties, dict) else set()
    ref = _ref_name(schema)
    if ref is not None:
        names |= _declared_names(schemas.get(ref), schemas, depth + 1)
    for part in schema.get("allOf") or ():
        names |= _declared_names(part, schemas, depth + 1)
    return names


_JSON_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def defaults_of_their_type(schemas: dict[str, Any], nodes: Callable[[Any], Iterator[Any]]) -> None:
    """Give each default the type its schema declares, or drop it.

    exoapi.dev's html-renderer body declares ``margin: {type: string, default: 0}``:
    datamodel-code-generator wrote ``margin: str | None = 0``, a mypy error in generated code.
    A number where a string is declared becomes its JSON text (``"0"``, as parameters read it,
    :func:`specfirst.schema_types.default_literal`); an integral number where an integer is
    declared becomes an int; any other default of none of the declared types (or outside the
    ``enum``) is dropped, so the field defaults to None. A default is an annotation: no
    request is accepted or refused differently.
    """
    for schema in schemas.values():
        for node in nodes(schema):
            if "default" not in node:
                continue
            kept, value = default_of_its_type(node)
            if not kept:
                del node["default"]
            elif value is not node["default"]:
                node["default"] = value


def default_of_its_type(node: dict[str, Any]) -> tuple[bool, Any]:
    """Whether the model keeps ``node``'s ``default`` (:func:`defaults_of_their_type`), and
    the value it keeps: ``(False, None)`` when there is none or it is dropped, the field then
    defaulting to None. A schema whose ``type`` this cannot read keeps its default as it is."""
    if "default" not in node:
        return False, None
    value = node["default"]
    declared = node.get("type")
    types = [declared] if isinstance(declared, str) else declared
    if not isinstance(types, list) or not all(t in _JSON_TYPES for t in types):
        return True, value
    if value is None or any(_JSON_TYPES[t](value) for t in types):
        return True, value
    if isinstance(value, float) and value.is_integer() and "integer" in types:
        value = int(value)
    elif _JSON_TYPES["number"](value) and "string" in types:
        value = json.dumps(value)
    else:
        return False, None
    enum = node.get("enum")
    if isinstance(enum, list) and value not in enum:
        return False, None
    return True, value


def enum_members_of_its_type(
    schemas: dict[str, Any], nodes: Callable[[Any], Iterator[Any]]
) -> None:
    """Each ``enum`` as its declared ``type`` reads it (:func:`enum_as_its_type`): the text of
    a number or a boolean under that type read as it (whatsapp's ``shards: {type: integer,
    enum: ["1", "2", … "32"]}``, its example ``32``), a member no value of the type can be
    dropped (gov.bc.ca's ``jobTypes: {type: integer, enum: [[1], [2]]}``). JSON Schema
    requires both keywords, so literally such an enum admits no value; datamodel-code-generator
    made an ``IntEnum`` of the texts of integers (reading ``32``) but an ``Enum`` of the texts
    of numbers (reading only the text ``"1.5"``), and took ``[2]`` as a member. Where no member
    is left, no value is valid: the enum is dropped here and the property registered as
    admitting none (:func:`enum_admits_none`, ``specfirst.runtime.base.constrain``'s
    ``no_value``). A scalar of another type under ``type: string`` (``1``) is left alone: a
    parameter's text reads as it. The contract run's document reads enums alike.
    """
    for schema in schemas.values():
        for node in nodes(schema):
            members = enum_as_its_type(node)
            if members is None:
                continue
            if not members:
                del node["enum"]
            else:
                node["enum"] = members


def enum_as_its_type(node: Any) -> list[Any] | None:
    """The members of ``node``'s ``enum`` as its ``type`` reads them, when that differs from
    the enum as written (``None`` when it does not, or the type is unknown): the text of an
    integer, a number or a boolean read as one where the type admits it and no string, and a
    member no value of the type can be left out (:func:`enum_members_of_its_type`)."""
    types = _enum_types(node)
    if types is None:
        return None
    read: list[Any] = []
    seen: set[Any] = set()
    changed = False
    for member in node["enum"]:
        value = enum_member_as(member, types)
        if value is member:
            read.append(value)  # as written: duplicates are the document's own
            if isinstance(value, int | float | bool):
                seen.add(_member_key(value))
            continue
        changed = True
        key = _member_key(value)
        if value is not NO_VALUE and key not in seen:  # two texts of one value: "1", "01"
            seen.add(key)
            read.append(value)
    return read if changed else None


def enum_admits_none(schema: Any) -> bool:
    """Whether ``schema`` lists an ``enum`` none of whose members a value of its ``type`` can
    be (:func:`enum_as_its_type`)."""
    return enum_as_its_type(schema) == []


NO_VALUE = object()
"""What :func:`enum_member_as` answers for a member no value of its type equals."""
_INTEGER_TEXT = re.compile(r"-?[0-9]+")
_NUMBER_TEXT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def enum_member_as(member: Any, types: list[str]) -> Any:
    """An ``enum`` member as a value of the declared ``types``: itself, the value its text
    reads as (``"32"`` under ``integer``: ``32``), or :data:`NO_VALUE` (no value of the types
    equals it: ``[1]`` or ``"x"`` under ``integer``)."""
    if _container_of_another_type(member, types):
        return NO_VALUE
    if not isinstance(member, str) or "string" in types:
        return member
    if "integer" in types and _INTEGER_TEXT.fullmatch(member):
        return int(member)
    if "number" in types and _NUMBER_TEXT.fullmatch(member):
        number = float(member)
        return int(number) if number.is_integer() and "." not in member else number
    if "boolean" in types and member in ("true", "false"):
        return member == "true"
    return NO_VALUE


def _member_key(value: Any) -> tuple[type, Any]:
    """A value read from an enum member's text (a number or a boolean), as a set key that
    tells ``1`` from ``True`` and ``1.0``."""
    return (type(value), value)


def _enum_types(node: Any) -> list[str] | None:
    """The declared types of a schema with a non-empty ``enum``, when known."""
    if not isinstance(node, dict) or not isinstance(node.get("enum"), list) or not node["enum"]:
        return None
    declared = node.get("type")
    types = [declared] if isinstance(declared, str) else declared
    if not isinstance(types, list) or not types or not _KNOWN_TYPES.issuperset(types):
        return None
    return types


def _container_of_another_type(member: Any, types: list[str]) -> bool:
    return (isinstance(member, list) and "array" not in types) or (
        isinstance(member, dict) and "object" not in types
    )


def _typing(schema: Any) -> str:
    if not isinstance(schema, dict):
        return json.dumps(schema, sort_keys=True, default=str)
    kept = {k: v for k, v in schema.items() if k not in _ANNOTATIONS and not k.startswith("x-")}
    return json.dumps(kept, sort_keys=True, default=str)


def _ref_name(part: Any) -> str | None:
    ref = part.get("$ref") if isinstance(part, dict) else None
    return ref[len(_REF) :] if isinstance(ref, str) and ref.startswith(_REF) else None


def _flat(name: str, schemas: dict[str, Any], depth: int = 0) -> dict[str, Any] | None:
    """A component schema as plain ``properties``/``required`` (its allOf chain merged), or
    None when it holds more than that (it then keeps its class and its subclasses)."""
    schema = schemas.get(name)
    if not isinstance(schema, dict) or depth > 20 or set(schema) - _FLAT_KEYS:
        return None
    if schema.get("type", "object") != "object":
        return None
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in schema.get("allOf") or []:
        base = _ref_name(part)
        if base is not None and set(part) == {"$ref"}:
            flat = _flat(base, schemas, depth + 1)
        elif isinstance(part, dict) and not set(part) - _FLAT_KEYS - {"allOf"}:
            flat = _flat("", {"": part}, depth + 1)
        else:
            flat = None
        if flat is None:
            return None
        properties.update(flat.get("properties", {}))
        required.extend(flat.get("required", []))
    own = schema.get("properties") or {}
    if not isinstance(own, dict):
        return None
    properties.update(own)
    required.extend(r for r in schema.get("required") or [] if isinstance(r, str))
    return {"type": "object", "properties": properties, "required": list(dict.fromkeys(required))}


def inline_conflicting_bases(
    schemas: dict[str, Any], nodes: Callable[[Any], Iterator[Any]]
) -> None:
    """An allOf that redefines a property of the schema it ``$ref``s gets that schema's other
    properties inline instead of subclassing its class.

    datamodel-code-generator makes ``allOf: [{$ref: Page}, {properties: {items: ...}}]`` a
    subclass of ``Page`` that assigns ``items`` again; when the new definition has another type
    (``list[Region]`` where ``Page`` has ``list[dict[str, Any]]``) mypy refuses the subclass
    (an incompatible override). Inlined, the class has the base's properties and its own
    definition of the redefined ones, which is what the subclass validated at run time too.

    A redefinition that types the property as the base does is no conflict in the schema, but
    is one in Python when the definition makes classes of its own (an inline enum or object):
    flat.io's UserDetails redefines ``type`` with the enum UserBasics, three allOfs up, declares
    alike, and the two became ``Type5`` and ``Type6``. Where that is all it changes (no default
    or required of its own), the redefinition is dropped, so the subclass inherits the base's
    field (:func:`_inherit_alike`); otherwise it is a conflict as above.
    """
    for schema in schemas.values():
        for node in nodes(schema):
            parts = node.get("allOf")
            if not isinstance(parts, list):
                continue
            _inherit_alike(node, parts, schemas, nodes)
            own: dict[str, Any] = {}
            for part in parts:
                if isinstance(part, dict) and _ref_name(part) is None:
                    props = part.get("properties")
                    own.update(props if isinstance(props, dict) else {})
            props = node.get("properties")
            own.update(props if isinstance(props, dict) else {})
            for index, part in enumerate(parts):
                base = _ref_name(part)
                if base is None or set(part) != {"$ref"}:
                    continue
                flat = _flat(base, schemas)
                if flat is None:
                    continue
                conflicts = {
                    p
                    for p, definition in flat["properties"].items()
                    if p in own
                    and (_typing(definition) != _typing(own[p]) or _makes_classes(own[p], nodes))
                }
                if conflicts:
                    flat["properties"] = {
                        p: d for p, d in flat["properties"].items() if p not in conflicts
                    }
                    if not flat["required"]:
                        del flat["required"]
                    parts[index] = flat


def _makes_classes(definition: Any, nodes: Callable[[Any], Iterator[Any]]) -> bool:
    """Whether datamodel-code-generator makes classes of this inline definition (an enum, an
    object with properties): two alike definitions then give two distinct types."""
    return any("enum" in node or node.get("properties") for node in nodes(definition))


def _inherit_alike(
    node: dict[str, Any],
    parts: list[Any],
    schemas: dict[str, Any],
    nodes: Callable[[Any], Iterator[Any]],
) -> None:
    """Drop from ``node`` (an allOf and its inline parts) the redefinitions of a property its
    one base class declares with the same type, default and requiredness, where the
    definition makes classes of its own (:func:`_makes_classes`): the subclass then inherits
    the base's field, typed by the base's class, instead of re-assigning it with a new class
    mypy refuses. The schema validates the same; only the redefinition's description goes."""
    bases = [b for b in map(_ref_name, parts) if b is not None]
    holders = [node, *(p for p in parts if isinstance(p, dict) and _ref_name(p) is None)]
    required = {r for h in holders if isinstance(h.get("required"), list) for r in h["required"]}
    for holder in holders:
        props = holder.get("properties")
        if not isinstance(props, dict):
            continue
        for prop, definition in list(props.items()):
            if prop in required or not _makes_classes(definition, nodes):
                continue
            declared = [d for d in (_declared(b, prop, schemas) for b in bases) if d is not None]
            if len(declared) != 1 or _typing(declared[0]) != _typing(definition):
                continue
            if definition.get("default") != declared[0].get("default"):
                continue
            del props[prop]


def _discriminator_tags(
    schemas: dict[str, Any], nodes: Callable[[Any], Iterator[Any]]
) -> dict[tuple[str, str], frozenset[str]]:
    """(component schema, property) -> the discriminator values its class gets as a ``Literal``.

    A discriminator's mapping names its values; a ``oneOf``/``anyOf`` member it does not map
    is tagged with its schema's name (OpenAPI's implicit mapping, as datamodel-code-generator
    reads it). A discriminator the models drop (:func:`optional_discriminators`) tags nothing:
    its members keep the type their schemas give the property (spotify's ``TrackObject``, an
    implicit member whose ``type`` is the enum [track], is no ``Literal["TrackObject"]``).
    """
    tags: dict[tuple[str, str], set[str]] = {}
    for node, disc, prop in _discriminators(schemas, nodes):
        if not _tags_its_members(node, disc, prop, schemas):
            continue
        selected = _selected_members(node, disc, schemas)
        named = [name for name, _, _ in selected]
        for name, value, implicit in selected:
            others = [other for other in named if other != name]
            tag = _member_tag(name, prop, value, implicit, others, disc, schemas)
            tags.setdefault((name, prop), set()).add(tag)
    return {key: frozenset(values) for key, values in tags.items()}


def _discriminators(
    schemas: dict[str, Any], nodes: Callable[[Any], Iterator[Any]]
) -> Iterator[tuple[dict[str, Any], dict[str, Any], str]]:
    """(schema node, its discriminator, the discriminator's property name) of each node of
    ``schemas`` (as ``nodes`` walks them) with a discriminator naming its property."""
    for schema in schemas.values():
        for node in nodes(schema):
            disc = node.get("discriminator")
            prop = disc.get("propertyName") if isinstance(disc, dict) else None
            if isinstance(disc, dict) and isinstance(prop, str):
                yield node, disc, prop


def _selected_members(
    node: dict[str, Any], disc: dict[str, Any], schemas: dict[str, Any]
) -> list[tuple[str, str, bool]]:
    """(component schema, value, implicit): each member ``node``'s discriminator selects and
    the value it selects it by: a mapping key, else (``implicit``) the member's own name."""
    mapping = disc.get("mapping")
    selected: list[tuple[str, str, bool]] = []
    for value, ref in (mapping if isinstance(mapping, dict) else {}).items():
        name = _ref_name({"$ref": ref}) or (ref if ref in schemas else None)
        if name is not None and name in schemas:
            selected.append((name, str(value), False))
    mapped = {name for name, _, _ in selected}
    for key in ("oneOf", "anyOf"):
        members = node.get(key)
        for part in members if isinstance(members, list) else ():
            name = _ref_name(part)
            if name is not None and name in schemas and name not in mapped:
                selected.append((name, name, True))
                mapped.add(name)
    return selected


def _member_tag(
    name: str,
    prop: str,
    value: str,
    implicit: bool,
    others: list[str],
    disc: dict[str, Any],
    schemas: dict[str, Any],
) -> str:
    """The value member ``name``'s model takes for ``prop``, which its discriminator selects
    it by ``value``: that value, unless the member's own enum (or const) for the property
    leaves it out. Then datamodel-code-generator keeps the member's own value where it has
    one (spotify's ``TrackObject``, ``type`` enum [track], selected by its name: a
    ``Literal["track"]``, not ``Literal["TrackObject"]``), or, for a member no mapping names,
    the one value of its enum no mapping key and no other member's enum claims."""
    own = _enum_strings(_declared(name, prop, schemas))
    if not own or value in own:
        return value
    if len(own) == 1:
        return own[0]
    if not implicit:
        return value
    keys = set(mapping) if isinstance(mapping := disc.get("mapping"), dict) else set()
    held = {v for other in others for v in _enum_strings(_declared(other, prop, schemas))}
    free = [v for v in own if v not in keys and v not in held]
    return free[0] if len(free) == 1 else value


def discriminator_value_conflicts(
    node: dict[str, Any], schemas: dict[str, Any]
) -> Iterator[tuple[str, str, list[str], bool]]:
    """(member, value, allowed, implicit): each value ``node``'s discriminator selects a
    component schema member by, that the member's own property refuses (its enum or const
    allows only ``allowed``); ``implicit`` when the value is the member's name (no mapping
    names the member). Such a value selects a member none of whose instances has it."""
    disc = node.get("discriminator")
    prop = disc.get("propertyName") if isinstance(disc, dict) else None
    if not isinstance(disc, dict) or not isinstance(prop, str):
        return
    for name, value, implicit in _selected_members(node, disc, schemas):
        allowed = _enum_strings(_declared(name, prop, schemas))
        if allowed and value not in allowed:
            yield name, value, allowed, implicit


def _enum_strings(definition: dict[str, Any] | None) -> list[str]:
    """The string values a property definition's ``enum`` (or ``const``) allows, or []."""
    if not isinstance(definition, dict):
        return []
    values = [definition["const"]] if "const" in definition else definition.get("enum")
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []


def discriminator_literals(
    schemas: dict[str, Any], nodes: Callable[[Any], Iterator[Any]]
) -> dict[str, dict[str, frozenset[str]]]:
    """Component schema name -> {property: the values its class's ``Literal`` allows}: the
    members of discriminated unions (and the classes extending them), as the models type them
    (so that example data made for a member is one its model takes)."""
    tags = _discriminator_tags(schemas, nodes)
    props = sorted({prop for (_, prop) in tags})
    out: dict[str, dict[str, frozenset[str]]] = {}
    for name in schemas:
        for prop in props:
            found = _inherited_tag(name, prop, tags, schemas)
            if found is not None:
                out.setdefault(name, {})[prop] = found
    return out


def _inherited_tag(
    name: str,
    prop: str,
    tags: dict[tuple[str, str], frozenset[str]],
    schemas: dict[str, Any],
    depth: int = 0,
) -> frozenset[str] | None:
    """The ``Literal`` values of ``prop`` in the class of schema ``name``: its own tag, else
    the first tagged base class's (a base is an allOf part that is only a ``$ref``)."""
    if (name, prop) in tags:
        return tags[(name, prop)]
    schema = schemas.get(name)
    parts = schema.get("allOf") if isinstance(schema, dict) else None
    if depth > 20 or not isinstance(parts, list):
        return None
    for part in parts:
        base = _ref_name(part)
        if base is not None and set(part) == {"$ref"}:
            found = _inherited_tag(base, prop, tags, schemas, depth + 1)
            if found is not None:
                return found
    return None


def _declared(
    name: str, prop: str, schemas: dict[str, Any], depth: int = 0
) -> dict[str, Any] | None:
    """How the class of schema ``name`` declares property ``prop``: its own definition, else
    that of an allOf part (inline, or a base class)."""
    schema = schemas.get(name)
    if not isinstance(schema, dict) or depth > 20:
        return None
    own = schema.get("properties")
    if isinstance(own, dict) and isinstance(own.get(prop), dict):
        found: dict[str, Any] = own[prop]
        return found
    parts = schema.get("allOf")
    for part in parts if isinstance(parts, list) else ():
        base = _ref_name(part)
        if base is not None and set(part) == {"$ref"}:
            declared = _declared(base, prop, schemas, depth + 1)
        elif isinstance(part, dict):
            declared = _declared("", prop, {"": part}, depth + 1)
        else:
            declared = None
        if declared is not None:
            return declared
    return None


def _takes_any_string(definition: dict[str, Any]) -> bool:
    """Whether a property so defined is typed ``str`` (a subclass may narrow it to a
    ``Literal``): a plain string, no enum, format or reference."""
    kept = {k for k in definition if k not in _ANNOTATIONS and not k.startswith("x-")}
    return definition.get("type") == "string" and kept <= {"type", "nullable"}


def _narrows(
    name: str,
    prop: str,
    base: str,
    tags: dict[tuple[str, str], frozenset[str]],
    schemas: dict[str, Any],
) -> bool:
    """Whether member ``name``'s ``Literal`` for ``prop`` is no valid override of the type
    base class ``base`` gives it: another member's ``Literal`` (velopayments), or a type that
    is not a plain ``str``, such as an enum (just-eat's ``ConsumerOfferType``)."""
    inherited = _inherited_tag(base, prop, tags, schemas)
    if inherited is not None:
        return not tags[(name, prop)] <= inherited
    declared = _declared(base, prop, schemas)
    return declared is not None and not _takes_any_string(declared)


def _spliced(schema: Any) -> list[Any] | None:
    """The allOf parts that stand for ``schema`` in another allOf (its own parts, then its own
    properties, and whether it takes others), or None when it holds more than that."""
    if not isinstance(schema, dict) or set(schema) - _FLAT_KEYS - {"additionalProperties"}:
        return None
    if schema.get("type", "object") != "object":
        return None
    parts = schema.get("allOf") or []
    if not isinstance(parts, list):
        return None
    own = {k: schema[k] for k in ("properties", "required", "additionalProperties") if k in schema}
    spliced = [*parts, {"type": "object", **own}] if own else list(parts)
    return copy.deepcopy(spliced)


def _requires(part: Any, prop: str, schemas: dict[str, Any], depth: int = 0) -> bool:
    """Whether every instance of ``part`` has property ``prop``: its ``required`` lists it, or
    an allOf part's does, or every member of its own oneOf/anyOf requires it. A schema this
    cannot see into (an unresolved ``$ref``, a cycle too deep) counts as requiring it."""
    if not isinstance(part, dict) or depth > 20:
        return True
    if "$ref" in part:
        name = _ref_name(part)
        return name not in schemas or _requires(schemas[name], prop, schemas, depth + 1)
    required = part.get("required")
    if isinstance(required, list) and prop in required:
        return True
    parts = part.get("allOf")
    if isinstance(parts, list) and any(_requires(p, prop, schemas, depth + 1) for p in parts):
        return True
    for key in ("oneOf", "anyOf"):
        members = part.get(key)
        if (
            isinstance(members, list)
            and members
            and all(_requires(m, prop, schemas, depth + 1) for m in members)
        ):
            return True
    return False


def optional_discriminators(schemas: dict[str, Any], nodes: Callable[[Any], Iterator[Any]]) -> None:
    """A discriminator whose property some ``oneOf``/``anyOf`` member does not require is
    dropped: the union is a plain one, each value taking the member it is valid against.

    datamodel-code-generator makes the property of every member a required ``Literal``, and
    pydantic's tagged union refuses a value without it; yet JSON Schema, and every client and
    contract test reading the spec, take such a value when it is valid against one member
    (ably's ``aws_access_keys`` leaves ``authenticationMode`` out of ``required``: a body with
    only the keys was refused). A discriminator with OpenAPI 3.2's ``defaultMapping`` says what
    a value without the property is, and is kept (:func:`specfirst.models._default_mappings`).
    """
    for node, disc, prop in _discriminators(schemas, nodes):
        if not _tags_its_members(node, disc, prop, schemas):
            del node["discriminator"]


def _tags_its_members(
    node: dict[str, Any], disc: dict[str, Any], prop: str, schemas: dict[str, Any]
) -> bool:
    """Whether the models keep ``node``'s discriminator (on ``prop``), tagging its members
    (see :func:`optional_discriminators`): it has OpenAPI 3.2's ``defaultMapping``, or every
    ``oneOf``/``anyOf`` member requires the property (or there are no members to ask)."""
    if "defaultMapping" in disc:
        return True
    members = node.get("oneOf") or node.get("anyOf")
    if not isinstance(members, list):
        return True
    return all(_requires(member, prop, schemas) for member in members)


def split_discriminator_subtypes(
    schemas: dict[str, Any], nodes: Callable[[Any], Iterator[Any]]
) -> None:
    """An allOf that ``$ref``s a schema tagged with another value of the same discriminator,
    or typing the discriminator property otherwise than ``str`` (an enum), gets that schema's
    parts spliced in instead of subclassing its class.

    datamodel-code-generator types the discriminator property of each member of a
    discriminated union as a ``Literal`` of its value. When one member extends another
    (velopayments: ``PaymentRejectedOrReturned`` is allOf [``PaymentStatusChanged``, ...], the
    two mapped to ``payment_rejected_or_returned`` and ``payment_status_changed``), the subclass
    re-assigns ``sourceType: Literal["payment_rejected_or_returned"]`` over the base's
    ``Literal["payment_status_changed"]``: an incompatible override under mypy. Spliced, the
    class has the same bases as the member it extended and the same properties, and validates
    what it did at run time; only the ``Literal`` of its own value types the property.
    """
    tags = _discriminator_tags(schemas, nodes)
    if not tags:
        return
    for name, schema in schemas.items():
        props = [p for (tagged, p) in tags if tagged == name]
        parts = schema.get("allOf") if isinstance(schema, dict) else None
        if not props or not isinstance(parts, list):
            continue
        index = 0
        while index < len(parts) and len(parts) < 200:
            part = parts[index]
            base = _ref_name(part)
            if base is not None and set(part) == {"$ref"} and base != name:
                conflict = any(_narrows(name, prop, base, tags, schemas) for prop in props)
                spliced = _spliced(schemas.get(base)) if conflict else None
                if spliced is not None:
                    parts[index : index + 1] = spliced  # its own parts are looked at next
                    continue
            index += 1


# What a ``oneOf`` holder keeps for itself when spelled as its alternatives
# (:func:`spell_one_of_holder`): what says nothing of the object's members.
_HOLDER_KEEPS = _ANNOTATIONS | {"oneOf", "nullable"}
# Keywords beside a ``oneOf`` that read the object every alternative must also be.
_HOLDER_KEYWORDS = (_OBJECT_KEYWORDS - {"dependencies"}) | {"allOf"}
# Beside these the holder is left as written: a 3.0 ``$ref``'s siblings are ignored, a
# discriminator picks its member by tag, and the others combine in ways not spelled here.
_HOLDER_UNSPELLED = frozenset({"$ref", "discriminator", "anyOf", "not", "if"})


def one_of_holder(node: Any, resolve: Callable[[Any], Any]) -> bool:
    """Whether ``node`` is an object schema that holds a ``oneOf`` beside keywords of its own
    (``properties``, ``required``, ``allOf``, ``additionalProperties: false`` …), which every
    alternative must satisfy as well, each of them a schema that may be an object.

    datamodel-code-generator reads such a schema as the union of its alternatives and drops
    the rest when it has no ``properties`` (shipengine's ``estimate_rates_request_body``:
    closed, allOf [options], ten required names, oneOf [by carrier id, by carrier ids]; a body
    ``{"carrier_ids": 5}`` was taken), and the ``allOf`` parts and ``required`` names beside
    ``properties`` where it merges them. :func:`spell_one_of_holder` writes it as it means.
    ``resolve``: a member's schema (a ``$ref`` followed), to tell whether it may be an object.
    """
    if not isinstance(node, dict):
        return False
    members = node.get("oneOf")
    if not isinstance(members, list) or not members or _HOLDER_UNSPELLED.intersection(node):
        return False
    if not _may_be_object(node) or not any(
        node[key] not in (True, {}, [], None) for key in _HOLDER_KEYWORDS.intersection(node)
    ):
        return False
    return all(isinstance(m, dict) and _may_be_object(resolve(m)) for m in members)


def _may_be_object(schema: Any) -> bool:
    declared = schema.get("type") if isinstance(schema, dict) else None
    if declared is None:
        return isinstance(schema, dict)
    return declared == "object" or (isinstance(declared, list) and "object" in declared)


def spell_one_of_holder(node: dict[str, Any]) -> None:
    """Write a :func:`one_of_holder` as each alternative merged with what it holds, in place:
    ``oneOf: [{allOf: [<the holder without oneOf>, A]}, {allOf: [<…>, B]}]``, the holder's
    own ``allOf`` parts spliced in (``allOf: [<the rest of the holder>, P, A]``: the same
    values, and schemathesis merges no ``allOf`` nested in an ``allOf`` part: it filtered
    nearly every value it drew for shipengine's ``estimate_rates_request_body``).

    The same values are valid (an object valid under the holder's own keywords and exactly
    one alternative), but each alternative now carries the holder's required names, types,
    ``allOf`` parts and closedness: datamodel-code-generator makes each a class of them (the
    holder's name numbered: ``Body1``, ``Body2``), and the exactly-one check runs over those
    classes. ``additionalProperties: false`` then closes each alternative over the names it
    and the holder declare, as the generated classes read closed ``allOf`` parts; read
    literally, it would refuse every name only an alternative declares. Annotations and
    ``nullable`` stay on the holder; each alternative gets its own copy of the rest.
    """
    held = {k: v for k, v in node.items() if k not in _HOLDER_KEEPS and not k.startswith("x-")}
    for key in held:
        del node[key]
    parts = held.pop("allOf", None)
    parts = parts if isinstance(parts, list) else []
    node["oneOf"] = [
        {"allOf": [copy.deepcopy(held), *copy.deepcopy(parts), member]} for member in node["oneOf"]
    ]


def one_of_holders_spelled(schemas: dict[str, Any], resolve: Callable[[Any], Any]) -> int:
    """Spell each :func:`one_of_holder` among ``schemas`` and their subschemas, in place
    (innermost first, so that an alternative's copies hold the spelled form); their number."""
    found = {
        id(node): node
        for schema in schemas.values()
        for node in schema_nodes(schema)
        if one_of_holder(node, resolve)
    }
    for node in reversed(found.values()):
        spell_one_of_holder(node)
    return len(found)


def component_resolver(schemas: Mapping[str, Any]) -> Callable[[Any], Any]:
    """``resolve`` for :func:`one_of_holder`: a ``$ref`` to a component schema followed (a
    few steps), anything else as it is."""

    def resolve(node: Any) -> Any:
        for _ in range(20):
            name = _ref_name(node)
            if name is None or name not in schemas:
                return node
            node = schemas[name]
        return node

    return resolve
