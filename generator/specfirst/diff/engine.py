"""``diff_specs``: run the comparison of two documents, then grade and filter its findings.

Every operation of both versions is matched (``operations.endpoints`` reports the ones added
or removed), and each pair goes through the check families of ``specfirst.diff.operations``
in turn, sharing one ``Context``. What they found becomes ``Finding``s with their default
severity, which a team's settings may change or turn off; an occurrence the ignore file
accepts moves to ``report.ignored`` with its reason.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace

from specfirst.diff.context import Context
from specfirst.diff.operations import endpoints, parameters, request_bodies, responses, security
from specfirst.diff.registry import RULES, severity_of
from specfirst.diff.report import DiffReport, Finding, Occurrence
from specfirst.diff.rule import Severity
from specfirst.diff.schemas.change import MAX_PATHS
from specfirst.diff.settings import IgnoreEntry
from specfirst.diff.side import OperationAt
from specfirst.loader import SourceSpec

__all__ = ["diff_specs", "iter_breaking"]

_ORDER = {Severity.BREAKING: 0, Severity.POSSIBLY: 1, Severity.INFO: 2}


def _compare(ctx: Context) -> None:
    """Every operation of both versions: added or removed, then each pair family by family."""
    base_ops, head_ops = ctx.base.operations(), ctx.head.operations()
    base_stubs, head_stubs = endpoints.stubs(base_ops), endpoints.stubs(head_ops)
    endpoints.compare_endpoints(ctx, base_ops, head_ops, base_stubs, head_stubs)
    for key in base_ops:
        if key in head_ops and key not in base_stubs and key not in head_stubs:
            _compare_operation(ctx, base_ops[key], head_ops[key])


def _compare_operation(ctx: Context, base: OperationAt, head: OperationAt) -> None:
    """One operation in both versions, check family by check family."""
    name = f"{str(base.ptr[-1]).upper()} {head.path}"
    for check in (
        endpoints.compare_deprecation,
        parameters.compare_parameters,
        request_bodies.compare_request_body,
        responses.compare_responses,
        security.compare_security,
    ):
        check(ctx, name, base, head)


def _findings(ctx: Context) -> list[Finding]:
    """What ``ctx`` found, with default severities, locations and the shortest field paths."""
    out = []
    for (id, message, base_ptr, head_ptr), ops in ctx.found.items():
        occurrences = tuple(
            Occurrence(op, tuple(sorted(paths, key=lambda p: (len(p), p))[:MAX_PATHS]))
            for op, paths in sorted(ops.items())
        )
        out.append(
            Finding(
                id,
                RULES[id].severity,
                message,
                occurrences,
                ctx.base.locate(base_ptr),
                ctx.head.locate(head_ptr),
            )
        )
    out.sort(key=lambda f: (_ORDER[f.severity], f.operation or "", f.id, f.message))
    return out


def diff_specs(
    base: SourceSpec,
    head: SourceSpec,
    *,
    base_label: str = "base",
    head_label: str = "head",
    severities: Mapping[str, Severity | None] | None = None,
    ignore: Sequence[IgnoreEntry] = (),
) -> DiffReport:
    """Every change from ``base`` to ``head`` that matters to existing clients.

    ``severities`` overrides rule severities (``None`` turns a rule off); ``ignore`` lists
    accepted findings: an occurrence (operation and field path) they match is moved to
    ``report.ignored`` with its reason, so the rest still gates.
    """
    ctx = Context(base, head)
    _compare(ctx)
    findings, ignored = [], []
    used: set[int] = set()
    for finding in _findings(ctx):
        level = severity_of(finding.id, severities or {})
        if level is None:
            continue
        finding = replace(finding, severity=level)
        kept, accepted, reason = [], [], None
        for occ in finding.occurrences:
            paths = occ.paths or ("",)
            hit = next(
                (
                    n
                    for n, e in enumerate(ignore)
                    if all(e.matches(finding.id, occ.operation, p) for p in paths)
                ),
                None,
            )
            if hit is None:
                kept.append(occ)
            else:
                used.add(hit)
                accepted.append(occ)
                reason = reason or ignore[hit].reason
        if kept:
            findings.append(replace(finding, occurrences=tuple(kept)))
        if accepted:
            ignored.append(replace(finding, occurrences=tuple(accepted), reason=reason))
    findings.sort(key=lambda f: (_ORDER[f.severity], f.operation or "", f.id, f.message))
    return DiffReport(
        base_label=base_label,
        head_label=head_label,
        base_version=str((base.document.get("info") or {}).get("version", "")),
        head_version=str((head.document.get("info") or {}).get("version", "")),
        findings=findings,
        ignored=ignored,
        unused_ignores=[e for n, e in enumerate(ignore) if n not in used],
    )


def iter_breaking(report: DiffReport) -> Iterator[Finding]:
    return (f for f in report.findings if f.severity is Severity.BREAKING)
