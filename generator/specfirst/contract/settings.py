"""Project settings: ``[tool.specfirst.contract]`` in ``pyproject.toml``, read and applied.

Which statuses count as passing for the checks that take a list (``positive_data_acceptance``,
``negative_data_rejection``, ``not_a_server_error``, ``missing_required_header``) can be set
globally (``expected-statuses``) and for named operations with a mandatory reason (``allow``):
:func:`load_project_settings` reads them as :class:`ExpectedStatuses` and
:func:`_status_tables` turns them into schemathesis' configuration tables (the one place here
that imports schemathesis, when a run starts).
:func:`load_exemptions` reads the operations a coverage gate does not fail (``exempt``, see
:mod:`specfirst.contract.coverage`); :func:`load_run_flags` reads ``strict`` (spec gaps fail)
and ``require-implemented`` (stubs fail). Nothing here can switch a check off or skip an operation,
and anything malformed raises :class:`~specfirst.contract.hooks.ContractError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from specfirst.contract.coverage import GATES, Exemption
from specfirst.contract.hooks import ContractError

STATUS_CHECKS = (
    "not_a_server_error",
    "positive_data_acceptance",
    "negative_data_rejection",
    "missing_required_header",
)
"""The checks whose passing statuses are configurable (schemathesis' ``expected-statuses``)."""


@dataclass(frozen=True)
class ExpectedStatuses:
    """Statuses that pass ``check``: the whole list for every operation (``operations`` empty),
    or statuses *added* to that list for the named operations, with the reason why."""

    check: str
    statuses: tuple[str, ...]
    operations: tuple[str, ...] = ()  # operationIds
    reason: str = ""


def load_project_settings(pyproject: Path | None) -> tuple[ExpectedStatuses, ...]:
    """``[tool.specfirst.contract]`` of ``pyproject``; empty when there is none.

    .. code-block:: toml

        [tool.specfirst.contract.expected-statuses]
        positive_data_acceptance = ["2XX", "3XX", "401", "403", "404", "409", "412", "428"]

        [[tool.specfirst.contract.allow]]
        check = "positive_data_acceptance"
        operations = ["listProjects"]
        statuses = ["400"]
        reason = "why this is a false positive"

    Raises :class:`ContractError` for anything else, so a typo cannot pass silently.
    """
    if pyproject is None or not pyproject.is_file():
        return ()
    import tomllib

    with pyproject.open("rb") as fh:
        table = tomllib.load(fh).get("tool", {}).get("specfirst", {}).get("contract", {})
    where = f"{pyproject}: [tool.specfirst.contract]"
    if not isinstance(table, Mapping):
        raise ContractError(f"{where} must be a table")
    unknown = set(table) - {"expected-statuses", "allow", "exempt", *_FLAGS}
    if unknown:
        raise ContractError(f"{where}: unknown key(s) {sorted(unknown)}")
    found: list[ExpectedStatuses] = []
    expected = table.get("expected-statuses", {})
    if not isinstance(expected, Mapping):
        raise ContractError(f"{where}.expected-statuses must be a table: check name → statuses")
    for check, statuses in expected.items():
        found.append(
            ExpectedStatuses(
                check=_status_check(check, where),
                statuses=_statuses(statuses, f"{where}.expected-statuses.{check}"),
            )
        )
    allow = table.get("allow", [])
    if not isinstance(allow, list):
        raise ContractError(f"{where}.allow must be an array of tables ([[...allow]])")
    for number, entry in enumerate(allow, 1):
        at = f"{where}.allow #{number}"
        if not isinstance(entry, Mapping):
            raise ContractError(f"{at} must be a table")
        keys = set(entry)
        if keys != {"check", "operations", "statuses", "reason"}:
            raise ContractError(
                f"{at} needs exactly check, operations, statuses and reason "
                f"(missing {sorted({'check', 'operations', 'statuses', 'reason'} - keys)}, "
                f"unknown {sorted(keys - {'check', 'operations', 'statuses', 'reason'})})"
            )
        operations, reason = _operations_and_reason(entry, at)
        found.append(
            ExpectedStatuses(
                check=_status_check(entry["check"], at),
                statuses=_statuses(entry["statuses"], f"{at}.statuses"),
                operations=operations,
                reason=reason,
            )
        )
    return tuple(found)


_FLAGS = ("strict", "require-implemented")


def load_run_flags(pyproject: Path | None) -> dict[str, bool]:
    """``strict`` and ``require-implemented`` of ``[tool.specfirst.contract]`` (both false
    when absent): spec gaps, and unimplemented operations, fail the run.

    .. code-block:: toml

        [tool.specfirst.contract]
        strict = true               # every status the runtime sends is declared
        require-implemented = true  # no operation answers its stub's 501

    Raises :class:`ContractError` for a value that is not a boolean.
    """
    if pyproject is None or not pyproject.is_file():
        return dict.fromkeys(_FLAGS, False)
    import tomllib

    with pyproject.open("rb") as fh:
        table = tomllib.load(fh).get("tool", {}).get("specfirst", {}).get("contract", {})
    flags = {}
    for key in _FLAGS:
        value = table.get(key, False) if isinstance(table, Mapping) else False
        if not isinstance(value, bool):
            raise ContractError(
                f"{pyproject}: [tool.specfirst.contract].{key} must be true or false"
            )
        flags[key] = value
    return flags


def load_exemptions(pyproject: Path | None) -> tuple[Exemption, ...]:
    """``[[tool.specfirst.contract.exempt]]`` of ``pyproject``: operations a gate does not fail.

    .. code-block:: toml

        [[tool.specfirst.contract.exempt]]
        operations = ["logout"]
        gates = ["success"]        # optional: "auth", "success" (default: both)
        reason = "why no run can reach its success status"

    An exempted operation is still tested, checked and shown in the coverage report, with its
    reason. Raises :class:`ContractError` for anything malformed.
    """
    if pyproject is None or not pyproject.is_file():
        return ()
    import tomllib

    with pyproject.open("rb") as fh:
        table = tomllib.load(fh).get("tool", {}).get("specfirst", {}).get("contract", {})
    entries = table.get("exempt", []) if isinstance(table, Mapping) else []
    where = f"{pyproject}: [tool.specfirst.contract]"
    if not isinstance(entries, list):
        raise ContractError(f"{where}.exempt must be an array of tables ([[...exempt]])")
    found: list[Exemption] = []
    for number, entry in enumerate(entries, 1):
        at = f"{where}.exempt #{number}"
        if not isinstance(entry, Mapping):
            raise ContractError(f"{at} must be a table")
        unknown = set(entry) - {"operations", "reason", "gates"}
        missing = {"operations", "reason"} - set(entry)
        if unknown or missing:
            raise ContractError(
                f"{at} needs operations and reason, and may have gates "
                f"(missing {sorted(missing)}, unknown {sorted(unknown)})"
            )
        operations, reason = _operations_and_reason(entry, at)
        gates = entry.get("gates", list(GATES))
        if not isinstance(gates, list) or not gates or not set(gates) <= set(GATES):
            raise ContractError(f"{at}.gates must be a non-empty list of {', '.join(GATES)}")
        found.append(Exemption(operations, reason, tuple(gates)))
    return tuple(found)


def _operations_and_reason(entry: Mapping[str, Any], at: str) -> tuple[tuple[str, ...], str]:
    """An entry's ``operations`` (operationIds) and its written ``reason``, checked."""
    operations, reason = entry["operations"], entry["reason"]
    if (
        not isinstance(operations, list)
        or not operations
        or not all(isinstance(o, str) and o for o in operations)
    ):
        raise ContractError(f"{at}.operations must be a non-empty list of operationIds")
    if not isinstance(reason, str) or not reason.strip():
        raise ContractError(f"{at}.reason must say why (a non-empty string)")
    return tuple(operations), " ".join(reason.split())


def _status_check(name: object, where: str) -> str:
    if name not in STATUS_CHECKS:
        raise ContractError(
            f"{where}: {name!r} is not a check with expected statuses; "
            f"choose from {', '.join(STATUS_CHECKS)}"
        )
    return str(name)


def _statuses(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, list) and value and all(isinstance(v, str | int) for v in value):
        return tuple(str(v).upper() for v in value)
    raise ContractError(f'{where} must be a non-empty list of statuses (e.g. 404, "2XX")')


def _status_tables(
    expected: Sequence[ExpectedStatuses],
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """schemathesis' ``checks`` entries and ``[[operations]]`` entries for ``expected``.

    An operation entry replaces the global list in schemathesis, so each one carries the
    global list (or the check's default) plus what is allowed for that operation.
    """
    from schemathesis.config import ChecksConfig

    defaults = ChecksConfig()
    checks: dict[str, dict[str, Any]] = {}
    for item in expected:
        if not item.operations:
            checks[item.check] = {"expected-statuses": list(item.statuses)}
    extra: dict[str, dict[str, list[str]]] = {}
    for item in expected:
        if not item.operations:
            continue
        for op in item.operations:
            statuses = extra.setdefault(op, {}).setdefault(item.check, [])
            statuses.extend(s for s in item.statuses if s not in statuses)
    operations: list[dict[str, Any]] = []
    for op, by_check in sorted(extra.items()):
        table: dict[str, Any] = {}
        for check, added in by_check.items():
            base = checks.get(check, {}).get("expected-statuses") or [
                status.upper() for status in getattr(defaults, check).expected_statuses
            ]
            table[check] = {"expected-statuses": [*base, *(s for s in added if s not in base)]}
        operations.append({"include-operation-id": op, "checks": table})
    return checks, operations


def _check_operation_ids(
    named: Iterable[tuple[str, Sequence[str]]], operation_ids: Iterable[str]
) -> None:
    """``named``: (where, operationIds) pairs; each id must be one of the spec's."""
    known = set(operation_ids)
    for where, operations in named:
        missing = [op for op in operations if op not in known]
        if missing:
            raise ContractError(f"{where}: the spec has no operation with id {', '.join(missing)}")
