"""An operation that declares no success response (appwrite's ``/health`` operations declare
only ``500``): its example stub answers 501, as no implementation can reach a declared
success, and the contract run says the spec is why, not that the operation is work left.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
from pathlib import Path
from typing import Any

from specfirst.cli import main
from specfirst.contract import ContractOptions, format_summary, run_contract
from specfirst.contract.coverage import Coverage
from specfirst.contract.reports import coverage_markdown, coverage_matrix
from tests.contract.test_default_only import _get
from tests.contract.test_example_stubs import project

SPEC = """
openapi: 3.0.3
info: {title: Health, version: 1.0.0}
paths:
  /health:
    get:
      operationId: healthGet
      responses:
        '500': {description: File}
  /time:
    get:
      operationId: getTime
      responses:
        '200':
          description: now
          content:
            application/json:
              schema: {type: object, properties: {now: {type: integer}}}
"""


def _stubbed(keys: dict[str, list[str]]) -> Coverage:
    coverage = Coverage.from_spec([(f"GET /{op}", op, statuses) for op, statuses in keys.items()])
    for label in coverage.operations:
        coverage.record(label, 501, stub=True)
    return coverage


def test_a_stub_of_an_operation_declaring_no_success_is_the_specs_doing() -> None:
    coverage = _stubbed({"health": ["500"], "upgrade": ["101"], "todo": ["200", "404"]})
    assert coverage.implemented() == (0, 3)
    assert coverage.implemented_line() == (
        "implemented: 0 of 3 operations (not yet: 1, each answered its stub's 501; "
        "no success declared: 2, each answered its stub's 501 (lint rule success-response))"
    )
    matrix = coverage_matrix(coverage).splitlines()
    assert matrix[1].endswith("-500 !501  [no success declared: stub 501 x1]")
    assert matrix[3].endswith("-200 -404 !501  [not implemented: stub 501 x1]")
    assert "| GET /upgrade (upgrade) (no success declared) |" in coverage_markdown(
        coverage, title="t"
    )
    coverage.require_implemented = True
    reasons = {g.label: g.reason for g in coverage.gate_failures()}
    assert reasons["GET /health"] == "has no success declared: its stub answered 501 (1)"
    assert reasons["GET /todo"] == "is not implemented: its stub answered 501 (1)"


def test_example_stubs_of_an_operation_declaring_only_errors(tmp_path: Path, capsys: Any) -> None:
    spec = tmp_path / "health.yaml"
    spec.write_text(SPEC)
    with project(tmp_path, spec, "health") as root:
        said = capsys.readouterr().err
        assert (
            "examples: 1 declare no success response a stub can send; their stubs answer 501: "
            "healthGet"
        ) in said
        app: Any = importlib.import_module("health.main").app
        health = asyncio.run(_get(app, "/health"))
        assert health.status_code == 501
        assert health.json()["detail"] == (
            "operation 'healthGet' declares no success response for an example stub to "
            "answer (only 500)"
        )
        with contextlib.chdir(root):
            assert main(["check"]) == 0, capsys.readouterr()
        result = run_contract(
            ContractOptions(spec=root / "specs" / "api.yaml", app=app, max_examples=3)
        )
    summary = format_summary(result)
    assert result.ok, summary
    assert result.coverage.reached() == (1, 2)
    assert summary.splitlines()[-1] == (
        "implemented: 1 of 2 operations (no success declared: 1, each answered its stub's 501 "
        "(lint rule success-response))"
    )
