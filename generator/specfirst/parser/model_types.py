"""The Python type a schema gets in pass 2: a model class, its request or response shape, or
a primitive annotation.

Pass 1 decided which schemas are models and what they are called; datamodel-code-generator
then wrote the classes it could. :class:`SchemaTypes` answers with ``models.<Class>`` where
that class exists (``Any`` where it does not), picking the request or response shape of a
schema that readOnly/writeOnly split, and with ``int``, ``list[models.Task]`` … for a
schema simple enough to need no model (``specfirst.schema_types``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from specfirst.loader import Pointer
from specfirst.parser.refs import SCHEMA_REF, is_component_schema, is_local_ref, unescape
from specfirst.schema_types import primitive_type


@dataclass(frozen=True, slots=True)
class SchemaTypes:
    """Type annotations for schemas, from pass 1's names and the classes that exist."""

    class_names: Mapping[str, str]  # component schema key -> class name
    hoisted_at: Mapping[Pointer, str]  # schema pointer -> hoisted class name
    variants: Mapping[str, tuple[str, str]]  # class -> (request shape, response shape)
    models: frozenset[str]  # the classes the models module defines
    # local ``$ref`` -> what it names and its pointer (refs outside components/schemas)
    follow: Callable[[str], tuple[Any, Pointer]] | None = None

    def model(self, cls: str, role: str) -> str:
        """``models.<cls>`` in its ``role`` shape (``Request``/``Response``), if it exists."""
        if cls in self.variants and role in ("Request", "Response"):
            cls = self.variants[cls][0 if role == "Request" else 1]
        if cls not in self.models:
            return "Any"
        return f"models.{cls}"

    def ref_type(self, role: str) -> Callable[[str], str]:
        """What a ``$ref`` stands for in ``role`` (for ``primitive_type``)."""

        seen: set[str] = set()

        def resolve(ref: str) -> str:
            if ref.startswith(SCHEMA_REF):
                key = unescape(ref[len(SCHEMA_REF) :])
                if key in self.class_names:
                    return self.model(self.class_names[key], role)
                return "Any"
            if self.follow is None or not is_local_ref(ref) or ref in seen:
                return "Any"
            # A schema written elsewhere (another operation's response …): the type it has there.
            target, pointer = self.follow(ref)
            if is_component_schema(pointer) and str(pointer[2]) in self.class_names:
                return self.model(self.class_names[str(pointer[2])], role)
            if pointer in self.hoisted_at:
                return self.model(self.hoisted_at[pointer], role)
            if not isinstance(target, Mapping) or not target:
                return "Any"
            seen.add(ref)
            try:
                return primitive_type(target, resolve)
            finally:
                seen.discard(ref)

        return resolve

    def schema_type(self, schema: Any, pointer: Pointer, role: str) -> str:
        """The annotation of the schema at ``pointer`` (hoisted there or not) in ``role``."""
        if not isinstance(schema, Mapping) or not schema:
            return "Any"
        if pointer in self.hoisted_at:
            return self.model(self.hoisted_at[pointer], role)
        return primitive_type(schema, self.ref_type(role))
