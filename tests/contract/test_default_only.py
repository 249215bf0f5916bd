"""An operation that declares only a ``default`` response (fec.gov declares all 92 that way).

With no 2xx or 3xx declared, a 2xx its ``default`` response answers is a declared answer: the
success gate, the coverage line (``N of M operations reached a declared 2xx``) and the reports
count it. An example stub of such an operation answers 200, as a FastAPI developer expects.
"""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path
from typing import Any

from specfirst.contract import ContractOptions, format_summary, run_contract
from specfirst.contract.coverage import Coverage
from specfirst.contract.reports import coverage_json, coverage_markdown, coverage_matrix
from tests.contract.test_example_stubs import project
from tests.e2e.conftest import client

SPEC = """
openapi: 3.0.3
info: {title: Filings, version: 1.0.0}
paths:
  /filings:
    get:
      operationId: listFilings
      parameters:
        - {name: page, in: query, schema: {type: integer, minimum: 1}}
      responses:
        default:
          description: filings
          content:
            application/json:
              schema:
                type: object
                required: [results]
                properties:
                  results: {type: array, items: {type: string}}
              example: {results: [F3X]}
  /filings/{id}:
    get:
      operationId: getFiling
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '404': {description: none such}
        default:
          description: a filing
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
"""


def _coverage(*keys: str) -> Any:
    return Coverage.from_spec([("GET /x", "getX", keys)]).operations["GET /x"]


def test_a_2xx_under_default_is_the_success_of_an_operation_declaring_no_2xx() -> None:
    op = _coverage("default")
    op.observed.update({404: 2, 422: 5})
    assert op.success_statuses() == ("default",)
    assert op.gate() == (
        "success",
        "never produced a declared success status (a 2xx under default): answered 404 (2), 422 (5)",
    )
    op.observed[200] += 3
    assert op.reached_success() == ("default",)
    assert op.gate() is None
    assert op.declared_observed() == [("default", True)]


def test_default_stands_in_only_where_no_2xx_or_3xx_is_declared() -> None:
    errors_and_default = _coverage("404", "default")
    errors_and_default.observed.update({404: 1, 200: 1})
    assert errors_and_default.reached_success() == ("default",)

    with_2xx = _coverage("201", "default")
    with_2xx.observed[200] += 1  # answered under default, but 201 is the declared success
    assert with_2xx.success_statuses() == ("201",)
    assert with_2xx.reached_success() == ()

    redirect = _coverage("302", "default")
    redirect.observed[200] += 1
    assert redirect.success_statuses() == ("302",)
    assert not redirect.reached_success()

    only_errors = _coverage("400", "default")
    only_errors.observed[400] += 1  # declared exactly: not an answer under default
    assert not only_errors.reached_success()
    assert only_errors.declared_observed() == [("400", True), ("default", False)]


def test_the_reports_show_what_default_answered() -> None:
    coverage = Coverage.from_spec([("GET /x", "getX", ["default"]), ("GET /y", "getY", ["200"])])
    coverage.record("GET /x", 200)
    coverage.record("GET /y", 200)
    assert coverage.line().startswith("coverage: 2 of 2 operations reached a declared 2xx;")
    assert "  GET /x (getX)  +default" in coverage_matrix(coverage)
    assert "| GET /x (getX) | default ✓ |" in coverage_markdown(coverage, title="t")
    operation = coverage_json(coverage)["operations"][0]
    assert operation["reached_success"] == ["default"]


async def _get(app: Any, url: str) -> Any:
    async with client(app) as http:
        return await http.get(url)


def test_example_stubs_of_default_only_operations_answer_200_and_pass(tmp_path: Path) -> None:
    spec = tmp_path / "filings.yaml"
    spec.write_text(SPEC)
    with project(tmp_path, spec, "filings") as root:
        app: Any = importlib.import_module("filings.main").app
        response = asyncio.run(_get(app, "/filings"))
        assert response.status_code == 200, response.text
        assert response.json() == {"results": ["F3X"]}
        result = run_contract(
            ContractOptions(spec=root / "specs" / "api.yaml", app=app, max_examples=3)
        )
    assert result.ok, format_summary(result)
    assert result.coverage.reached() == (2, 2), format_summary(result)
    assert not result.gates
