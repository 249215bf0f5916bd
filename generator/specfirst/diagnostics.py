"""Diagnostics: errors as values, each with a level, a rule id, a message and a location.

Every stage of the pipeline reports problems as :class:`Diagnostic` values instead of raising
at the first one, so a user sees everything that is wrong with their spec in one run. A stage
that cannot go on raises :class:`DiagnosticError`, which carries the diagnostics collected so far.

Exception hierarchy::

    Exception
    └── DiagnosticError   (.diagnostics: list[Diagnostic])
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "Diagnostic",
    "DiagnosticError",
    "Level",
    "Location",
    "has_errors",
    "sort_diagnostics",
]


class Level(enum.StrEnum):
    """How serious a diagnostic is; only ERROR fails a run."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A position in a source file; ``line`` and ``col`` are 1-based."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the input, e.g. ``specs/api.yaml:42:7: openapi-schema: ...``."""

    level: Level
    rule: str
    message: str
    location: Location | None = None

    def format(self) -> str:
        """Render as ``file:line:col: rule: message`` (``rule: message`` without a location)."""
        if self.location is None:
            return f"{self.rule}: {self.message}"
        return f"{self.location}: {self.rule}: {self.message}"

    def __str__(self) -> str:
        return self.format()


class DiagnosticError(Exception):
    """Raised when a stage cannot continue; carries every diagnostic collected so far."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: list[Diagnostic] = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)


def has_errors(diags: Iterable[Diagnostic]) -> bool:
    """True if any diagnostic is at ERROR level."""
    return any(d.level is Level.ERROR for d in diags)


def _sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    loc = d.location
    if loc is None:
        return ("", 0, 0, d.rule, d.message)
    return (loc.file, loc.line, loc.col, d.rule, d.message)


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Stable sort by file, line, column, rule, message; unlocated diagnostics come first."""
    return sorted(diags, key=_sort_key)
