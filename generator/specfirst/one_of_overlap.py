"""oneOf members that admit the same values: open objects with nothing to tell them apart.

JSON Schema's ``oneOf`` admits a value valid under exactly one member. Two members that are
objects with no required property, taking any other key (no ``additionalProperties: false``),
admit together every object with enough keys neither declares: mailscript's trigger
``criteria`` is ``oneOf [Criteria, CriteriaOperand]``, two such objects with
``minProperties: 1``, so ``{"domain": "x"}`` is valid under both and refused. Only an object
with a declared property of the wrong type for one member (``{"and": 5}``) is valid; the author
probably meant ``anyOf``.

:func:`overlapping_pair` finds such a pair, conservatively: each member (one ``$ref`` followed)
uses only keywords that cannot tell it apart from the other (``properties``,
``minProperties``, annotations), so an object holding ``max(minProperties)`` keys neither
declares is valid under both. Read by lint (``one-of-overlap``) and by the contract run's
document (:mod:`specfirst.contract.document`), whose generator cannot draw from such a
``oneOf`` by filtering.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["overlapping_pair"]

# Keywords a member may hold and still admit any object with enough undeclared keys.
_HARMLESS = frozenset(
    {
        "type",
        "properties",
        "minProperties",
        "required",  # only when empty (checked below)
        "additionalProperties",  # only when true (checked below)
        "nullable",
        "title",
        "description",
        "example",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
        "xml",
        "$comment",
    }
)


def _open_object(member: Any) -> bool:
    """Whether ``member`` is an object schema that admits every object with at least
    ``minProperties`` keys it does not declare."""
    if not isinstance(member, dict):
        return False
    keys = {key for key in member if not key.startswith("x-")}
    if not keys <= _HARMLESS:
        return False
    declared = member.get("type")
    if declared is None:
        if "properties" not in member and "minProperties" not in member:
            return False  # no object keyword: not read as an object
    elif declared != "object" and not (isinstance(declared, list) and "object" in declared):
        return False
    if member.get("required", []) != [] or member.get("additionalProperties", True) is not True:
        return False
    least = member.get("minProperties", 0)
    return isinstance(least, int) and not isinstance(least, bool)


def overlapping_pair(schema: Any, resolve: Callable[[Any], Any]) -> tuple[int, int] | None:
    """The indexes of the first two members of ``schema``'s ``oneOf`` that are open objects
    with nothing to tell them apart (``resolve`` follows a ``$ref``), or ``None``. A ``oneOf``
    with a ``discriminator`` is left alone: its members are told apart by it."""
    if not isinstance(schema, dict) or "discriminator" in schema:
        return None
    members = schema.get("oneOf")
    if not isinstance(members, list):
        return None
    open_members = [i for i, member in enumerate(members) if _open_object(resolve(member))]
    if len(open_members) < 2:
        return None
    return open_members[0], open_members[1]
