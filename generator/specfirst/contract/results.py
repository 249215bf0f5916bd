"""What a contract run found: :class:`ContractResult`, its failures and its errors.

One :class:`ContractFailure` per distinct (operation, check, problem), each with a ``curl``
command that reproduces it; one :class:`ContractProblem` per error that stopped part of the
run; one :class:`ContractWarning` per warning of schemathesis'. The result also carries the
run's coverage (:mod:`specfirst.contract.coverage`), and is ``ok`` only when nothing failed,
nothing stopped the run and every gate passed. A spec gap (:class:`SpecGap`) is listed, and
fails the run only under ``--strict``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specfirst.contract.coverage import Coverage, GateFailure
from specfirst.spec_gaps import RuntimeStatus


@dataclass(frozen=True)
class SpecGap:
    """A status the runtime answers for an operation by itself that the operation does not
    declare (:mod:`specfirst.spec_gaps`), and how often the run saw it."""

    operation: str  # "POST /projects (createProject)"
    label: str  # "POST /projects"
    runtime: RuntimeStatus
    observed: int = 0

    def line(self) -> str:
        fix = (
            f"lint rule {self.runtime.rule}"
            if self.runtime.rule
            else "implement it (or declare 501 while it is a stub)"
        )
        seen = f", answered {self.observed}x" if self.observed else ""
        return f"{self.operation}: {self.runtime.status} {self.runtime.why}{seen}; fix: {fix}"


@dataclass(frozen=True)
class ContractFailure:
    """One distinct way the service broke the contract."""

    operation: str  # "POST /projects"
    operation_id: str | None
    check: str
    title: str
    message: str
    reproduce: str  # a curl command (or several, for a stateful sequence)
    response: str = ""  # "401 Unauthorized" and the start of the body
    occurrences: int = 1
    status: int | None = None  # the failing response's status, when there was one
    stub: bool = False  # that response was a stub's 501 (NotImplementedOperation)

    def headline(self) -> str:
        op = f"{self.operation} ({self.operation_id})" if self.operation_id else self.operation
        return f"{op}: {self.check}: {self.title}"


@dataclass(frozen=True)
class ContractProblem:
    """An error that stopped part of the run (network error, invalid schema, crash)."""

    where: str
    message: str


@dataclass(frozen=True)
class ContractWarning:
    """A schemathesis warning: a title, what it says, the operations and its advice."""

    title: str
    summary: str
    items: tuple[str, ...] = ()
    tips: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        out = [f"warning: {self.title}: {self.summary}"]
        out.extend(f"  - {item}" for item in self.items)
        out.extend(f"  tip: {tip}" for tip in self.tips)
        return out


@dataclass
class ContractResult:
    seed: int
    failures: list[ContractFailure] = field(default_factory=list)
    errors: list[ContractProblem] = field(default_factory=list)
    operations: set[str] = field(default_factory=set)
    cases: int = 0
    elapsed: float = 0.0
    phases: dict[str, str] = field(default_factory=dict)
    interrupted: bool = False
    """Stopped by Ctrl-C or SIGTERM before every phase ran: not a pass, whatever was found."""
    coverage: Coverage = field(default_factory=Coverage)
    warnings: list[ContractWarning] = field(default_factory=list)
    gates: list[GateFailure] = field(default_factory=list)
    """Operations the run never got into (only 401/403, or no declared success status)."""
    reports: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Check failures not counted, each with the reason (:mod:`specfirst.contract.excuses`),
    and what the run could not send."""
    noted: dict[str, int] = field(default_factory=dict)
    """How many of the notes each rule of :mod:`specfirst.contract.excuses` wrote, by its name."""
    served: dict[str, Any] = field(default_factory=dict, repr=False)
    """The first request each operation answered with a 2xx (schemathesis' record of it)."""
    stubbed: dict[str, Any] = field(default_factory=dict, repr=False)
    """The first request each operation answered with a stub's 501 (past its security)."""
    gaps: list[SpecGap] = field(default_factory=list)
    """Statuses the runtime answers by itself that the spec does not declare."""
    excused: int = 0
    """Check failures not counted: a stub's 501, or a spec gap's status (without --strict)."""

    @property
    def ok(self) -> bool:
        return not self.failures and not self.errors and not self.interrupted and not self.gates

    def failing(self) -> set[tuple[str, str]]:
        """``{(operation, check)}`` of every failure: what tests assert on."""
        return {(f.operation, f.check) for f in self.failures}


def failures_named(result: ContractResult, operation: str) -> Iterable[ContractFailure]:
    """The failures of one operation (``"GET /things"`` or an operationId)."""
    return (f for f in result.failures if operation in (f.operation, f.operation_id))
