"""Large enums, without datamodel-code-generator's per-member cost.

datamodel-code-generator (0.97) builds a pydantic field object per enum member and names each
member after copying the set of names taken so far (``EnumFieldNameResolver.get_valid_name``,
quadratic): an enum of 100,000 values took minutes. So, for a component schema that is an enum
of more than :data:`LARGE_ENUM` strings, the library is given a stand-in with its first value
only (it still writes the class: name, base, docstring), and :func:`fill_large_enums` writes
every member into that class, named by the library's own resolver (the instance it used for the
stand-in), so the names are the ones the library would give. The naming itself is made linear
by :func:`enum_member_names_in_linear_time`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

from specfirst.loader.pointers import iter_values

LARGE_ENUM = 1000
"""From how many values on an enum's members are written here, not by the library."""

_resolvers: list[Any] = []  # the library's enum member resolver, seen during the last run
_patched: set[Any] = set()  # the replacement get_valid_name, once installed


class _TakenNames(set[str]):
    """The member names taken so far, and ``mro``, without copying them: what the library
    builds as ``{"mro"} | excludes`` for every member. Only ``in`` and truth are asked of it."""

    def __init__(self, taken: set[str] | None) -> None:
        super().__init__()
        self.taken = taken

    def __contains__(self, name: object) -> bool:
        return name == "mro" or (self.taken is not None and name in self.taken)

    def __len__(self) -> int:  # never empty: "mro" is in it
        return 1 + len(self.taken or ())


def enum_member_names_in_linear_time() -> None:
    """Patch ``EnumFieldNameResolver.get_valid_name``: the same names, from a view of the taken
    ones instead of a copy; and remember the resolver, for :func:`fill_large_enums`."""
    from datamodel_code_generator.reference import EnumFieldNameResolver

    _resolvers.clear()
    if EnumFieldNameResolver.get_valid_name in _patched:
        return

    def get_valid_name(
        self: EnumFieldNameResolver,
        name: str,
        excludes: set[str] | None = None,
        ignore_snake_case_field: bool = False,
        upper_camel: bool = False,
    ) -> str:
        if not _resolvers or _resolvers[-1] is not self:
            _resolvers[:] = [self]
        return super(EnumFieldNameResolver, self).get_valid_name(
            name="mro_" if name == "mro" else name,
            excludes=_TakenNames(excludes),
            ignore_snake_case_field=ignore_snake_case_field,
            upper_camel=upper_camel,
        )

    _patched.add(get_valid_name)
    # A patch of the library's class (upstream: one set copied per member); setattr, because a
    # method is replaced on purpose here, and the signature above is the library's own.
    setattr(EnumFieldNameResolver, "get_valid_name", get_valid_name)  # noqa: B010


def _defaults(node: Any) -> Iterator[str]:
    """Every string ``default`` in the document (a default names a member: the stand-in
    must keep it, so those enums stay with the library)."""
    return (value for value in iter_values(node, "default") if isinstance(value, str))


def stand_in_large_enums(document: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The document with each large string enum of ``components/schemas`` cut to its first
    value, and those enums' values by schema name."""
    schemas = (document.get("components") or {}).get("schemas") or {}
    large = {
        name: schema["enum"]
        for name, schema in schemas.items()
        if isinstance(schema, dict)
        and isinstance(schema.get("enum"), list)
        and len(schema["enum"]) > LARGE_ENUM
        and schema.get("type", "string") == "string"
        and all(isinstance(v, str) for v in schema["enum"])
        and not any(k.startswith("x-enum") for k in schema)
    }
    if not large:
        return document, {}
    defaults = set(_defaults(document))
    large = {n: v for n, v in large.items() if not defaults.intersection(v[1:])}
    if not large:
        return document, {}
    schemas = {n: {**s, "enum": s["enum"][:1]} if n in large else s for n, s in schemas.items()}
    return {**document, "components": {**document["components"], "schemas": schemas}}, large


def mark_large_enums(source: str, large: dict[str, list[str]]) -> tuple[str, dict[str, str]] | None:
    """``source`` with a marker comment after the one member of each large enum's class, and
    the text of the members that go there (:func:`fill_large_enums`). A comment leaves the
    module as small to parse as it was. None when the library's output is not the expected
    one-member class (then let it do the work)."""
    if not large:
        return source, {}
    if not _resolvers:
        return None
    resolver = _resolvers[-1]
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    edits: list[tuple[int, str]] = []
    fills: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or node.name not in large:
            continue
        members = [s for s in node.body if isinstance(s, ast.Assign)]
        if len(members) != 1 or members[0].end_lineno is None:
            return None
        indent = " " * members[0].col_offset
        taken: set[str] = set()
        text: list[str] = []
        for value in large[node.name]:
            name = resolver.get_valid_name(value, excludes=taken)
            taken.add(name)
            text.append(f"{indent}{name} = {value!r}\n")  # as the library writes it
        marker = f"{indent}# specfirst: the other members of {node.name}\n"
        edits.append((members[0].end_lineno, marker))
        fills[marker] = "".join(text[1:])
    if len(edits) != len(large):
        return None
    for at, marker in sorted(edits, reverse=True):
        if not lines[at - 1].endswith("\n"):  # the module's last line
            lines[at - 1] += "\n"
        lines[at:at] = [marker]
    return "".join(lines), fills


def fill_large_enums(source: str, fills: dict[str, str]) -> str:
    """Each marker of :func:`mark_large_enums` replaced by its members."""
    for marker, members in fills.items():
        source = source.replace(marker, members, 1)
    return source
