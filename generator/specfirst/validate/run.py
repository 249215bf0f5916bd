"""Run every check of a bundled OpenAPI document; report every problem as a located Diagnostic.

:func:`validate_uncached` checks in three layers, each reporting everything it finds:

1. the version (``versions``): targeted hints for a Swagger 2.0 file, a file that is not
   OpenAPI, a version specfirst does not support; nothing else runs when it is wrong;
2. openapi-spec-validator (``openapi-schema`` and friends): the document against the official
   OpenAPI JSON Schema (``schema``, its messages worded by ``messages``), then the library's
   keyword checks of schema objects, defaults, parameters and tags (``keywords``);
3. the project's own checks, which need locations the library does not give (``own_checks``).

First the dialect checks (``dialects``) repair what an older JSON Schema dialect spelled
differently; an error that is only a warning (``lenient``) comes with a repair too, and the
repaired document is checked again, a few rounds at most.

Validation of a large document is slow (seconds), so :mod:`specfirst.validation` caches results
on disk per content hash.
"""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import (
    OpenAPIV30SpecValidator,
    OpenAPIV31SpecValidator,
    OpenAPIV32SpecValidator,
)
from openapi_spec_validator.schemas import schema_v30, schema_v31, schema_v32
from openapi_spec_validator.validation.validators import SpecValidator

from specfirst.diagnostics import Diagnostic, Level, sort_diagnostics
from specfirst.loader import SourceSpec
from specfirst.validate.dialects import _check_dialects
from specfirst.validate.keywords import _keyword_errors
from specfirst.validate.lenient import _lenient
from specfirst.validate.own_checks import (
    _check_operation_ids,
    _check_path_parameters,
    _check_refs,
    _check_tag_parents,
)
from specfirst.validate.results import Repair, Validation
from specfirst.validate.schema import _schema_errors
from specfirst.validate.units import UnitCache
from specfirst.validate.versions import _check_version

__all__ = ["validate_uncached"]


_VALIDATORS: dict[str, tuple[type[SpecValidator], Any]] = {
    "3.0": (OpenAPIV30SpecValidator, schema_v30),
    "3.1": (OpenAPIV31SpecValidator, schema_v31),
    "3.2": (OpenAPIV32SpecValidator, schema_v32),
}


def validate_uncached(spec: SourceSpec, units: UnitCache | None = None) -> Validation:
    """Every check of ``spec``, with the repairs that let a lenient document be generated.

    ``units``: the keyword pass's findings per unit, from earlier runs (updated in place), so
    that only what changed is checked again (:mod:`specfirst.validate.units`).
    """
    version = _check_version(spec)
    if isinstance(version, Diagnostic):
        return Validation([version])
    kept: list[Diagnostic] = []
    repairs: list[Repair] = []
    for diag, repair in _check_dialects(spec, version):
        if diag is not None:
            kept.append(diag)
        if repair is not None:
            repairs.append(repair)
    current = Validation([], tuple(repairs)).repaired(spec)
    # A repair can let a check reach what it skipped before (the library stops at the first
    # error of a schema): check the repaired document again, a few rounds at most.
    for last in (False, False, False, True):
        found = _validate_once(current, version, units)
        # In a stable order, whatever order the checks found them in (the keyword pass by
        # units finds them in another order than the whole pass).
        new = sorted(
            dict.fromkeys(r for _, r in found if r is not None and r not in repairs), key=repr
        )
        repairs.extend(new)
        kept.extend(d for d, r in found if r is not None)
        if not new or last:
            kept.extend(d for d, r in found if r is None)
            break
        current = Validation([], tuple(repairs)).repaired(spec)
    return Validation(sort_diagnostics(dict.fromkeys(kept)), tuple(dict.fromkeys(repairs)))


def _validate_once(
    spec: SourceSpec, version: str, units: UnitCache | None = None
) -> list[tuple[Diagnostic, Repair | None]]:
    """One pass of every check; an error that can be repaired comes with its repair."""
    diags: list[Diagnostic] = []
    unresolved = list(_check_refs(spec))
    diags.extend(unresolved)
    diags.extend(_check_operation_ids(spec))
    diags.extend(_check_path_parameters(spec))
    diags.extend(_check_tag_parents(spec))
    cls, schema = _VALIDATORS[version]
    found = [_lenient(spec, d, p) for d, p in _schema_errors(spec, schema)]
    schema_errors = [d for d, _ in found if d.level is Level.ERROR]
    # The keyword pass (schema objects, defaults) follows refs, so it needs them resolvable;
    # it assumes a well-formed document, so after schema errors a crash of it is not news.
    if not unresolved:
        # Both passes check schema objects in 3.0, with different wording: say it once.
        reported = {d.location for d, _ in found}
        keyword_errors = _keyword_errors(
            spec, cls, quiet=bool(schema_errors), skip_meta=version == "3.0", units=units
        )
        for diag, pointer in keyword_errors:
            if diag.location not in reported:
                found.append(_lenient(spec, diag, pointer))
    return [(d, None) for d in diags] + found
