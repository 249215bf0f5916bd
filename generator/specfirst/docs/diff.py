"""The breaking-change report as a page: findings grouped by severity, counts and a verdict.

``specfirst diff --format html`` renders it from the report's JSON shape
(:meth:`specfirst.diff.DiffReport.to_json`), not from the report object.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specfirst.docs.page import render_page

__all__ = ["render_diff_html"]

_SEVERITIES = (
    ("breaking", "Breaking"),
    ("possibly-breaking", "Possibly breaking"),
    ("info", "Other changes"),
)


def _label(side: object) -> str:
    if isinstance(side, Mapping):
        label = str(side.get("label", ""))
        version = side.get("version")
        return f"{label} (version {version})" if version else label
    return str(side or "")


def render_diff_html(report_json: Mapping[str, Any]) -> str:
    """A reviewer's page for a breaking-change report (the shape of ``DiffReport.to_json()``)."""
    findings = [f for f in report_json.get("findings", []) if isinstance(f, Mapping)]
    groups: dict[str, list[Mapping[str, Any]]] = {key: [] for key, _ in _SEVERITIES}
    for finding in findings:
        groups.setdefault(str(finding.get("severity", "info")), []).append(finding)
    summary = report_json.get("summary")
    summary = summary if isinstance(summary, Mapping) else {}
    counts = {key: int(summary.get(key, len(groups[key]))) for key, _ in _SEVERITIES}
    breaking = counts["breaking"] > 0
    if breaking and summary.get("major_version_bumped"):
        verdict = "Breaking changes, allowed: the major version was bumped."
    elif breaking:
        verdict = "Breaking changes: existing clients may fail."
    elif counts["possibly-breaking"]:
        verdict = "No breaking changes, but some may break clients: review them."
    else:
        verdict = "No breaking changes."
    base, head = _label(report_json.get("base")), _label(report_json.get("head"))
    return render_page(
        "diff.html.jinja",
        title=f"API changes: {base} → {head}",
        base=base,
        head=head,
        verdict=verdict,
        breaking=breaking,
        severities=_SEVERITIES,
        counts=counts,
        groups=groups,
        findings=findings,
    )
