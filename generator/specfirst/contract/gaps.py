"""Spec gaps in a run: statuses the runtime answers by itself that an operation leaves undeclared.

:func:`operation_facts` reads from schemathesis' loaded schema what
:mod:`specfirst.spec_gaps` (the one derivation, shared with lint) needs for each operation;
:func:`settle_gaps` lists every gap of the operations under test (a 501 for those the run
saw unimplemented) in the result, with how often each status was answered, and drops the
failures of the checks a gap triggers (:data:`GAP_CHECKS`) for exactly those statuses. With
``strict`` they stay, and each gap is a failure of its own (check ``spec_gap``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from specfirst.contract.coverage import Coverage
from specfirst.contract.paths import loaded_operations
from specfirst.contract.results import ContractFailure, ContractResult, SpecGap
from specfirst.spec_gaps import OperationFacts, facts_of, spec_gaps

GAP_CHECKS = frozenset({"status_code_conformance", "content_type_conformance"})
"""The checks an undeclared status fails: not failures of the service but of the spec."""


def operation_facts(schema: Any) -> dict[str, OperationFacts]:
    """Each operation's facts by label (``"GET /things"``), from schemathesis' schema."""
    found: dict[str, OperationFacts] = {}
    for operation in loaded_operations(schema):
        found[operation.label] = facts_of(
            operation.definition.raw,
            schema.raw_schema,
            has_parameters=any(
                # schemathesis lists the API keys of the operation's security as parameters
                "x-original-security-type" not in (getattr(p, "definition", None) or {})
                for p in operation.iter_parameters()
            ),
        )
    return found


def settle_gaps(
    result: ContractResult,
    coverage: Coverage,
    facts: dict[str, OperationFacts],
    *,
    strict: bool,
) -> None:
    """Record the spec gaps in ``result``; excuse their checks' failures unless ``strict``,
    where each gap is a failure instead."""
    statuses: dict[str, set[int]] = {}
    for label, op in coverage.operations.items():
        known = facts.get(label)
        if known is None:
            continue
        if op.unimplemented:
            known = replace(known, unimplemented=True)
        for gap in spec_gaps(known):
            result.gaps.append(SpecGap(op.name, label, gap, op.observed.get(int(gap.status), 0)))
            statuses.setdefault(label, set()).add(int(gap.status))
    if strict:
        result.failures.extend(
            ContractFailure(
                operation=gap.label,
                operation_id=coverage.operations[gap.label].operation_id,
                check="spec_gap",
                title=f"{gap.runtime.status} is sent by the runtime but not declared",
                message=gap.line(),
                reproduce=f"specfirst lint  # {gap.runtime.rule}" if gap.runtime.rule else "",
                status=int(gap.runtime.status),
            )
            for gap in result.gaps
        )
        result.failures.sort(key=lambda f: (f.operation, f.check, f.title))
        return
    kept = []
    for failure in result.failures:
        if failure.check in GAP_CHECKS and failure.status in statuses.get(failure.operation, ()):
            result.excused += failure.occurrences
        else:
            kept.append(failure)
    result.failures = kept
