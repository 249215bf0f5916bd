"""A run's result for people and for CI: the terminal summary and the JUnit XML.

:func:`format_summary` prints every failing operation and check with how to reproduce it,
the errors, the coverage matrix and the verdict line; :func:`write_junit` writes one test case
per operation and one ``<failure>`` per failing check or gate. The coverage report's Markdown
and JSON are written by :mod:`specfirst.contract.coverage`, which owns their content.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from specfirst.contract.coverage import GateFailure
from specfirst.contract.results import ContractFailure, ContractResult


def format_summary(result: ContractResult, *, verbose: bool = True) -> str:
    """A human summary: every failing operation and check, with how to reproduce it."""
    lines: list[str] = []
    for number, failure in enumerate(result.failures, 1):
        lines.append(f"{number}. {failure.headline()}")
        if verbose:
            if failure.message:
                lines.extend("     " + line for line in _truncate(failure.message).splitlines())
            if failure.response:
                lines.append(f"   response: {failure.response}")
            lines.append("   reproduce:")
            lines.extend("     " + line for line in failure.reproduce.splitlines())
            lines.append("")
    for problem in result.errors:
        lines.append(f"error: {problem.where}")
        if verbose:
            lines.extend("     " + line for line in _truncate(problem.message).splitlines())
    lines.extend(f"note: {note}" for note in result.notes)
    for warning in result.warnings:
        lines.extend(warning.lines())
    if result.coverage.operations:
        lines.append(result.coverage.matrix())
    for gate in result.gates:
        lines.append(f"gate failed: {gate.operation}: {gate.reason}")
    phases = ", ".join(f"{name} {status}" for name, status in result.phases.items())
    found = f"{len(result.failures)} failure(s), {len(result.errors)} error(s)"
    if result.gates:
        found += f", {len(result.gates)} operation(s) not reached"
    if result.interrupted:
        verdict = f"INTERRUPTED (so far {found})"
    elif result.ok:
        verdict = "PASSED"
    else:
        verdict = f"FAILED: {found}"
    lines.append(
        f"contract {verdict}: {len(result.operations)} operations, {result.cases} requests, "
        f"{result.elapsed:.1f}s, seed {result.seed} ({phases})"
    )
    if not result.ok:
        lines.append(f"replay with: --seed {result.seed}")
    lines.extend(f"report: {path}" for path in result.reports)
    if result.coverage.operations:
        lines.append(result.coverage.line())
    return "\n".join(lines)


def _truncate(text: str, limit: int = 40) -> str:
    lines = text.splitlines()
    if len(lines) <= limit:
        return text
    return "\n".join([*lines[:limit], f"… ({len(lines) - limit} more lines)"])


def write_junit(result: ContractResult, path: Path, *, name: str = "specfirst contract") -> None:
    """JUnit XML: one test case per operation, one ``<failure>`` per failing check."""
    by_operation: dict[str, list[ContractFailure]] = {op: [] for op in sorted(result.operations)}
    for failure in result.failures:
        by_operation.setdefault(failure.operation, []).append(failure)
    gates: dict[str, list[GateFailure]] = {}
    for gate in result.gates:
        by_operation.setdefault(gate.label, [])
        gates.setdefault(gate.label, []).append(gate)
    suite = ET.Element(
        "testsuite",
        name=name,
        tests=str(len(by_operation) + len(result.errors)),
        failures=str(sum(1 for op, fs in by_operation.items() if fs or op in gates)),
        errors=str(len(result.errors)),
        time=f"{result.elapsed:.3f}",
    )
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="seed", value=str(result.seed))
    for operation, failures in by_operation.items():
        case = ET.SubElement(suite, "testcase", classname=name, name=operation)
        for failure in failures:
            element = ET.SubElement(case, "failure", type=failure.check, message=failure.headline())
            element.text = f"{failure.message}\n\nResponse: {failure.response}\n\nReproduce:\n{failure.reproduce}\n"
        for gate in gates.get(operation, ()):
            ET.SubElement(
                case,
                "failure",
                type=f"coverage:{gate.gate}",
                message=f"{gate.operation}: {gate.reason}",
            ).text = gate.reason
    for problem in result.errors:
        case = ET.SubElement(suite, "testcase", classname=name, name=f"error: {problem.where}")
        ET.SubElement(
            case, "error", message=problem.message.splitlines()[0] if problem.message else ""
        ).text = problem.message
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n")
