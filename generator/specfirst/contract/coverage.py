"""What a contract run reached: operations by statuses, declared against observed, and the gates.

A contract run that passes says nothing about the operations it never got into: a service
whose every operation answered 401 passes every schemathesis check. So each run records the
status of every response per operation and:

* counts, for every operation, which of its declared statuses were observed, and any observed
  status the operation does not declare (:mod:`specfirst.contract.reports` shows them as a
  matrix, and writes them as Markdown and JSON next to the JUnit file);
* sums them up in ``coverage: N of M operations reached a declared 2xx; K of L declared
  statuses observed`` (a 2xx answered under ``default`` is a declared one for an operation that
  declares no 2xx or 3xx);
* fails the run (the *gates*) for every operation that never got past 401/403, or never
  produced any of its declared success statuses, unless ``[tool.specfirst.contract]`` exempts it
  with a written reason, or the run does: the auth gate of an operation no request can get
  past, because each of its security requirements needs one header in two forms
  (:mod:`specfirst.security_headers`), is a note (rule ``header-clash``), not a failure;
* counts an operation whose stub answered 501 (``NotImplementedOperation``) and that never
  reached a success as *unimplemented*: ``implemented: N of M operations``. The success gate
  does not fail it unless ``--require-implemented``; the auth gate still does (its stub is
  reached only past its security). One that declares no success at all (only errors, or a
  1xx) is counted apart, as ``no success declared``: no implementation of it can reach a
  declared success, so its 501 is the spec's to fix (lint rule ``success-response``), not
  work left.

This module knows nothing of schemathesis: the run (:mod:`specfirst.contract.runner`) feeds it
statuses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

GATES = ("auth", "success")
"""``auth``: an operation never got past 401/403; ``success``: it never produced any declared
success status (2xx; 3xx for an operation that declares no 2xx; for one that declares neither,
a 2xx answered under its ``default`` response)."""

DEFAULT = "default"
"""The success status of an operation that declares no 2xx or 3xx, only ``default`` (and
perhaps errors): a 2xx its ``default`` response covers, as a declared answer like any other
(fec.gov declares every operation that way)."""

NO_SUCCESS = "no success declared"
"""What an unimplemented operation is when it declares no success: its 501 is the spec's
doing, not work left (appwrite's ``/health`` operations declare only a 500)."""

_AUTH = frozenset({401, 403})
_BEFORE_AUTH = frozenset({400, 405, 406, 413, 415, 422, 429})
"""Answers a server may give before it looks at credentials (malformed requests, limits)."""


@dataclass(frozen=True)
class Exemption:
    """Operations a gate does not apply to, and why (``[[tool.specfirst.contract.exempt]]``)."""

    operations: tuple[str, ...]  # operationIds
    reason: str
    gates: tuple[str, ...] = GATES
    noted: str = ""
    """The rule under which the run notes a gate it exempts (the spec's own fault, found by
    the run: ``header-clash``); ``""`` for a configured exemption, shown in the matrix only."""


def _matches(declared: str, status: int) -> bool:
    if declared.isdigit():
        return int(declared) == status
    return len(declared) == 3 and declared[0] == str(status)[0] and declared[1:].upper() == "XX"


@dataclass
class OperationCoverage:
    """One operation: the statuses its spec declares and those the run saw, with counts."""

    label: str  # "POST /projects"
    operation_id: str | None
    declared: tuple[str, ...]  # "200", "404", "4XX"; "default" is kept apart
    has_default: bool = False
    observed: Counter[int] = field(default_factory=Counter)
    exemption: Exemption | None = None
    stubbed: int = 0
    """Responses that were its stub's 501 (``NotImplementedOperation``)."""

    @property
    def unimplemented(self) -> bool:
        """Its stub answered 501 and it never reached a declared success: not written yet."""
        return self.stubbed > 0 and not self.reached_success()

    @property
    def stub_note(self) -> str:
        """Why its stub answered 501: ``not implemented``, or ``no success declared`` for an
        operation whose spec declares no success (only errors, or a 1xx), which no
        implementation can reach (lint rule ``success-response``)."""
        return "not implemented" if self.success_statuses() else NO_SUCCESS

    @property
    def name(self) -> str:
        return f"{self.label} ({self.operation_id})" if self.operation_id else self.label

    def declared_for(self, status: int) -> str | None:
        """The declared key that ``status`` answers as: the exact code, else its range."""
        exact = str(status)
        if exact in self.declared:
            return exact
        return next((d for d in self.declared if not d.isdigit() and _matches(d, status)), None)

    def observed_declared(self) -> set[str]:
        return {d for s in self.observed if (d := self.declared_for(s)) is not None}

    def _unmatched(self) -> dict[int, int]:
        """Observed statuses no declared code or range answers."""
        return {s: n for s, n in sorted(self.observed.items()) if self.declared_for(s) is None}

    def declared_observed(self) -> list[tuple[str, bool]]:
        """Each declared key, ``default`` last, and whether the run saw a status it answers."""
        seen = self.observed_declared()
        found = [(d, d in seen) for d in self.declared]
        return [*found, (DEFAULT, bool(self.under_default()))] if self.has_default else found

    def undeclared(self) -> dict[int, int]:
        """Observed statuses the operation does not declare (a ``default`` response covers them)."""
        return {} if self.has_default else self._unmatched()

    def under_default(self) -> dict[int, int]:
        """Observed statuses its ``default`` response answers (none declared more precisely)."""
        return self._unmatched() if self.has_default else {}

    def success_statuses(self) -> tuple[str, ...]:
        """The declared 2xx statuses; the declared 3xx ones when there is no 2xx; ``default``
        (a 2xx it answers) when it declares neither but a ``default`` response."""
        for first in "23":
            found = tuple(d for d in self.declared if d.startswith(first))
            if found:
                return found
        return (DEFAULT,) if self.has_default else ()

    def reached_success(self) -> tuple[str, ...]:
        seen = self.observed_declared()
        if any(200 <= s < 300 for s in self.under_default()):
            seen.add(DEFAULT)
        return tuple(d for d in self.success_statuses() if d in seen)

    def gate(self, require_implemented: bool = False) -> tuple[str, str] | None:
        """``(gate, reason)`` when a gate fails for this operation, else ``None``. An
        unimplemented operation passes the success gate unless ``require_implemented``."""
        if self.reached_success():
            return None
        if self.unimplemented:
            if not require_implemented:
                return None
            why = "is not implemented" if self.success_statuses() else f"has {NO_SUCCESS}"
            return "success", f"{why}: its stub answered 501 ({self.stubbed})"
        answered = _counts(self.observed)
        if not self.observed:
            return "success", "got no response at all"
        if self.observed.keys() & _AUTH and self.observed.keys() <= _AUTH | _BEFORE_AUTH:
            only = ", ".join(str(s) for s in sorted(self.observed.keys() & _AUTH))
            return "auth", f"never got past {only}: answered only {answered}"
        wanted = ", ".join(
            "a 2xx under default" if d == DEFAULT else d for d in self.success_statuses()
        )
        wanted = wanted or "none declared"
        return (
            "success",
            f"never produced a declared success status ({wanted}): answered {answered}",
        )


def _counts(observed: Mapping[int, int]) -> str:
    return ", ".join(f"{status} ({count})" for status, count in sorted(observed.items()))


@dataclass(frozen=True)
class GateFailure:
    operation: str  # "GET /projects (listProjects)"
    gate: str
    reason: str
    label: str = ""  # "GET /projects"


@dataclass
class Coverage:
    """Every operation's declared and observed statuses, their numbers, and the gates.

    Shown by :mod:`specfirst.contract.reports` (the matrix, Markdown and JSON)."""

    operations: dict[str, OperationCoverage] = field(default_factory=dict)  # by label
    require_implemented: bool = False
    """Whether an unimplemented operation fails the success gate (``--require-implemented``)."""

    @classmethod
    def from_spec(cls, operations: Iterable[tuple[str, str | None, Iterable[str]]]) -> Coverage:
        """From ``(label, operationId, response keys)`` of every operation the run tests."""
        coverage = cls()
        for label, operation_id, keys in operations:
            keys = [str(k).upper() if not str(k).isdigit() else str(k) for k in keys]
            coverage.operations[label] = OperationCoverage(
                label=label,
                operation_id=operation_id,
                declared=tuple(sorted(k for k in keys if k != "DEFAULT")),
                has_default="DEFAULT" in keys,
            )
        return coverage

    def record(self, label: str, status: int, *, stub: bool = False) -> None:
        """One response of the operation ``label``; ``stub``: its stub's 501."""
        operation = self.operations.get(label)
        if operation is not None:
            operation.observed[status] += 1
            operation.stubbed += stub

    def exempt(self, exemptions: Sequence[Exemption]) -> None:
        by_id = {op.operation_id: op for op in self.operations.values() if op.operation_id}
        for exemption in exemptions:
            for operation_id in exemption.operations:
                if operation_id in by_id:
                    by_id[operation_id].exemption = exemption

    def reached(self) -> tuple[int, int]:
        ops = list(self.operations.values())
        return sum(1 for op in ops if op.reached_success()), len(ops)

    def implemented(self) -> tuple[int, int]:
        """``(N, M)``: N of the M operations are not unimplemented stubs."""
        ops = list(self.operations.values())
        return sum(1 for op in ops if not op.unimplemented), len(ops)

    def implemented_line(self) -> str:
        """``implemented: N of M operations``, and why the others are not: ``not yet`` (a
        stub left to write), or ``no success declared`` (the spec's to fix)."""
        n, m = self.implemented()
        notes = Counter(op.stub_note for op in self.operations.values() if op.unimplemented)
        parts = []
        if notes["not implemented"]:
            parts.append(f"not yet: {notes['not implemented']}, each answered its stub's 501")
        if notes[NO_SUCCESS]:
            parts.append(
                f"{NO_SUCCESS}: {notes[NO_SUCCESS]}, each answered its stub's 501 "
                "(lint rule success-response)"
            )
        more = f" ({'; '.join(parts)})" if parts else ""
        return f"implemented: {n} of {m} operations{more}"

    def statuses(self) -> tuple[int, int]:
        ops = list(self.operations.values())
        return (
            sum(len(op.observed_declared()) for op in ops),
            sum(len(op.declared) for op in ops),
        )

    def line(self) -> str:
        n, m = self.reached()
        k, total = self.statuses()
        return (
            f"coverage: {n} of {m} operations reached a declared 2xx; "
            f"{k} of {total} declared statuses observed"
        )

    def gate_failures(self) -> list[GateFailure]:
        failures: list[GateFailure] = []
        for op in self.operations.values():
            found = op.gate(self.require_implemented)
            if found is None:
                continue
            gate, reason = found
            if op.exemption is not None and gate in op.exemption.gates:
                continue
            failures.append(GateFailure(op.name, gate, reason, op.label))
        return failures

    def gate_notes(self) -> list[tuple[str, str]]:
        """``(rule, note)`` for every gate that would fail but for an exemption the run made
        itself (:attr:`Exemption.noted`): ``<operation>: <gate> gate not counted: <why>:
        <what the gate saw>``."""
        notes: list[tuple[str, str]] = []
        for op in self.operations.values():
            found = op.gate(self.require_implemented)
            exemption = op.exemption
            if found is None or exemption is None or not exemption.noted:
                continue
            gate, reason = found
            if gate in exemption.gates:
                notes.append(
                    (
                        exemption.noted,
                        f"{op.name}: {gate} gate not counted: {exemption.reason}: {reason}",
                    )
                )
        return notes
