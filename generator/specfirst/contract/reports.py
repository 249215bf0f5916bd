"""A run's result for people and for CI: the terminal summary, JUnit XML, coverage reports.

:func:`format_summary` prints every failing operation and check with how to reproduce it,
the errors, the coverage matrix (:func:`coverage_matrix`) and the verdict line;
:func:`write_junit` writes one test case per operation and one ``<failure>`` per failing
check or gate; :func:`write_reports` writes the coverage as Markdown and JSON next to the JUnit
file (:func:`coverage_markdown`, :func:`coverage_json`). What they show is counted by
:mod:`specfirst.contract.coverage`.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from specfirst.contract.coverage import Coverage, GateFailure
from specfirst.contract.results import ContractFailure, ContractResult, ContractWarning, SpecGap


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
    if result.noted:
        lines.append(f"noted, not counted: {by_rule(result.noted)}")
    for warning in result.warnings:
        lines.extend(warning.lines())
    if result.coverage.operations:
        lines.append(coverage_matrix(result.coverage))
    if result.gaps:
        lines.append(
            "spec gaps (statuses the runtime sends that the spec does not declare; "
            "--strict fails them):"
        )
        lines.extend(f"  {gap.line()}" for gap in result.gaps)
    if result.excused:
        lines.append(
            f"not counted: {result.excused} check failure(s) on stubs' 501s and spec gaps' "
            "statuses (--require-implemented, --strict count them)"
        )
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
        lines.append(result.coverage.implemented_line())
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
    implemented, total = result.coverage.implemented()
    ET.SubElement(properties, "property", name="implemented", value=f"{implemented} of {total}")
    ET.SubElement(properties, "property", name="spec_gaps", value=str(len(result.gaps)))
    for operation, failures in by_operation.items():
        case = ET.SubElement(suite, "testcase", classname=name, name=operation)
        covered = result.coverage.operations.get(operation)
        if (
            covered is not None
            and covered.unimplemented
            and not failures
            and operation not in gates
        ):
            ET.SubElement(
                case,
                "skipped",
                message=f"{covered.stub_note}: its stub answered 501 ({covered.stubbed})",
            )
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
    _xml_safe(root)
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n")


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold, even escaped (fuzzed requests and responses have them)."""


def _xml_safe(root: ET.Element) -> None:
    """Write each character XML cannot hold as its escape (``\\x07``), in every text and
    attribute under ``root``: ElementTree would write them as they are, and no JUnit reader
    could parse the report."""

    def escape(text: str) -> str:
        return _NOT_XML.sub(lambda m: ascii(m.group())[1:-1], text)

    for element in root.iter():
        if element.text:
            element.text = escape(element.text)
        for key, value in element.attrib.items():
            element.attrib[key] = escape(value)


def coverage_matrix(coverage: Coverage) -> str:
    """The terminal matrix: one line per operation, ``+`` observed, ``-`` not, ``!`` undeclared."""
    lines = ["coverage matrix (+ observed, - declared but not observed, ! observed, undeclared):"]
    width = max((len(op.name) for op in coverage.operations.values()), default=0)
    for op in coverage.operations.values():
        cells = [f"{'+' if seen else '-'}{d}" for d, seen in op.declared_observed()]
        cells.extend(f"!{s}" for s in op.undeclared())
        marker = "  " if op.reached_success() else "✗ "
        note = f"  [exempt: {op.exemption.reason}]" if op.exemption else ""
        note += f"  [{op.stub_note}: stub 501 x{op.stubbed}]" if op.unimplemented else ""
        lines.append(f"  {marker}{op.name.ljust(width)}  {' '.join(cells)}{note}")
    return "\n".join(lines)


def coverage_json(
    coverage: Coverage,
    *,
    warnings: Sequence[ContractWarning] = (),
    gates: Sequence[GateFailure] = (),
    gaps: Sequence[SpecGap] = (),
    **extra: Any,
) -> dict[str, Any]:
    n, m = coverage.reached()
    k, total = coverage.statuses()
    implemented, _ = coverage.implemented()
    return {
        **extra,
        "summary": {
            "operations": m,
            "operations_reached_2xx": n,
            "operations_implemented": implemented,
            "declared_statuses": total,
            "declared_statuses_observed": k,
            "spec_gaps": len(gaps),
            "line": coverage.line(),
            "implemented_line": coverage.implemented_line(),
        },
        "operations": [
            {
                "operation": op.label,
                "operation_id": op.operation_id,
                "declared": {d: d in op.observed_declared() for d in op.declared},
                "default_declared": op.has_default,
                "observed": {str(s): c for s, c in sorted(op.observed.items())},
                "undeclared_observed": [str(s) for s in op.undeclared()],
                "reached_success": list(op.reached_success()),
                "implemented": not op.unimplemented,
                "exempt": op.exemption.reason if op.exemption else None,
            }
            for op in coverage.operations.values()
        ],
        "spec_gaps": [
            {
                "operation": g.label,
                "status": g.runtime.status,
                "why": g.runtime.why,
                "lint_rule": g.runtime.rule or None,
                "observed": g.observed,
            }
            for g in gaps
        ],
        "gates": [{"operation": g.operation, "gate": g.gate, "reason": g.reason} for g in gates],
        "warnings": [
            {
                "title": w.title,
                "summary": w.summary,
                "items": list(w.items),
                "tips": list(w.tips),
            }
            for w in warnings
        ],
    }


def coverage_markdown(
    coverage: Coverage,
    *,
    title: str,
    warnings: Sequence[ContractWarning] = (),
    gates: Sequence[GateFailure] = (),
    notes: Sequence[str] = (),
    gaps: Sequence[SpecGap] = (),
    noted: Mapping[str, int] | None = None,
) -> str:
    lines = [f"# {title}: coverage", ""]
    lines += [
        "| operation | declared statuses (✓ observed, · not) | observed (count) | undeclared observed |",
        "|---|---|---|---|",
    ]
    for op in coverage.operations.values():
        declared = " ".join(f"{d} {'✓' if seen else '·'}" for d, seen in op.declared_observed())
        observed = ", ".join(f"{s} ({c})" for s, c in sorted(op.observed.items())) or "none"
        undeclared = ", ".join(str(s) for s in op.undeclared()) or ""
        name = op.name + (f" (exempt: {op.exemption.reason})" if op.exemption else "")
        name += f" ({op.stub_note})" if op.unimplemented else ""
        lines.append(f"| {_md(name)} | {declared} | {observed} | {undeclared} |")
    lines.append("")
    if gates:
        lines += ["## Gates failed", ""]
        lines += [f"- **{_md(g.operation)}** ({g.gate}): {_md(g.reason)}" for g in gates]
        lines.append("")
    if gaps:
        lines += ["## Spec gaps", ""]
        lines += [
            "Statuses the runtime sends that the spec does not declare (`--strict` fails them)."
        ]
        lines += ["", "| operation | status | why | fix |", "|---|---|---|---|"]
        for g in gaps:
            fix = f"lint rule `{g.runtime.rule}`" if g.runtime.rule else "implement it"
            lines.append(
                f"| {_md(g.operation)} | {g.runtime.status} | {_md(g.runtime.why)} | {fix} |"
            )
        lines.append("")
    if notes:
        lines += ["## Not counted", ""]
        if noted:
            lines += [f"By rule: {by_rule(noted)}.", ""]
        lines += [f"- {_md(note)}" for note in notes]
        lines.append("")
    if warnings:
        lines += ["## schemathesis warnings", ""]
        for w in warnings:
            lines.append(f"- **{_md(w.title)}**: {_md(w.summary)}")
            lines += [f"  - {_md(item)}" for item in w.items]
            lines += [f"  - tip: {_md(tip)}" for tip in w.tips]
        lines.append("")
    lines.append(coverage.line())
    lines.append(coverage.implemented_line())
    return "\n".join(lines) + "\n"


def by_rule(noted: Mapping[str, int]) -> str:
    """``same-one-of 3, boolean-text 2``: how many notes each rule of
    :mod:`specfirst.contract.excuses` wrote, the most first."""
    return ", ".join(f"{name} {count}" for name, count in sorted(noted.items(), key=_most))


def _most(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report_paths(junit: Path) -> tuple[Path, Path]:
    """``reports/contract-token.xml`` → ``reports/contract-token.coverage.{md,json}``."""
    stem = junit.with_suffix("") if junit.suffix else junit
    return stem.with_name(stem.name + ".coverage.md"), stem.with_name(stem.name + ".coverage.json")


def write_reports(
    coverage: Coverage,
    junit: Path,
    *,
    title: str,
    warnings: Sequence[ContractWarning],
    gates: Sequence[GateFailure],
    notes: Sequence[str] = (),
    gaps: Sequence[SpecGap] = (),
    noted: Mapping[str, int] | None = None,
    **extra: Any,
) -> tuple[Path, Path]:
    markdown, data = report_paths(junit)
    markdown.parent.mkdir(parents=True, exist_ok=True)
    markdown.write_text(
        coverage_markdown(
            coverage,
            title=title,
            warnings=warnings,
            gates=gates,
            notes=notes,
            gaps=gaps,
            noted=noted,
        ),
        encoding="utf-8",
    )
    data.write_text(
        json.dumps(
            coverage_json(
                coverage,
                warnings=warnings,
                gates=gates,
                gaps=gaps,
                notes=list(notes),
                noted=dict(noted or {}),
                **extra,
            ),
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    return markdown, data
