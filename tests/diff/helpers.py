"""The specs and helpers the diff tests share: a small task API (``BASE``), changed per case."""

from __future__ import annotations

import copy
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from specfirst.diff import Severity, diff_specs
from specfirst.loader import load_spec

BASE: dict[str, Any] = yaml.safe_load(
    """
openapi: 3.1.0
info: {title: Tasks, version: 1.4.0}
security: [{oauth: [tasks:read]}]
paths:
  /tasks:
    get:
      operationId: listTasks
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
        - {name: status, in: query, schema: {type: string, enum: [open, done]}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        "200":
          description: ok
          headers: {Link: {required: true, schema: {type: string}}}
          content: {application/json: {schema: {$ref: "#/components/schemas/TaskList"}}}
        "400": {description: bad}
    post:
      operationId: createTask
      requestBody:
        content:
          application/json: {schema: {$ref: "#/components/schemas/TaskCreate"}}
          application/x-www-form-urlencoded: {schema: {$ref: "#/components/schemas/TaskCreate"}}
      responses:
        "201": {description: created, content: {application/json: {schema: {$ref: "#/components/schemas/Task"}}}}
  /tasks/{taskId}:
    parameters: [{name: taskId, in: path, required: true, schema: {type: integer}}]
    get:
      operationId: getTask
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Task"}}}}
    delete:
      operationId: deleteTask
      responses:
        "204": {description: gone}
  /health:
    get:
      operationId: health
      security: []
      responses:
        "200": {description: ok}
components:
  securitySchemes:
    oauth: {type: oauth2, flows: {password: {tokenUrl: /token, scopes: {tasks:read: r, tasks:write: w}}}}
  schemas:
    TaskCreate:
      type: object
      required: [title]
      properties:
        title: {type: string, maxLength: 200}
        note: {type: string}
        priority: {type: string, enum: [low, high]}
    Task:
      type: object
      required: [id, title, status]
      properties:
        id: {type: integer}
        title: {type: string}
        status: {type: string, enum: [open, done]}
        note: {type: string}
    TaskList:
      type: object
      required: [items]
      properties:
        items: {type: array, items: {$ref: "#/components/schemas/Task"}}
"""
)


def write_spec(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def findings_after(
    tmp_path: Path, change: Callable[[dict[str, Any]], object]
) -> list[tuple[str, Severity, str | None]]:
    head = copy.deepcopy(BASE)
    change(head)
    base_spec = load_spec(write_spec(tmp_path / "base.yaml", BASE))
    head_spec = load_spec(write_spec(tmp_path / "head.yaml", head))
    report = diff_specs(base_spec, head_spec)
    return [(f.id, f.severity, ", ".join(f.operations)) for f in report.findings]


def op(doc: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    result: dict[str, Any] = doc["paths"][path][method]
    return result


def schema(doc: dict[str, Any], name: str) -> dict[str, Any]:
    result: dict[str, Any] = doc["components"]["schemas"][name]
    return result


B, P, INFO = Severity.BREAKING, Severity.POSSIBLY, Severity.INFO

# A case: its name, the change made to a copy of BASE, and the finding expected (rule id,
# severity, an operation it names); an empty id expects nothing above info.
Edit = Callable[[dict[str, Any]], object]
Expected = tuple[str, Severity, str | None]
Case = tuple[str, Edit, Expected]


def category_cases(cases: list[Case]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize(
        ("change", "expected"), [(c, e) for _, c, e in cases], ids=[n for n, _, _ in cases]
    )


def check_category(tmp_path: Path, change: Edit, expected: Expected) -> None:
    findings = findings_after(tmp_path, change)
    if not expected[0]:
        assert [f for f in findings if f[1] is not Severity.INFO] == []
        return
    matching = [
        f for f in findings if f[:2] == expected[:2] and (expected[2] or "") in (f[2] or "")
    ]
    assert matching, findings
    others = [f for f in findings if f not in matching and f[1] is Severity.BREAKING]
    assert others == [], others


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "specfirst", "diff", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def diff_report(tmp_path: Path, base: dict[str, Any], head: dict[str, Any], **kw: Any) -> Any:
    return diff_specs(
        load_spec(write_spec(tmp_path / "b.yaml", base)),
        load_spec(write_spec(tmp_path / "h.yaml", head)),
        **kw,
    )
