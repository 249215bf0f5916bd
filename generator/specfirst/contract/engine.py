"""schemathesis' engine, run over the loaded schema and read into a :class:`ContractResult`.

:func:`_execute` drives every enabled phase and reads its events: each check failure becomes
one :class:`ContractFailure` per distinct (operation, check, title; a stub's 501 apart, and
the status of a check a spec gap may excuse), with the steps to reproduce it
(:func:`_collect`), unless a rule of :mod:`specfirst.contract.excuses` finds it the spec's own
doing: then it is noted, not counted. Each response's status goes into the coverage, and the
first 2xx request of each operation is kept for the probe without credentials
(:func:`_observe`); schemathesis' own warnings are collected as ``st run`` would print them
(:func:`_warnings`).
schemathesis is imported when a run executes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from specfirst.contract.coverage import Coverage
from specfirst.contract.excuses import Checkers, Failed, Known, note
from specfirst.contract.gaps import GAP_CHECKS
from specfirst.contract.idempotency import _remember_keys
from specfirst.contract.paths import Routes
from specfirst.contract.results import (
    ContractFailure,
    ContractProblem,
    ContractResult,
    ContractWarning,
)
from specfirst.contract.stubs import is_stub


def _execute(
    schema: Any,
    seed: int,
    progress: Callable[[str], None] | None,
    operation_ids: Mapping[str, str],
    coverage: Coverage,
    fixed: Mapping[str, set[str]] | None = None,
    routes: Routes | None = None,
    shadowed: Mapping[str, str] | None = None,
) -> ContractResult:
    """``fixed``: operationId → the values seeded for it with ``SeedData.always``; ``routes``:
    the operations by path (:func:`~specfirst.contract.paths._routes`), for the probes of
    undeclared methods; ``shadowed``: the operations another one answers for
    (:func:`~specfirst.contract.paths._shadowed`). The rules of
    :mod:`specfirst.contract.excuses` read them."""
    from schemathesis.engine import Status, events, from_schema

    served: dict[str, Any] = {}

    result = ContractResult(seed=seed, coverage=coverage)
    found: dict[tuple[str, str, str, str], ContractFailure] = {}
    seen_errors: set[tuple[str, str]] = set()
    watcher = _warnings_watcher(schema)
    keys: dict[tuple[str, str], float] = {}
    checkers = Checkers()  # the run's own: another run in this process shares none
    started = time.perf_counter()
    for event in from_schema(schema).execute():
        if watcher is not None:
            watcher.on_event(event)
        if isinstance(event, events.PhaseStarted) and progress is not None:
            progress(f"phase {event.phase.name.value}")
        elif isinstance(event, events.PhaseFinished):
            if event.phase.is_enabled:
                name = event.phase.name.value
                if result.phases.get(name) != Status.FAILURE.value:
                    result.phases[name] = event.status.value
        elif isinstance(event, events.ScenarioFinished):
            _collect(
                event.recorder,
                found,
                result,
                operation_ids,
                keys,
                fixed or {},
                routes,
                shadowed,
                checkers,
            )
            _observe(event.recorder, coverage, served, result.stubbed)
        elif isinstance(event, events.NonFatalError):
            message = event.info.format(base_url_is_set=True)
            key = (event.label, message)
            if key not in seen_errors:
                seen_errors.add(key)
                result.errors.append(ContractProblem(event.label, message))
        elif isinstance(event, events.Interrupted):
            result.interrupted = True
        elif isinstance(event, events.FatalError):
            result.errors.append(
                ContractProblem("run", f"{type(event.exception).__name__}: {event.exception}")
            )
    result.failures = sorted(found.values(), key=lambda f: (f.operation, f.check, f.title))
    result.elapsed = time.perf_counter() - started
    if watcher is not None:
        result.warnings = _warnings(watcher)
    result.served = served
    return result


def _observe(
    recorder: Any,
    coverage: Coverage,
    served: dict[str, Any] | None = None,
    stubbed: dict[str, Any] | None = None,
) -> None:
    """Every response's status, for its operation. Requests sent with another method than the
    operation's (``unsupported_method``'s probes) reach no operation and are left out.
    ``served`` collects the first request each operation answered with a 2xx, ``stubbed`` the
    first its stub answered (a 501 marked by :func:`is_stub`)."""
    for case_id, interaction in recorder.interactions.items():
        node = recorder.cases.get(case_id)
        if node is None or interaction.response is None:
            continue
        operation = node.value.operation
        if interaction.request.method.upper() != operation.method.upper():
            continue
        status = interaction.response.status_code
        stub = is_stub(status, interaction.response.headers)
        coverage.record(operation.label, status, stub=stub)
        if served is not None and 200 <= status < 300:
            served.setdefault(operation.label, interaction.request)
        if stubbed is not None and stub:
            stubbed.setdefault(operation.label, interaction.request)


def _warnings_watcher(schema: Any) -> Any:
    """schemathesis' own warning collector (the one ``st run`` prints), fed our events.

    It lives in schemathesis' CLI package; a version without it gives no warnings rather than
    a failed run (pyproject pins the version this was written against).
    """
    try:
        from schemathesis.cli.commands.run.context import ExecutionContext
    except ImportError:  # pragma: no cover - another schemathesis layout
        return None
    return ExecutionContext(
        config=schema.config, find_operation_by_label=schema.find_operation_by_label
    )


def _warnings(watcher: Any) -> list[ContractWarning]:
    from schemathesis.cli.commands.run.handlers.output import warning_blocks

    found: list[ContractWarning] = []
    for block in warning_blocks(watcher):
        items: list[str] = []
        tips: list[str] = []
        for group in block.groups:
            indent = ""
            if group.heading:
                items.append(f"{group.heading}:")
                indent = "  "
            for item in group.items:
                details = f" ({'; '.join(item.details)})" if item.details else ""
                items.append(f"{indent}{item.text}{details}")
            tips.extend(tip for tip in group.tips or () if tip not in tips)
        found.append(ContractWarning(block.title, block.summary, tuple(items), tuple(tips)))
    return found


def _collect(
    recorder: Any,
    found: dict[tuple[str, str, str, str], ContractFailure],
    result: ContractResult,
    operation_ids: Mapping[str, str],
    keys: dict[tuple[str, str], float] | None = None,
    fixed: Mapping[str, set[str]] | None = None,
    routes: Routes | None = None,
    shadowed: Mapping[str, str] | None = None,
    checkers: Checkers | None = None,
) -> None:
    keys = {} if keys is None else keys
    known = Known(
        fixed=fixed or {},
        routes=routes or {},
        shadowed=shadowed or {},
        keys=keys,
        checkers=checkers or Checkers(),
    )
    _remember_keys(recorder, keys)
    for case_id, node in recorder.cases.items():
        result.operations.add(node.value.operation.label)
        result.cases += case_id in recorder.interactions
    for case_id, checks in recorder.checks.items():
        node = recorder.cases.get(case_id)
        case = node.value if node is not None else None
        interaction = recorder.interactions.get(case_id)
        response = interaction.response if interaction is not None else None
        for check in checks:
            info = check.failure_info
            if info is None:
                continue
            failure = info.failure
            if note(result, Failed(check.name, failure, case, response, recorder, case_id, known)):
                continue
            label = failure.operation or (
                case.operation.label if case is not None else recorder.label
            )
            status = response.status_code if response is not None else None
            stub = response is not None and is_stub(response.status_code, response.headers)
            # a stub's 501 and each status a spec gap may excuse are told apart (see stubs, gaps)
            told = "stub" if stub else str(status) if check.name in GAP_CHECKS else ""
            key = (label, check.name, failure.title, told)
            if key in found:
                previous = found[key]
                found[key] = ContractFailure(
                    **{**previous.__dict__, "occurrences": previous.occurrences + 1}
                )
                continue
            steps = getattr(info, "steps", None) or []
            reproduce = "\n".join(step.curl for step in steps) if steps else info.code_sample
            found[key] = ContractFailure(
                operation=label,
                operation_id=operation_ids.get(label),
                check=check.name,
                title=failure.title,
                message=failure.message,
                reproduce=reproduce,
                response=_describe(response),
                status=status,
                stub=stub,
            )


def _describe(response: Any) -> str:
    if response is None:
        return ""
    body = bytes(response.content[:500]).decode("utf-8", "replace")
    content_type = ",".join(response.headers.get("content-type", [])) or "no content type"
    return f"{response.status_code} {response.message} ({content_type}) {body}".rstrip()
