"""The dialect checks: every schema is read as JSON Schema 2020-12, and a document says so.

In 3.1 and 3.2 a schema (or the whole document, with ``jsonSchemaDialect``) may declare another
dialect; specfirst reads 2020-12 only, warns (``unknown-dialect``) and drops the declaration.
draft-04's boolean ``exclusiveMinimum``/``exclusiveMaximum`` are rewritten to 2020-12's numbers.
In 3.0 a ``$schema`` is not allowed at all: it is dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specfirst.config import VALIDATION_RULES
from specfirst.diagnostics import Diagnostic, Location
from specfirst.loader import Pointer, SourceSpec
from specfirst.validate.lenient import _NAME_MAPS
from specfirst.validate.messages import _short
from specfirst.validate.results import _DROP, Repair

# Where a schema may declare its dialect and still mean what specfirst reads: JSON Schema
# 2020-12, OpenAPI 3.1's default dialect, and OpenAPI's own base dialect.
_KNOWN_DIALECTS = frozenset(
    {
        "https://json-schema.org/draft/2020-12/schema",
        "https://spec.openapis.org/oas/3.1/dialect/base",
        "https://spec.openapis.org/oas/3.1/dialect/2024-11-10",
    }
)


def _known_dialect(url: str) -> bool:
    normal = url.rstrip("#").replace("http://", "https://", 1)
    # OpenAPI's own dialects (3.1's base, 3.2's dated ones) are 2020-12 with its vocabulary.
    return normal in _KNOWN_DIALECTS or normal.startswith("https://spec.openapis.org/oas/3.")


def _check_dialects(
    spec: SourceSpec, version: str
) -> Iterator[tuple[Diagnostic | None, Repair | None]]:
    """A dialect other than JSON Schema 2020-12 is read as 2020-12 anyway, and said so.

    In 3.1 a schema (or the whole document, with ``jsonSchemaDialect``) may declare an older
    dialect; specfirst reads 2020-12 only. Most keywords mean the same; draft-04's boolean
    ``exclusiveMinimum``/``exclusiveMaximum`` do not, and are rewritten to 2020-12's form. In
    3.0 a ``$schema`` is not allowed at all: it is dropped.
    """
    doc = spec.document
    modern = version != "3.0"  # 3.1 and 3.2: JSON Schema 2020-12
    declared_doc = doc.get("jsonSchemaDialect") if modern else None
    doc_unknown = isinstance(declared_doc, str) and not _known_dialect(declared_doc)
    if doc_unknown:
        note = "; draft-04's boolean exclusiveMinimum/exclusiveMaximum are rewritten to numbers"
        where = spec.locate(("jsonSchemaDialect",))
        yield (
            _dialect_warning(declared_doc, "the document", where, note),
            (
                ("jsonSchemaDialect",),
                _DROP,
            ),
        )
    if not doc_unknown and not _may_declare(spec):
        return  # no schema declares a dialect: nothing to read otherwise, nothing to say
    for pointer, schema in _mappings(doc):
        declared = schema.get("$schema")
        if not isinstance(declared, str) or pointer[-1:] in (("properties",), ()):
            declared = None
            unknown = doc_unknown
        elif modern and _known_dialect(declared):
            unknown = False
            if declared not in _KNOWN_DIALECTS:  # e.g. "...2020-12/schema#": same dialect
                yield None, ((*pointer, "$schema"), _DROP)
        else:
            unknown = True
        note = ""
        if unknown and modern:
            for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
                flag = schema.get(bound)
                if not isinstance(flag, bool):
                    continue
                # draft-04 (and OpenAPI 3.0): a boolean that makes minimum/maximum exclusive.
                if flag and isinstance(schema.get(limit), int | float):
                    note += (
                        f"; {bound}: true is read as draft-04 reads it ({bound}: {schema[limit]})"
                    )
                    yield None, ((*pointer, bound), schema[limit])
                    yield None, ((*pointer, limit), _DROP)
                else:
                    yield None, ((*pointer, bound), _DROP)
        if declared is not None and (unknown or not modern):
            where = spec.locate((*pointer, "$schema"))
            yield (
                _dialect_warning(declared, "this schema", where, note),
                (
                    (*pointer, "$schema"),
                    _DROP,
                ),
            )


def _may_declare(spec: SourceSpec) -> bool:
    """Whether a mapping of the document may have a ``$schema`` key: its JSON, dumped once
    for the run (:meth:`SourceSpec.json_pieces`), holds the key's text (a key's JSON is its
    characters as written, ``$`` unescaped); without it, whether walking tells."""
    pieces = spec.json_pieces()
    return pieces is None or '"$schema"' in pieces.whole()


def _dialect_warning(declared: Any, what: str, location: Location, note: str) -> Diagnostic:
    return Diagnostic(
        VALIDATION_RULES["unknown-dialect"].level,
        "unknown-dialect",
        f"{what} declares the JSON Schema dialect {_short(declared, 80)}; specfirst reads "
        f"every schema as JSON Schema 2020-12, the dialect of OpenAPI 3.1{note}",
        location,
    )


def _mappings(doc: Any) -> Iterator[tuple[Pointer, dict[str, Any]]]:
    """Every mapping of the document that is not literal data (examples, defaults, enums)."""
    stack: list[tuple[Any, Pointer]] = [(doc, ())]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            yield pointer, node
            names = pointer[-1:] and pointer[-1] in _NAME_MAPS  # keys are property names here
            for key, value in node.items():
                if isinstance(value, dict | list) and (names or key not in _DATA_KEYS):
                    stack.append((value, (*pointer, key)))
        elif isinstance(node, list):
            stack.extend(
                (v, (*pointer, i)) for i, v in enumerate(node) if isinstance(v, dict | list)
            )


_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const", "value"})
