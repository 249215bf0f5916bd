"""The report of ``specfirst diff``: findings, the operations they affect, and three formats.

A ``Finding`` is one change with its rule id, severity, message, the location in both
versions and every operation it affects (``Occurrence``, with the field paths that reach
it). ``DiffReport`` holds them and prints them as text, markdown (a pull-request comment) or
JSON (``specfirst.docs`` renders its HTML page from the JSON).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from specfirst.diagnostics import Location
from specfirst.diff.rule import Severity
from specfirst.diff.settings import IgnoreEntry


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One operation a finding affects, and the field paths that reach it there."""

    operation: str
    paths: tuple[str, ...]

    def first(self) -> str:
        return (
            f"{self.operation} → {self.paths[0]}"
            if self.paths and self.paths[0]
            else self.operation
        )


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    severity: Severity
    message: str
    occurrences: tuple[Occurrence, ...]
    base: Location | None
    head: Location | None
    reason: str | None = None  # why it was accepted (ignored findings only)

    @property
    def operation(self) -> str | None:
        """The first affected operation (``operations`` lists them all)."""
        return self.occurrences[0].operation if self.occurrences else None

    @property
    def operations(self) -> list[str]:
        return [o.operation for o in self.occurrences]

    def where(self) -> str:
        """The first operation and field path, and how many more operations there are."""
        if not self.occurrences:
            return ""
        more = len(self.occurrences) - 1
        return self.occurrences[0].first() + (f" (+{more} more operations)" if more else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "severity": self.severity.value,
            "message": self.message,
            "operation": self.where(),
            "operations": [
                {"operation": o.operation, "paths": list(o.paths)} for o in self.occurrences
            ],
            "base": str(self.base) if self.base else None,
            "head": str(self.head) if self.head else None,
            **({"reason": self.reason} if self.reason else {}),
        }


@dataclass
class DiffReport:
    base_label: str
    head_label: str
    base_version: str
    head_version: str
    findings: list[Finding] = field(default_factory=list)
    ignored: list[Finding] = field(default_factory=list)
    unused_ignores: list[IgnoreEntry] = field(default_factory=list)

    @property
    def breaking(self) -> bool:
        return any(f.severity is Severity.BREAKING for f in self.findings)

    @property
    def major_bumped(self) -> bool:
        return _major(self.head_version) > _major(self.base_version)

    def counts(self) -> dict[str, int]:
        return {s.value: sum(1 for f in self.findings if f.severity is s) for s in Severity}

    def to_json(self) -> dict[str, Any]:
        return {
            "base": {"label": self.base_label, "version": self.base_version},
            "head": {"label": self.head_label, "version": self.head_version},
            "summary": {
                **self.counts(),
                "ignored": len(self.ignored),
                "major_version_bumped": self.major_bumped,
            },
            "findings": [f.to_json() for f in self.findings],
            "ignored": [f.to_json() for f in self.ignored],
        }

    def _summary(self) -> str:
        c = self.counts()
        text = f"{c['breaking']} breaking, {c['possibly-breaking']} possibly breaking, {c['info']} info"
        return text + (f", {len(self.ignored)} accepted in the ignore file" if self.ignored else "")

    def to_text(self) -> str:
        lines = []
        for f in self.findings:
            where = " ".join(
                part
                for part in (f"base {f.base}" if f.base else "", f"head {f.head}" if f.head else "")
                if part
            )
            lines.append(f"{f.severity.value}: {f.id}: {f.message}")
            lines.append(f"    {f.where()}" + (f" [{where}]" if where else ""))
        lines.append(f"{self.base_label} → {self.head_label}: {self._summary()}")
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        verdict = "❌ breaking changes" if self.breaking else "✅ no breaking changes"
        if self.breaking and self.major_bumped:
            verdict += f" (allowed: major version {self.base_version} → {self.head_version})"
        out = [
            f"## API changes: `{_md(self.base_label)}` → `{_md(self.head_label)}`",
            "",
            f"**{verdict}** — {self._summary()}",
            "",
        ]
        if self.findings:
            out += ["| severity | change | details | where | location |", "|---|---|---|---|---|"]
            for f in self.findings:
                loc = "<br>".join(
                    x
                    for x in (
                        f"base `{f.base}`" if f.base else "",
                        f"head `{f.head}`" if f.head else "",
                    )
                    if x
                )
                out.append(
                    f"| {f.severity.value} | `{f.id}` | {_md(f.message)} | {_md(f.where())} | {loc} |"
                )
        return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def _major(version: str) -> int:
    match = re.match(r"\s*v?(\d+)", version)
    return int(match.group(1)) if match else 0
