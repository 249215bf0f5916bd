"""The YAML loader: OpenAPI's data kept JSON-shaped, and what YAML 1.2 forbids refused.

:class:`_SpecLoader` reads keys as written and only ``true``/``false`` as booleans (YAML 1.2),
and reports duplicate keys and aliases that expand past :data:`ALIAS_EXPANSION_LIMIT` nodes as
problems. Reading a file with it is :mod:`specfirst.loader.files`; finding where a node was
written, :mod:`specfirst.loader.positions`.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

import yaml

# libyaml's C parser is ~10x faster; the pure-Python one only if PyYAML was built without it.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


ALIAS_EXPANSION_LIMIT = 1_000_000
"""How many nodes YAML aliases may add to a document once expanded (a "billion laughs" guard)."""


@dataclass(frozen=True, slots=True)
class _Problem:
    """A problem the YAML loader found: its rule, message and 0-based source mark."""

    rule: str
    message: str
    line: int
    column: int


class _SpecLoader(_BaseLoader):  # type: ignore[misc]
    """Safe YAML loader that keeps OpenAPI's data JSON-shaped, and refuses what YAML 1.2 forbids.

    Mapping keys keep their source text (``200:`` is ``"200"``, ``on:`` is ``"on"``), dates stay
    strings, and only ``true``/``false`` are booleans (YAML 1.2, as every JavaScript OpenAPI tool
    reads it; YAML 1.1 would turn an enum value ``no`` into ``False``).

    A key written twice in one mapping is a problem (YAML 1.2 requires unique keys; PyYAML keeps
    the last one silently, so an operation would vanish from the contract). So is an alias that
    refers to a node containing it, and aliases that expand the document by more than
    :data:`ALIAS_EXPANSION_LIMIT` nodes: PyYAML shares aliased nodes, so loading is cheap, but
    every later step walks the expanded tree (a ten-line "billion laughs" document expands to
    a billion nodes). Problems are collected in :attr:`problems`, every one of them.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[_Problem] = []

    def construct_document(self, node: yaml.Node) -> Any:
        if self.problems:  # set by _check_aliases: constructing the tree would not end
            return None
        return super().construct_document(node)

    def get_single_node(self) -> yaml.Node | None:
        node: yaml.Node | None = super().get_single_node()
        if node is not None and self.check_aliases:
            self._check_aliases(node)
        return node

    check_aliases = False

    def _check_aliases(self, root: yaml.Node) -> None:
        """Count the nodes of the expanded tree (each distinct node once, with its size)."""
        sizes: dict[int, int] = {}
        distinct = 0
        # Iterative post-order walk: (node, children visited?)
        stack: list[tuple[yaml.Node, bool]] = [(root, False)]
        open_nodes: set[int] = set()
        while stack:
            node, done = stack.pop()
            key = id(node)
            if done:
                open_nodes.discard(key)
                children = _children(node)
                size = 1 + sum(sizes[id(c)] for c in children)
                sizes[key] = size
                distinct += 1
                if size - distinct > ALIAS_EXPANSION_LIMIT:
                    mark = node.start_mark
                    self.problems.append(
                        _Problem(
                            "yaml-alias-limit",
                            f"YAML aliases expand this node to {size:,} nodes, more than "
                            f"the {ALIAS_EXPANSION_LIMIT:,} aliases may add to a document "
                            "(a 'billion laughs' document?); write the content out, or use "
                            "$ref to reuse it",
                            mark.line,
                            mark.column,
                        )
                    )
                    return
                continue
            if key in sizes:
                continue
            stack.append((node, True))
            open_nodes.add(key)
            for child in _children(node):
                if id(child) in open_nodes:
                    mark = child.start_mark
                    self.problems.append(
                        _Problem(
                            "yaml-alias-limit",
                            "a YAML alias refers to a node that contains it, so the document "
                            "would be infinite; use $ref for recursive structures",
                            mark.line,
                            mark.column,
                        )
                    )
                    return
                if id(child) not in sizes:
                    stack.append((child, False))

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits())
            mark = node.start_mark
            self.problems.append(
                _Problem("number-too-large", _too_many_digits(node.value), mark.line, mark.column)
            )
            return 0

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"expected a mapping node, but found {type(node).__name__}",
                node.start_mark,
            )
        self._check_duplicates(node)
        self.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key: Any = key_node.value
            else:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found a non-scalar mapping key",
                    key_node.start_mark,
                )
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def _check_duplicates(self, node: yaml.MappingNode) -> None:
        # Before flatten_mapping: keys merged in with `<<` may be overridden, written ones not.
        seen: dict[str, yaml.Node] = {}
        for key_node, _ in node.value:
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == "tag:yaml.org,2002:merge"
            ):
                continue
            first = seen.setdefault(key_node.value, key_node)
            if first is not key_node:
                mark = key_node.start_mark
                self.problems.append(
                    _Problem(
                        "duplicate-key",
                        f"duplicate key {key_node.value!r} (first at "
                        f"{first.start_mark.line + 1}:{first.start_mark.column + 1}); YAML requires the keys of a mapping "
                        "to be unique, and only one of the two would be kept",
                        mark.line,
                        mark.column,
                    )
                )


def _too_many_digits(text: str) -> str:
    """The message for an integer written with more digits than Python converts."""
    digits = sum(c.isdigit() for c in text)
    return (
        f"an integer of {digits:,} digits is more than specfirst can read "
        f"(at most {sys.get_int_max_str_digits():,}, Python's limit for converting text to "
        "integers); no bound, enum value or example needs that many, write a smaller number"
    )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


_SpecLoader.add_constructor("tag:yaml.org,2002:timestamp", _SpecLoader.construct_yaml_str)
_SpecLoader.add_constructor("tag:yaml.org,2002:int", _SpecLoader.construct_yaml_int)
_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_SpecLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
