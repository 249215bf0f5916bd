"""Breaking-change diff: one pair of small specs per category, direction-aware."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from specfirst.diff import Severity, diff_specs
from specfirst.diff.registry import RULES
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


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def _diff(
    tmp_path: Path, change: Callable[[dict[str, Any]], object]
) -> list[tuple[str, Severity, str | None]]:
    head = copy.deepcopy(BASE)
    change(head)
    base_spec = load_spec(_write(tmp_path / "base.yaml", BASE))
    head_spec = load_spec(_write(tmp_path / "head.yaml", head))
    report = diff_specs(base_spec, head_spec)
    return [(f.id, f.severity, ", ".join(f.operations)) for f in report.findings]


def _op(doc: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    result: dict[str, Any] = doc["paths"][path][method]
    return result


def _schema(doc: dict[str, Any], name: str) -> dict[str, Any]:
    result: dict[str, Any] = doc["components"]["schemas"][name]
    return result


B, P, INFO = Severity.BREAKING, Severity.POSSIBLY, Severity.INFO

CASES: list[tuple[str, Callable[[dict[str, Any]], object], tuple[str, Severity, str | None]]] = [
    ("path removed", lambda d: d["paths"].pop("/health"), ("path-removed", B, "GET /health")),
    (
        "operation removed",
        lambda d: d["paths"]["/tasks/{taskId}"].pop("delete"),
        ("operation-removed", B, "DELETE /tasks/{taskId}"),
    ),
    (
        "operation added",
        lambda d: d["paths"]["/health"].update(head={"responses": {"200": {"description": "ok"}}}),
        ("operation-added", INFO, "HEAD /health"),
    ),
    (
        "required parameter added",
        lambda d: _op(d, "/tasks", "get")["parameters"].append(
            {"name": "team", "in": "query", "required": True, "schema": {"type": "string"}}
        ),
        ("required-parameter-added", B, "GET /tasks"),
    ),
    (
        "optional parameter added",
        lambda d: _op(d, "/tasks", "get")["parameters"].append(
            {"name": "team", "in": "query", "schema": {"type": "string"}}
        ),
        ("optional-parameter-added", INFO, "GET /tasks"),
    ),
    (
        "parameter removed",
        lambda d: _op(d, "/tasks", "get")["parameters"].pop(2),
        ("parameter-removed", INFO, "GET /tasks"),
    ),
    (
        "parameter renamed",
        lambda d: _op(d, "/tasks", "get")["parameters"][0].update(name="max"),
        ("parameter-renamed", P, "GET /tasks"),
    ),
    (
        "parameter moved",
        lambda d: _op(d, "/tasks", "get")["parameters"][2].update({"in": "query"}),
        ("parameter-moved", P, "GET /tasks"),
    ),
    (
        "parameter became required",
        lambda d: _op(d, "/tasks", "get")["parameters"][0].update(required=True),
        ("parameter-became-required", B, "GET /tasks"),
    ),
    (
        "parameter type narrowed",
        lambda d: _op(d, "/tasks", "get")["parameters"][2]["schema"].update(type="integer"),
        ("request-type-changed", B, "GET /tasks"),
    ),
    (
        "parameter constraint narrowed",
        lambda d: _op(d, "/tasks", "get")["parameters"][0]["schema"].update(maximum=50),
        ("request-constraint-narrowed", B, "GET /tasks"),
    ),
    (
        "parameter enum narrowed",
        lambda d: _op(d, "/tasks", "get")["parameters"][1]["schema"].update(enum=["open"]),
        ("request-enum-narrowed", B, "GET /tasks"),
    ),
    (
        "request body became required",
        lambda d: _op(d, "/tasks", "post")["requestBody"].update(required=True),
        ("request-body-became-required", B, "POST /tasks"),
    ),
    (
        "request media type removed",
        lambda d: _op(d, "/tasks", "post")["requestBody"]["content"].pop(
            "application/x-www-form-urlencoded"
        ),
        ("request-media-type-removed", B, "POST /tasks"),
    ),
    (
        "request property became required",
        lambda d: _schema(d, "TaskCreate")["required"].append("note"),
        ("request-property-became-required", B, "POST /tasks"),
    ),
    (
        "request required property added",
        lambda d: (
            _schema(d, "TaskCreate")["properties"].update(team={"type": "string"}),
            _schema(d, "TaskCreate")["required"].append("team"),
        ),
        ("request-required-property-added", B, "POST /tasks"),
    ),
    (
        "request body narrowed",
        lambda d: _schema(d, "TaskCreate")["properties"]["title"].update(maxLength=100),
        ("request-constraint-narrowed", B, "POST /tasks"),
    ),
    (
        "request enum value removed",
        lambda d: _schema(d, "TaskCreate")["properties"]["priority"].update(enum=["high"]),
        ("request-enum-narrowed", B, "POST /tasks"),
    ),
    (
        "request widened is compatible",
        lambda d: _schema(d, "TaskCreate")["properties"]["title"].update(maxLength=500),
        ("", INFO, None),
    ),
    (
        "response property removed",
        lambda d: _schema(d, "Task")["properties"].pop("note"),
        ("response-property-removed", B, "GET /tasks/{taskId}"),
    ),
    (
        "response property made optional",
        lambda d: _schema(d, "Task")["required"].remove("status"),
        ("response-property-became-optional", B, "GET /tasks/{taskId}"),
    ),
    (
        "response property made nullable",
        lambda d: _schema(d, "Task")["properties"]["title"].update(type=["string", "null"]),
        ("response-nullability-widened", B, "GET /tasks/{taskId}"),
    ),
    (
        "response type changed",
        lambda d: _schema(d, "Task")["properties"]["id"].update(type="string"),
        ("response-type-changed", B, "GET /tasks/{taskId}"),
    ),
    (
        "response enum value added",
        lambda d: _schema(d, "Task")["properties"]["status"]["enum"].append("archived"),
        ("response-enum-widened", B, "GET /tasks/{taskId}"),
    ),
    (
        "success status removed",
        lambda d: (
            _op(d, "/tasks/{taskId}", "delete")["responses"].update({"200": {"description": "ok"}})
            or _op(d, "/tasks/{taskId}", "delete")["responses"].pop("204")
        ),
        ("success-status-removed", B, "DELETE /tasks/{taskId}"),
    ),
    (
        "error status removed",
        lambda d: _op(d, "/tasks", "get")["responses"].pop("400"),
        ("error-status-removed", P, "GET /tasks"),
    ),
    (
        "response media type removed",
        lambda d: _op(d, "/tasks/{taskId}", "get")["responses"]["200"].update(
            content={"application/xml": {"schema": {"type": "string"}}}
        ),
        ("response-media-type-removed", B, "GET /tasks/{taskId}"),
    ),
    (
        "response header removed",
        lambda d: _op(d, "/tasks", "get")["responses"]["200"].pop("headers"),
        ("response-header-removed", B, "GET /tasks"),
    ),
    (
        "security added",
        lambda d: _op(d, "/health", "get").pop("security"),
        ("security-added", B, "GET /health"),
    ),
    (
        "scopes widened",
        lambda d: d.update(security=[{"oauth": ["tasks:read", "tasks:write"]}]),
        ("security-scopes-added", B, "GET /tasks"),
    ),
    (
        "deprecated without sunset",
        lambda d: _op(d, "/tasks", "get").update(deprecated=True),
        ("deprecated-without-sunset", P, "GET /tasks"),
    ),
    (
        "deprecated with sunset",
        lambda d: _op(d, "/tasks", "get").update({"deprecated": True, "x-sunset": "2027-01-01"}),
        ("operation-deprecated", INFO, "GET /tasks"),
    ),
    (
        "a $ref in a response became a union: only the new alternative is reported",
        lambda d: _schema(d, "TaskList")["properties"]["items"].update(
            items={"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Task"}]}
        ),
        ("response-union-alternative-added", B, "GET /tasks"),
    ),
    (
        "a $ref in a request became a union: wider",
        lambda d: _op(d, "/tasks", "post")["requestBody"]["content"]["application/json"].update(
            schema={"oneOf": [{"$ref": "#/components/schemas/TaskCreate"}, {"type": "string"}]}
        ),
        ("request-union-alternative-added", INFO, "POST /tasks"),
    ),
    (
        "a $ref wrapped in allOf with an extension adds, removes nothing",
        lambda d: _schema(d, "TaskList")["properties"]["items"].update(
            items={
                "allOf": [
                    {"$ref": "#/components/schemas/Task"},
                    {"type": "object", "properties": {"url": {"type": "string"}}},
                ]
            }
        ),
        ("response-property-added", INFO, "GET /tasks"),
    ),
    (
        "request integer → number is wider",
        lambda d: _op(d, "/tasks", "get")["parameters"][0]["schema"].update(type="number"),
        ("request-type-widened", INFO, "GET /tasks"),
    ),
    (
        "response integer → number is wider, a break",
        lambda d: _schema(d, "Task")["properties"]["id"].update(type="number"),
        ("response-type-widened", B, "GET /tasks/{taskId}"),
    ),
    (
        "request format added is narrower",
        lambda d: _op(d, "/tasks", "get")["parameters"][0]["schema"].update(format="int32"),
        ("request-format-narrowed", B, "GET /tasks"),
    ),
    (
        "response format added is narrower, compatible",
        lambda d: _schema(d, "Task")["properties"]["id"].update(format="int32"),
        ("response-format-narrowed", INFO, "GET /tasks/{taskId}"),
    ),
    (
        "int64 added to an integer changes no value (a bare integer is read as int64)",
        lambda d: (
            _op(d, "/tasks", "get")["parameters"][0]["schema"].update(format="int64"),
            _schema(d, "Task")["properties"]["id"].update(format="int64"),
        ),
        ("", INFO, None),
    ),
    (
        "parameter removed where unknown query parameters are rejected",
        lambda d: (
            _op(d, "/tasks", "get").update({"x-specfirst-strict-query": True}),
            _op(d, "/tasks", "get")["parameters"].pop(1),
        ),
        ("parameter-removed-strict", B, "GET /tasks"),
    ),
    (
        "parameter became required with a default",
        lambda d: _op(d, "/tasks", "get")["parameters"][0].update(
            required=True, schema={"type": "integer", "default": 20}
        ),
        ("parameter-became-required-with-default", INFO, "GET /tasks"),
    ),
    (
        "path parameter renamed in the template only",
        lambda d: d["paths"].update(
            {"/tasks/{id}": _rename_path_param(d["paths"].pop("/tasks/{taskId}"))}
        ),
        ("", INFO, None),
    ),
]


def _rename_path_param(item: dict[str, Any]) -> dict[str, Any]:
    item["parameters"][0]["name"] = "id"
    return item


@pytest.mark.parametrize(
    ("change", "expected"), [(c, e) for _, c, e in CASES], ids=[n for n, _, _ in CASES]
)
def test_category(
    tmp_path: Path,
    change: Callable[[dict[str, Any]], object],
    expected: tuple[str, Severity, str | None],
) -> None:
    findings = _diff(tmp_path, change)
    if not expected[0]:
        assert [f for f in findings if f[1] is not Severity.INFO] == []
        return
    matching = [
        f for f in findings if f[:2] == expected[:2] and (expected[2] or "") in (f[2] or "")
    ]
    assert matching, findings
    others = [f for f in findings if f not in matching and f[1] is Severity.BREAKING]
    assert others == [], others


def test_identical_specs_have_no_findings(tmp_path: Path) -> None:
    assert _diff(tmp_path, lambda d: None) == []


def test_findings_carry_locations_in_both_versions(tmp_path: Path) -> None:
    head = copy.deepcopy(BASE)
    _schema(head, "TaskCreate")["properties"]["title"]["maxLength"] = 100
    report = diff_specs(
        load_spec(_write(tmp_path / "b.yaml", BASE)), load_spec(_write(tmp_path / "h.yaml", head))
    )
    [finding] = report.findings
    assert finding.base is not None and finding.head is not None
    assert finding.base.file.endswith("b.yaml") and finding.head.file.endswith("h.yaml")
    assert finding.head.line > 1
    payload = report.to_json()
    assert payload["summary"]["breaking"] == 1
    assert payload["findings"][0]["id"] == "request-constraint-narrowed"
    assert "request-constraint-narrowed" in report.to_markdown()
    text = report.to_text()
    assert "breaking: request-constraint-narrowed: schema TaskCreate: maxLength 200 → 100" in text
    assert "POST /tasks → request body (application/json) → .title [base " in text


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "specfirst", "diff", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_exit_codes_and_formats(tmp_path: Path) -> None:
    head = copy.deepcopy(BASE)
    _op(head, "/tasks", "get")["parameters"][0]["required"] = True
    _write(tmp_path / "base.yaml", BASE)
    _write(tmp_path / "head.yaml", head)
    text = _cli("base.yaml", "head.yaml", cwd=tmp_path)
    assert text.returncode == 1
    assert "parameter-became-required" in text.stdout
    allowed = _cli("base.yaml", "head.yaml", "--allow-breaking", "--format", "json", cwd=tmp_path)
    assert allowed.returncode == 0
    assert json.loads(allowed.stdout)["summary"]["breaking"] == 1
    head["info"]["version"] = "2.0.0"
    _write(tmp_path / "head.yaml", head)
    bumped = _cli("base.yaml", "head.yaml", "--format", "markdown", cwd=tmp_path)
    assert bumped.returncode == 0, bumped.stderr
    assert "major version 1.4.0 → 2.0.0" in bumped.stdout


def test_cli_against_a_git_revision_follows_refs_as_they_were(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "specs" / "schemas").mkdir(parents=True)
    (repo / "pyproject.toml").write_text('[tool.specfirst]\nspec = "specs/api.yaml"\n')
    doc = copy.deepcopy(BASE)
    task_create = doc["components"]["schemas"].pop("TaskCreate")
    doc["components"]["schemas"]["TaskCreate"] = {"$ref": "schemas/task_create.yaml"}
    _write(repo / "specs" / "api.yaml", doc)
    _write(repo / "specs" / "schemas" / "task_create.yaml", task_create)

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".")
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "base")
    task_create["required"].append("note")
    _write(repo / "specs" / "schemas" / "task_create.yaml", task_create)
    result = _cli("HEAD", cwd=repo)
    assert result.returncode == 1, result.stderr
    assert "request-property-became-required" in result.stdout
    assert "HEAD:specs/schemas/task_create.yaml" in result.stdout or "HEAD:" in result.stdout
    missing = _cli("no-such-revision", cwd=repo)
    assert missing.returncode == 2
    assert "neither a file nor a git revision" in missing.stderr


def _report(tmp_path: Path, base: dict[str, Any], head: dict[str, Any], **kw: Any) -> Any:
    return diff_specs(
        load_spec(_write(tmp_path / "b.yaml", base)),
        load_spec(_write(tmp_path / "h.yaml", head)),
        **kw,
    )


def test_request_property_removal_breaks_only_where_unknown_properties_are_rejected(
    tmp_path: Path,
) -> None:
    base = copy.deepcopy(BASE)
    _schema(base, "TaskCreate")["additionalProperties"] = False
    head = copy.deepcopy(base)
    _schema(head, "TaskCreate")["properties"].pop("note")
    [finding] = _report(tmp_path, base, head).findings
    assert (finding.id, finding.severity) == ("request-property-removed-strict", Severity.BREAKING)
    assert finding.occurrences[0].paths == (
        "request body (application/json) → .note",
        "request body (application/x-www-form-urlencoded) → .note",
    )


def test_response_number_to_integer_narrows_and_request_narrowing_breaks(tmp_path: Path) -> None:
    base = copy.deepcopy(BASE)
    _schema(base, "Task")["properties"]["id"]["type"] = "number"
    _schema(base, "TaskCreate")["properties"]["score"] = {"type": "number"}
    head = copy.deepcopy(base)
    _schema(head, "Task")["properties"]["id"]["type"] = "integer"
    _schema(head, "TaskCreate")["properties"]["score"]["type"] = "integer"
    found = {(f.id, f.severity) for f in _report(tmp_path, base, head).findings}
    assert found == {
        ("response-type-narrowed", Severity.INFO),
        ("request-type-narrowed", Severity.BREAKING),
    }


def test_union_alternatives_are_matched_not_compared_by_position(tmp_path: Path) -> None:
    base = copy.deepcopy(BASE)
    pet = {"type": "object", "properties": {"kind": {"type": "string"}, "a": {"type": "string"}}}
    base["components"]["schemas"]["Cat"] = pet
    base["components"]["schemas"]["Dog"] = copy.deepcopy(pet)
    _schema(base, "Task")["properties"]["pet"] = {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]
    }
    head = copy.deepcopy(base)
    head["components"]["schemas"]["Fish"] = copy.deepcopy(pet)
    head["components"]["schemas"]["Dog"]["properties"].pop("a")
    _schema(head, "Task")["properties"]["pet"]["oneOf"] = [
        {"$ref": "#/components/schemas/Fish"},
        {"$ref": "#/components/schemas/Dog"},
        {"$ref": "#/components/schemas/Cat"},
    ]
    report = _report(tmp_path, base, head)
    found = sorted((f.id, f.message) for f in report.findings)
    assert found == [
        ("response-property-removed", "schema Dog: property 'a' was removed"),
        ("response-union-alternative-added", "schema Task: may now also be Fish"),
    ]
    removed = next(f for f in report.findings if f.id == "response-property-removed")
    paths = {o.operation: o.paths for o in removed.occurrences}
    assert paths["GET /tasks"] == ("200 → .items[].pet.a",)
    assert paths["GET /tasks/{taskId}"] == ("200 → .pet.a",)


def test_json_lists_every_operation_with_its_field_paths(tmp_path: Path) -> None:
    head = copy.deepcopy(BASE)
    _schema(head, "Task")["properties"].pop("note")
    payload = _report(tmp_path, BASE, head).to_json()
    [finding] = payload["findings"]
    assert finding["operations"] == [
        {"operation": "GET /tasks", "paths": ["200 → .items[].note"]},
        {"operation": "GET /tasks/{taskId}", "paths": ["200 → .note"]},
        {"operation": "POST /tasks", "paths": ["201 → .note"]},
    ]


def test_severities_and_ignore_file_from_pyproject(tmp_path: Path) -> None:
    head = copy.deepcopy(BASE)
    _schema(head, "Task")["properties"]["status"]["enum"].append("archived")
    _schema(head, "Task")["properties"].pop("note")
    _write(tmp_path / "base.yaml", BASE)
    _write(tmp_path / "head.yaml", head)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specfirst.diff]\nignore-file = "accepted.yaml"\n'
        'response-enum-widened = "possibly-breaking"\n'
    )
    (tmp_path / "accepted.yaml").write_text(
        "- id: response-property-removed\n"
        "  operation: GET /tasks/{taskId}\n"
        "  reason: note moved to the notes endpoint, announced in 1.4\n"
        "- id: path-removed\n"
        "  reason: stale entry\n"
    )
    partly = _cli("base.yaml", "head.yaml", "--format", "json", cwd=tmp_path)
    assert partly.returncode == 1, partly.stderr  # two other operations still lose 'note'
    payload = json.loads(partly.stdout)
    by_id = {f["id"]: f for f in payload["findings"]}
    assert by_id["response-enum-widened"]["severity"] == "possibly-breaking"
    ops = [o["operation"] for o in by_id["response-property-removed"]["operations"]]
    assert ops == ["GET /tasks", "POST /tasks"]
    [accepted] = payload["ignored"]
    assert accepted["reason"].startswith("note moved")
    assert "accepted.yaml:4: warning: accepted finding path-removed matches nothing" in (
        partly.stderr
    )
    (tmp_path / "accepted.yaml").write_text(
        "- id: response-property-removed\n  reason: note is gone, announced in 1.4\n"
    )
    accepted_all = _cli("base.yaml", "head.yaml", cwd=tmp_path)
    assert accepted_all.returncode == 0, accepted_all.stdout
    assert "1 accepted in the ignore file" in accepted_all.stdout
    (tmp_path / "accepted.yaml").write_text("- id: response-property-removed\n")
    bad = _cli("base.yaml", "head.yaml", cwd=tmp_path)
    assert bad.returncode == 2
    assert "accepted.yaml:1:3: every accepted finding needs a reason" in bad.stderr
    (tmp_path / "pyproject.toml").write_text('[tool.specfirst.diff]\nno-such-rule = "info"\n')
    unknown = _cli("base.yaml", "head.yaml", cwd=tmp_path)
    assert unknown.returncode == 2 and "unknown rule 'no-such-rule'" in unknown.stderr


def test_list_rules_names_every_rule_with_severity_and_example(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specfirst.diff]\nerror-status-removed = "off"\n'
    )
    listed = _cli("--list-rules", cwd=tmp_path)
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert len(lines) == len(RULES)
    by_id = {line.split()[0]: line for line in lines}
    assert set(by_id) == set(RULES)
    assert "breaking" in by_id["response-union-alternative-added"]
    assert "→" in by_id["response-union-alternative-added"]
    assert "off (configured)" in by_id["error-status-removed"]


def test_nullability_through_type_lists_and_null_alternatives(tmp_path: Path) -> None:
    base = copy.deepcopy(BASE)
    base["components"]["schemas"]["Owner"] = {
        "type": "object",
        "properties": {"login": {"type": "string"}},
    }
    props = _schema(base, "Task")["properties"]
    props["owner"] = {"anyOf": [{"$ref": "#/components/schemas/Owner"}, {"type": "null"}]}
    props["due"] = {"type": ["string", "null"], "format": "date"}
    head = copy.deepcopy(base)
    head_props = _schema(head, "Task")["properties"]
    head_props["owner"] = {"$ref": "#/components/schemas/Owner"}  # no longer null: narrower
    head_props["note"] = {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}
    found = sorted((f.id, f.message) for f in _report(tmp_path, base, head).findings)
    assert found == [
        ("response-nullability-narrowed", "schema Task → Owner: null is no longer allowed"),
        ("response-nullability-widened", "schema Task: null is now allowed"),
        ("response-union-alternative-added", "schema Task: may now also be integer"),
    ]
    # unchanged: a type list with null and the same union on both sides
    assert _report(tmp_path, base, copy.deepcopy(base)).findings == []


def test_a_501_only_placeholder_counts_as_absent(tmp_path: Path) -> None:
    """GitHub's older per-release documents list missing endpoints as 501-only placeholders."""
    stub = {"responses": {"501": {"description": "Not Implemented"}}}
    base = copy.deepcopy(BASE)
    real_delete = base["paths"]["/tasks/{taskId}"]["delete"]
    base["paths"]["/tasks/{taskId}"]["delete"] = copy.deepcopy(stub)
    base["paths"]["/later"] = {"get": copy.deepcopy(stub)}
    head = copy.deepcopy(BASE)  # the placeholder implemented, /later dropped
    found = {(f.id, f.severity, f.operation) for f in _report(tmp_path, base, head).findings}
    assert found == {
        ("operation-implemented", Severity.INFO, "DELETE /tasks/{taskId}"),
        ("unimplemented-operation-removed", Severity.INFO, "GET /later"),
    }
    head = copy.deepcopy(BASE)  # and the other way: a real operation became a placeholder
    head["paths"]["/tasks/{taskId}"]["delete"] = copy.deepcopy(stub)
    rules = {(f.id, f.severity) for f in _report(tmp_path, BASE, head).findings}
    assert rules == {("operation-unimplemented", Severity.BREAKING)}
    assert real_delete["responses"] != stub["responses"]


def test_a_scalar_query_parameter_that_became_a_plain_string_is_wider(tmp_path: Path) -> None:
    head = copy.deepcopy(BASE)
    param = _op(head, "/tasks", "get")["parameters"][0]
    assert param["in"] == "query" and param["schema"]["type"] == "integer"
    param["schema"] = {"type": "string"}
    found = {(f.id, f.severity) for f in _report(tmp_path, BASE, head).findings}
    assert found == {("request-type-widened", Severity.INFO)}
    param["schema"] = {"type": "string", "pattern": "^[a-z]+$"}  # not every integer matches
    found = {(f.id, f.severity) for f in _report(tmp_path, BASE, head).findings}
    assert ("request-type-changed", Severity.BREAKING) in found
