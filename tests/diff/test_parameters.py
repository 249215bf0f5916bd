"""Breaking-change diff: parameters removed, renamed, moved, added or required.

The code and rules under test: ``specfirst.diff.operations.parameters``.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from specfirst.diff import Severity
from tests.diff.helpers import (
    BASE,
    INFO,
    B,
    Case,
    Edit,
    Expected,
    P,
    category_cases,
    check_category,
    diff_report,
    op,
)

CASES: list[Case] = [
    (
        "required parameter added",
        lambda d: op(d, "/tasks", "get")["parameters"].append(
            {"name": "team", "in": "query", "required": True, "schema": {"type": "string"}}
        ),
        ("required-parameter-added", B, "GET /tasks"),
    ),
    (
        "optional parameter added",
        lambda d: op(d, "/tasks", "get")["parameters"].append(
            {"name": "team", "in": "query", "schema": {"type": "string"}}
        ),
        ("optional-parameter-added", INFO, "GET /tasks"),
    ),
    (
        "parameter removed",
        lambda d: op(d, "/tasks", "get")["parameters"].pop(2),
        ("parameter-removed", INFO, "GET /tasks"),
    ),
    (
        "parameter renamed",
        lambda d: op(d, "/tasks", "get")["parameters"][0].update(name="max"),
        ("parameter-renamed", P, "GET /tasks"),
    ),
    (
        "parameter moved",
        lambda d: op(d, "/tasks", "get")["parameters"][2].update({"in": "query"}),
        ("parameter-moved", P, "GET /tasks"),
    ),
    (
        "parameter became required",
        lambda d: op(d, "/tasks", "get")["parameters"][0].update(required=True),
        ("parameter-became-required", B, "GET /tasks"),
    ),
    (
        "parameter removed where unknown query parameters are rejected",
        lambda d: (
            op(d, "/tasks", "get").update({"x-specfirst-strict-query": True}),
            op(d, "/tasks", "get")["parameters"].pop(1),
        ),
        ("parameter-removed-strict", B, "GET /tasks"),
    ),
    (
        # clients written against the old version do not send it: a default does not help
        "parameter became required with a default",
        lambda d: op(d, "/tasks", "get")["parameters"][0].update(
            required=True, schema={"type": "integer", "default": 20}
        ),
        ("parameter-became-required", B, "GET /tasks"),
    ),
    (
        # GHES 2.19 → 2.18: a required preview Accept header, with a default
        "required header added with a default",
        lambda d: op(d, "/tasks", "get")["parameters"].append(
            {
                "name": "accept",
                "in": "header",
                "required": True,
                "schema": {"type": "string", "default": "application/vnd.github.v3+json"},
            }
        ),
        ("required-parameter-added", B, "GET /tasks"),
    ),
    (
        "required query parameter added with a default",
        lambda d: op(d, "/tasks", "get")["parameters"].append(
            {"name": "team", "in": "query", "required": True, "schema": {"default": "core"}}
        ),
        ("required-parameter-added", B, "GET /tasks"),
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


@category_cases(CASES)
def test_category(tmp_path: Path, change: Edit, expected: Expected) -> None:
    check_category(tmp_path, change, expected)


def test_a_scalar_query_parameter_that_became_a_plain_string_is_wider(tmp_path: Path) -> None:
    head = copy.deepcopy(BASE)
    param = op(head, "/tasks", "get")["parameters"][0]
    assert param["in"] == "query" and param["schema"]["type"] == "integer"
    param["schema"] = {"type": "string"}
    found = {(f.id, f.severity) for f in diff_report(tmp_path, BASE, head).findings}
    assert found == {("request-type-widened", Severity.INFO)}
    param["schema"] = {"type": "string", "pattern": "^[a-z]+$"}  # not every integer matches
    found = {(f.id, f.severity) for f in diff_report(tmp_path, BASE, head).findings}
    assert ("request-type-changed", Severity.BREAKING) in found


def test_a_path_parameter_renamed_in_place_is_info_naming_both(tmp_path: Path) -> None:
    head = copy.deepcopy(BASE)
    head["paths"]["/tasks/{id}"] = _rename_path_param(head["paths"].pop("/tasks/{taskId}"))
    [finding] = diff_report(tmp_path, BASE, head).findings
    assert (finding.id, finding.severity) == ("path-parameter-renamed", Severity.INFO)
    assert "'taskId' was renamed to 'id'" in finding.message
    assert sorted(o.operation for o in finding.occurrences) == [
        "DELETE /tasks/{id}",
        "GET /tasks/{id}",
    ]
