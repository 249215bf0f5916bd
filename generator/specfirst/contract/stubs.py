"""Unimplemented operations: a stub's 501 is reported, not failed.

A scaffolded stub raises ``NotImplementedOperation``, which the runtime answers 501 with the
``Specfirst-Unimplemented`` header (:func:`is_stub` recognises it, whatever the body's format).
An operation whose stub answered and that never reached a declared success is *unimplemented*
(:attr:`~specfirst.contract.coverage.OperationCoverage.unimplemented`): everything the runtime
answers before the stub is still checked (security, request validation), and
:func:`excuse_stubs` drops only the failures about success on the stub's 501
(:data:`SUCCESS_CHECKS`). ``--require-implemented`` keeps them, and the success gate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specfirst.contract.coverage import Coverage
from specfirst.contract.results import ContractResult
from specfirst.runtime.problems import UNIMPLEMENTED_HEADER

SUCCESS_CHECKS = frozenset(
    {"not_a_server_error", "status_code_conformance", "positive_data_acceptance"}
)
"""Checks about success, which an unimplemented operation's 501 does not fail."""

_HEADER = UNIMPLEMENTED_HEADER.lower()


EXAMPLE_HEADER = "specfirst-example"
"""Set by the scaffolded ``examples.PreferMiddleware`` on a response an example stub answered."""

STATELESS_CHECKS = frozenset({"use_after_free"})
"""Checks no stateless stub can pass: an example stub still finds what was deleted. Not
counted on a response an example stub answered (:func:`is_example_answer`); counted again
once the operation is written."""


def is_example_answer(headers: Mapping[str, Any]) -> bool:
    """Whether a response was answered by an example stub (:data:`EXAMPLE_HEADER`)."""
    return any(str(name).lower() == EXAMPLE_HEADER for name in headers)


def is_stub(status: int, headers: Mapping[str, Any]) -> bool:
    """Whether a response is a stub's 501: the status and the runtime's marker header."""
    return status == 501 and any(str(name).lower() == _HEADER for name in headers)


def excuse_stubs(result: ContractResult, coverage: Coverage) -> None:
    """Drop the success checks' failures on the 501s of unimplemented operations, unless
    the coverage requires every operation implemented; each dropped one is counted."""
    if coverage.require_implemented:
        return
    unimplemented = {label for label, op in coverage.operations.items() if op.unimplemented}
    kept = []
    for failure in result.failures:
        if failure.stub and failure.check in SUCCESS_CHECKS and failure.operation in unimplemented:
            result.excused += failure.occurrences
        else:
            kept.append(failure)
    result.failures = kept
