"""Lenient validation: the errors that are warnings, with the repair that lets generation go on.

An invalid ``example`` (or ``default``) is reported as a warning and dropped from the generated
code; an operation without responses (3.0 wants one) is a warning too. The rules and their
levels are :data:`specfirst.config.VALIDATION_RULES`; a repair is applied by
:meth:`specfirst.validate.results.Validation.repaired`.
"""

from __future__ import annotations

from specfirst.config import VALIDATION_RULES
from specfirst.diagnostics import Diagnostic
from specfirst.loader import Pointer, SourceSpec
from specfirst.validate.results import _DROP, Repair


def _lenient(
    spec: SourceSpec, diag: Diagnostic, pointer: Pointer | None
) -> tuple[Diagnostic, Repair | None]:
    """An error about an example is a warning, and the example is dropped (so is a default)."""
    if pointer is None or diag.rule != "openapi-schema":
        return diag, None
    if diag.message.startswith("invalid default: "):
        detail = diag.message.removeprefix("invalid default: ")
        return (
            Diagnostic(
                VALIDATION_RULES["invalid-default"].level,
                "invalid-default",
                f"invalid default: {detail}; the default is dropped from the generated code",
                diag.location,
            ),
            (pointer, _DROP),
        )
    if pointer[-1:] == ("responses",) and diag.message == "must not be empty":
        # OpenAPI 3.0 wants one response at least; 3.1 dropped that rule, and the operation
        # is served as 3.1's would be (its result is then a bare status).
        return (
            Diagnostic(
                VALIDATION_RULES["no-responses"].level,
                "no-responses",
                "the operation declares no response (OpenAPI 3.0 wants one at least, 3.1 does not)",
                diag.location,
            ),
            None,
        )
    at = _example_at(pointer)
    if at is not None:
        return (
            Diagnostic(
                VALIDATION_RULES["invalid-example"].level,
                "invalid-example",
                f"invalid example: {diag.message}; the example is dropped from the generated code",
                diag.location,
            ),
            (pointer[: at + 1], _DROP),
        )
    return diag, None


_NAME_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions"})


def _example_at(pointer: Pointer) -> int | None:
    """The index of the ``example``/``examples`` keyword in ``pointer``, if it goes through one.

    A property named ``example`` is a name, not the keyword; an entry of ``components/examples``
    may be the target of a $ref, so it is not dropped.
    """
    for i, seg in enumerate(pointer):
        if seg not in ("example", "examples") or (i and pointer[i - 1] in _NAME_MAPS):
            continue
        if i == 1 and pointer[0] == "components":
            return None
        return i
    return None
