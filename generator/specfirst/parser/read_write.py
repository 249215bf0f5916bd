"""readOnly and writeOnly: a request shape and a response shape for the schemas they split.

Runs at the end of pass 1, on the models document, before datamodel-code-generator sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from specfirst import naming
from specfirst.parser.refs import SCHEMA_REF, marked, renamed_copy, schema_refs, unescape


def split_read_write(
    schemas: dict[str, Any],
    class_names: Mapping[str, str],
    role_roots: Mapping[str, list[Any]],
    hoisted_role: Mapping[str, str],
) -> dict[str, tuple[str, str]]:
    """Give request and response their own shapes where readOnly/writeOnly make them differ.

    A schema with readOnly or writeOnly properties (its own, or in its inline nested
    objects, items and ``allOf`` parts) gets ``<Name>Request`` (without the readOnly ones)
    and ``<Name>Response`` (without the writeOnly ones). So do, transitively,
    the schemas that contain one (``BookPage.items``, a union, an ``allOf`` child …), in the
    roles the operations use them in, their references pointing at the same role's shapes:
    ``BookPageResponse.items`` is ``list[BookResponse]``. Schemas hoisted from one operation
    serve one role only and are rewritten in place.

    ``schemas`` (the models document's, component keys already class names) is changed in
    place; returns, per class that has them, its (request shape, response shape) names.

    Done here rather than by datamodel-code-generator's own option, which re-renders every
    model of the document (a third of its run time on GitHub's spec) to split the few that
    need it.
    """
    target = _target(schemas)
    # Components marked as a whole: a property that refers to one is marked too.
    whole = {n for n, s in schemas.items() if any(marked(s, f, target) for f in _FLAGS.values())}
    # One walk: each schema's references, and whether readOnly/writeOnly appear in it.
    refs: dict[str, set[str]] = {}
    direct: dict[str, tuple[Any, Any]] = {}  # name -> (request shape, response shape)
    for name, schema in schemas.items():
        flagged = [False]
        refs[name] = schema_refs(schema, schemas.__contains__, flagged)
        if not flagged[0] and not refs[name] & whole:
            continue
        request, read_only = _without_marked(schema, "readOnly", target)
        response, write_only = _without_marked(schema, "writeOnly", target)
        if read_only or write_only:
            direct[name] = (request, response)
    if not direct:
        return {}
    # Schemas that contain a split one, however deeply.
    shaped = set(direct)
    changed = True
    while changed:
        changed = False
        for name, targets in refs.items():
            if name not in shaped and targets & shaped:
                shaped.add(name)
                changed = True

    def component(ref: str) -> bool:
        key = unescape(ref)
        return key in class_names and class_names[key] in schemas

    roles: dict[str, set[str]] = {}
    for role, roots in role_roots.items():
        start = {class_names[unescape(r)] for root in roots for r in schema_refs(root, component)}
        start |= {c for c, r in hoisted_role.items() if r == role}
        reached: set[str] = set()
        todo = [n for n in start if n in schemas]
        while todo:
            name = todo.pop()
            if name not in reached:
                reached.add(name)
                todo.extend(refs[name] - reached)
        roles[role] = reached
    taken = set(schemas)
    names: dict[str, dict[str, str]] = {"Request": {}, "Response": {}}
    in_place: list[str] = []
    for name in list(schemas):
        if name not in shaped:
            continue
        own_role = hoisted_role.get(name)
        if name not in direct and own_role is not None:
            in_place.append(name)
            continue
        for role in ("Request", "Response"):
            if name in direct or name in roles[role]:
                # ``TokenRequest`` → ``TokenRequestBody``, not ``TokenRequestRequest``
                suffix = "Body" if name.endswith(role) else role
                names[role][name] = naming.unique(f"{name}{suffix}", taken)
    retarget = {
        role: {f"{SCHEMA_REF}{k}": f"{SCHEMA_REF}{v}" for k, v in renames.items()}
        for role, renames in names.items()
    }
    for name in [n for n in schemas if n in shaped]:
        for role in ("Request", "Response"):
            if name not in names[role]:
                continue
            index = 0 if role == "Request" else 1
            shape = direct[name][index] if name in direct else schemas[name]
            shape = _unrequired(shape, _marked_in_parts(schemas[name], _FLAGS[role], target))
            schemas[names[role][name]] = renamed_copy(shape, retarget[role])
    for name in in_place:
        role = hoisted_role[name]
        shape = _unrequired(schemas[name], _marked_in_parts(schemas[name], _FLAGS[role], target))
        schemas[name] = renamed_copy(shape, retarget[role])
    variants: dict[str, tuple[str, str]] = {}
    for name in shaped:
        request = names["Request"].get(name, name)
        response = names["Response"].get(name, name)
        if (request, response) != (name, name):
            variants[name] = (request, response)
    return variants


_FLAGS = {"Request": "readOnly", "Response": "writeOnly"}
"""The flag of the properties each role's shape leaves out."""


def _marked_in_parts(schema: Any, flag: str, target: Callable[[str], Any]) -> set[str]:
    """The names ``schema``'s ``allOf`` parts (``$ref``'d or inline, and theirs) declare only
    marked ``flag``, which ``schema`` itself does not declare unmarked.

    A ``required`` beside the ``allOf`` may list them (shipengine's
    ``address_validating_shipment``: allOf [``partial_shipment``, whose ``shipment_id`` is
    readOnly], ``required: [shipment_id, …]``). OpenAPI applies such a requirement to the
    role the property is in only; the part's shape for the other role has no such property,
    and the requirement alone made the request model require ``shipment_id: Any``: every
    request was refused "Field required"."""
    flagged: set[str] = set()
    plain: set[str] = set()
    for part in _parts(schema, target):
        part_flagged, part_plain = _declared(part, flag, target, 1)
        flagged |= part_flagged
        plain |= part_plain
    own = {n for n, prop in _properties(schema).items() if not marked(prop, flag, target)}
    return flagged - plain - own


def _declared(
    schema: Any, flag: str, target: Callable[[str], Any], depth: int
) -> tuple[set[str], set[str]]:
    """The names ``schema`` and its ``allOf`` parts declare marked ``flag``, and unmarked."""
    flagged: set[str] = set()
    plain: set[str] = set()
    for name, prop in _properties(schema).items():
        (flagged if marked(prop, flag, target) else plain).add(name)
    if depth < 8:
        for part in _parts(schema, target):
            part_flagged, part_plain = _declared(part, flag, target, depth + 1)
            flagged |= part_flagged
            plain |= part_plain
    return flagged, plain


def _parts(schema: Any, target: Callable[[str], Any]) -> list[Any]:
    """``schema``'s ``allOf`` parts, component references followed."""
    parts = schema.get("allOf") if isinstance(schema, Mapping) else None
    found: list[Any] = []
    for part in parts if isinstance(parts, list) else ():
        ref = part.get("$ref") if isinstance(part, Mapping) else None
        if isinstance(ref, str):
            part = target(ref)
        if isinstance(part, Mapping):
            found.append(part)
    return found


def _target(schemas: Mapping[str, Any]) -> Callable[[str], Any]:
    """The component schema a ``$ref`` names (None for any other reference)."""

    def target(ref: str) -> Any:
        return schemas.get(ref[len(SCHEMA_REF) :]) if ref.startswith(SCHEMA_REF) else None

    return target


def _properties(schema: Any) -> dict[str, Mapping[str, Any]]:
    props = schema.get("properties") if isinstance(schema, Mapping) else None
    if not isinstance(props, Mapping):
        return {}
    return {name: prop for name, prop in props.items() if isinstance(prop, Mapping)}


def _unrequired(schema: Any, names: set[str]) -> Any:
    """``schema`` with ``names`` left out of its ``required`` (a copy where that changes it)."""
    required = schema.get("required") if isinstance(schema, Mapping) else None
    if not names or not isinstance(required, list) or not names & set(required):
        return schema
    out = {**schema, "required": [r for r in required if r not in names]}
    if not out["required"]:
        del out["required"]
    return out


def _without_marked(schema: Any, flag: str, target: Callable[[str], Any]) -> tuple[Any, bool]:
    """``schema`` without its properties marked ``flag`` (``readOnly``/``writeOnly``), in its
    inline subschemas too (nested objects, items, ``allOf`` parts …; not through ``$ref``).
    A property is marked on itself or on the component it refers to (:func:`marked`;
    ``target`` finds it).

    Returns the shape and whether anything was dropped. The input is not modified; what
    nothing was dropped from is shared, not copied.
    """
    if not isinstance(schema, Mapping):
        return schema, False
    changes: dict[str, Any] = {}
    props = schema.get("properties")
    if isinstance(props, Mapping):
        kept: dict[str, Any] = {}
        dropped: set[str] = set()
        nested = False
        for key, prop in props.items():
            if marked(prop, flag, target):
                dropped.add(key)
                continue
            kept[key], sub = _without_marked(prop, flag, target)
            nested = nested or sub
        if dropped or nested:
            changes["properties"] = kept
        if dropped and isinstance(schema.get("required"), list):
            changes["required"] = [r for r in schema["required"] if r not in dropped]
    for key in ("items", "additionalProperties"):
        shape, sub = _without_marked(schema.get(key), flag, target)
        if sub:
            changes[key] = shape
    for key in ("allOf", "anyOf", "oneOf"):
        members = schema.get(key)
        if isinstance(members, list):
            shapes = [_without_marked(m, flag, target) for m in members]
            if any(sub for _, sub in shapes):
                changes[key] = [m for m, _ in shapes]
    if not changes:
        return schema, False
    out = {**schema, **changes}
    if out.get("required") == []:
        del out["required"]
    return out, True
