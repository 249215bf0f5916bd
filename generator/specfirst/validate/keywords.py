"""The keyword pass: openapi-spec-validator's checks of schema objects, defaults, parameters, tags.

The library's keyword validators report errors without saying where; :func:`_located` wraps
each one so that its errors carry the pointer of the node it checked, and swaps the library's
list registries for :class:`_IdList` (O(1) membership: quadratic walks made linear).
:func:`_keyword_errors` turns those errors into located diagnostics, leaving to the project's
own checks (:mod:`specfirst.validate.own_checks`) what they report better.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from jsonschema.exceptions import ValidationError
from jsonschema_path import SchemaPath
from openapi_spec_validator.validation.exceptions import (
    DuplicateOperationIDError,
    ExtraParametersError,
    ParameterDuplicateError,
    UnresolvableParameterError,
)
from openapi_spec_validator.validation.keywords import (
    KeywordValidator,
    OpenAPIV30SchemaValidator,
    OpenAPIV31SchemaValidator,
    OperationValidator,
    SchemaValidator,
)
from openapi_spec_validator.validation.validators import SpecValidator

from specfirst.config import VALIDATION_RULES
from specfirst.diagnostics import Diagnostic, Level
from specfirst.loader import Pointer, SourceSpec
from specfirst.validate.schema import Found, _from_validation_error, _real_pointer
from specfirst.validate.units import MetaMemo, UnitCache, keyword_records


def _keyword_errors(
    spec: SourceSpec,
    cls: type[SpecValidator],
    *,
    quiet: bool,
    skip_meta: bool = False,
    units: UnitCache | None = None,
    context: str = "",
) -> Iterator[Found]:
    """The keyword pass's findings on ``spec``.

    With ``units`` (a cache, updated in place), the pass is made unit by unit and only the
    units whose content changed are checked again (:mod:`specfirst.validate.units`); when that
    cannot give the whole pass's answer exactly, the whole pass runs.
    """
    classes = {
        name: _located(name, kv, skip_meta=skip_meta) for name, kv in cls.keyword_validators.items()
    }
    located = type(f"Located{cls.__name__}", (cls,), {"keyword_validators": classes})
    validator = located(_for_library(spec.document))
    if units is not None and not quiet:
        context = f"{cls.__name__}\0{skip_meta}\0{context}"
        found = keyword_records(spec, validator, classes, _convert, units, context)
        if found is not None:
            yield from found
            return
    errors: list[ValidationError] = []
    try:
        errors.extend(validator.root_validator(validator.schema_path))
    except Exception as exc:  # a library crash must not become a traceback
        if not quiet:
            yield (
                Diagnostic(
                    Level.ERROR,
                    "openapi-schema",
                    "openapi-spec-validator failed on this document: "
                    f"{exc.__class__.__name__}: {exc}",
                    spec.locate(()),
                ),
                None,
            )
    yield from _convert(spec, errors)


def _convert(spec: SourceSpec, errors: list[ValidationError]) -> Iterator[Found]:
    """The library's errors as located findings."""
    for error in errors:
        # Reported by our own checks, with locations.
        if isinstance(error, DuplicateOperationIDError | UnresolvableParameterError):
            continue
        base: Pointer = getattr(error, "specfirst_pointer", ())
        kind: str = getattr(error, "specfirst_keyword", "")
        if isinstance(error, ParameterDuplicateError):
            yield (
                Diagnostic(
                    VALIDATION_RULES["duplicate-parameter"].level,
                    "duplicate-parameter",
                    str(error.message).replace("Duplicate parameter", "duplicate parameter"),
                    spec.locate(_real_pointer(spec.document, base)),
                ),
                None,
            )
        elif isinstance(error, ExtraParametersError):
            yield (
                Diagnostic(
                    VALIDATION_RULES["required-undefined"].level,
                    "required-undefined",
                    "'required' lists properties that no 'properties' or 'allOf' member "
                    # the library names them from a set: sorted, so that a run repeats
                    "defines: "
                    + ", ".join(sorted(set(re.findall(r"'([^']*)'", str(error.message))))),
                    spec.locate(_real_pointer(spec.document, (*base, "required"))),
                ),
                None,
            )
        elif (
            kind == "tags"
            and "parent" not in str(error.message).lower()
            and not str(error.message).startswith("Circular tag")
        ):
            yield (
                Diagnostic(
                    VALIDATION_RULES["duplicate-tag"].level,
                    "duplicate-tag",
                    str(error.message).replace("Duplicate tag", "duplicate tag"),
                    spec.locate(base),
                ),
                None,
            )
        elif kind == "tags":
            continue  # 3.2 tag parents: reported by _check_tag_parents, at the tag that is wrong
        elif kind == "default":
            where = _real_pointer(spec.document, (*base, "default"))
            for diag, _ in _from_validation_error(
                spec, error, (*base, "default"), "openapi-schema", "invalid default: "
            ):
                yield diag, where
        else:
            yield from _from_validation_error(spec, error, base, "openapi-schema", "")


def _for_library(doc: dict[str, Any]) -> dict[str, Any]:
    """The document as openapi-spec-validator can walk it.

    Its paths validator takes every key of ``paths`` for a path item and fails with a KeyError
    on an extension (``x-codegen-contextRoot: /api``), which the Paths object allows: hide them.
    """
    for section in ("paths", "webhooks"):
        items = doc.get(section)
        if isinstance(items, dict) and any(str(k).startswith("x-") for k in items):
            doc = {**doc, section: {k: v for k, v in items.items() if not str(k).startswith("x-")}}
    return doc


def _located(name: str, kv: type[KeywordValidator], *, skip_meta: bool) -> type[KeywordValidator]:
    """A keyword validator that stamps its errors with the pointer of the node it checked."""

    stoppable = issubclass(kv, SchemaValidator)

    def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[ValidationError]:
        where = next((a for a in args if isinstance(a, SchemaPath)), None)
        # Checking one unit (specfirst.validate.units): a schema that is a unit of its own
        # is left to it.
        stop = getattr(self.registry, "specfirst_stop", None) if stoppable else None
        if stop is not None and where is not None and stop(tuple(where.parts)):
            return
        for error in kv.__call__(self, *args, **kwargs):
            if where is not None and not hasattr(error, "specfirst_pointer"):
                error.specfirst_pointer = tuple(where.parts)
                error.specfirst_keyword = name
            yield error

    namespace: dict[str, Any] = {"__call__": __call__}
    if issubclass(kv, SchemaValidator):
        kv_init = kv.__init__

        def __init__(self: Any, registry: Any) -> None:
            kv_init(self, registry)
            # The library keeps these as lists and tests membership once per schema visit:
            # quadratic (with the 3.0 skip below: GitHub's spec 12.6 s -> 2.5 s).
            self.visited_schema_ids = _IdList()
            self.meta_checked_schema_ids = _IdList()

        namespace["__init__"] = __init__
        if issubclass(kv, OpenAPIV30SchemaValidator) and skip_meta:
            # The OpenAPI 3.0 JSON Schema has already checked every schema object in full.
            namespace["_validate_schema_meta"] = lambda self, schema, value: None
        else:
            namespace["_validate_schema_meta"] = _remembered_meta(kv)
    elif issubclass(kv, OperationValidator):
        op_init = kv.__init__

        def __init__(self: Any, registry: Any) -> None:
            op_init(self, registry)
            # The same for operationIds, tested once per operation: quadratic too (Microsoft
            # Graph's 22,000 operations: 32 s).
            self.operation_ids_registry = _IdList()

        namespace["__init__"] = __init__
    return type(f"Located{kv.__name__}", (kv,), namespace)


META_VALID = MetaMemo()
"""Schema objects found valid against their meta-schema (specfirst.validation keeps it)."""


def _remembered_meta(kv: type[SchemaValidator]) -> Callable[[Any, SchemaPath, Any], Any]:
    """The library's check of a schema object against its meta-schema (a jsonschema run per
    schema, most of the keyword pass on a 3.1 document), skipped for a schema found valid
    before: the check reads the schema object alone (its ``$ref`` strings as strings) and its
    dialect, so the same JSON under the same dialect and validator is valid again."""
    check = kv._validate_schema_meta

    def _validate_schema_meta(self: Any, schema: SchemaPath, value: Any) -> Any:
        try:
            dialect = (
                self._get_schema_dialect_id(schema, value)
                if isinstance(self, OpenAPIV31SchemaValidator)
                else ""
            )
            key = META_VALID.key(kv.__name__, dialect, value)
        except (TypeError, ValueError):  # not JSON, or a dialect the check will refuse
            return check(self, schema, value)
        if key in META_VALID:
            return None
        error = check(self, schema, value)
        if error is None:
            META_VALID.add(key)
        return error

    return _validate_schema_meta


class _IdList(list[Any]):
    """A list with O(1) membership, for the library's registries of visited schemas and of
    operationIds (an invalid document's operationId may be unhashable: those are scanned)."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set[Any] = set()
        self._unhashable: list[Any] = []

    def append(self, item: Any) -> None:
        try:
            self._members.add(item)
        except TypeError:
            self._unhashable.append(item)
        super().append(item)

    def __contains__(self, item: object) -> bool:
        try:
            return item in self._members or item in self._unhashable
        except TypeError:
            return item in self._unhashable
