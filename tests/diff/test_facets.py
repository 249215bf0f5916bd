"""Breaking-change diff: types, nullability, formats, enums and bounds, direction-aware.

The code and rules under test: ``specfirst.diff.schemas.facets``.
"""

from __future__ import annotations

import copy
from pathlib import Path

from specfirst.diff import Severity
from tests.diff.helpers import (
    BASE,
    INFO,
    B,
    Case,
    Edit,
    Expected,
    category_cases,
    check_category,
    diff_report,
    op,
    schema,
)

CASES: list[Case] = [
    (
        "parameter type narrowed",
        lambda d: op(d, "/tasks", "get")["parameters"][2]["schema"].update(type="integer"),
        ("request-type-changed", B, "GET /tasks"),
    ),
    (
        "parameter constraint narrowed",
        lambda d: op(d, "/tasks", "get")["parameters"][0]["schema"].update(maximum=50),
        ("request-constraint-narrowed", B, "GET /tasks"),
    ),
    (
        "parameter enum narrowed",
        lambda d: op(d, "/tasks", "get")["parameters"][1]["schema"].update(enum=["open"]),
        ("request-enum-narrowed", B, "GET /tasks"),
    ),
    (
        "request body narrowed",
        lambda d: schema(d, "TaskCreate")["properties"]["title"].update(maxLength=100),
        ("request-constraint-narrowed", B, "POST /tasks"),
    ),
    (
        "request enum value removed",
        lambda d: schema(d, "TaskCreate")["properties"]["priority"].update(enum=["high"]),
        ("request-enum-narrowed", B, "POST /tasks"),
    ),
    (
        "request widened is compatible",
        lambda d: schema(d, "TaskCreate")["properties"]["title"].update(maxLength=500),
        ("", INFO, None),
    ),
    (
        "response property made nullable",
        lambda d: schema(d, "Task")["properties"]["title"].update(type=["string", "null"]),
        ("response-nullability-widened", B, "GET /tasks/{taskId}"),
    ),
    (
        "response type changed",
        lambda d: schema(d, "Task")["properties"]["id"].update(type="string"),
        ("response-type-changed", B, "GET /tasks/{taskId}"),
    ),
    (
        "response enum value added",
        lambda d: schema(d, "Task")["properties"]["status"]["enum"].append("archived"),
        ("response-enum-widened", B, "GET /tasks/{taskId}"),
    ),
    (
        "request integer → number is wider",
        lambda d: op(d, "/tasks", "get")["parameters"][0]["schema"].update(type="number"),
        ("request-type-widened", INFO, "GET /tasks"),
    ),
    (
        "response integer → number is wider, a break",
        lambda d: schema(d, "Task")["properties"]["id"].update(type="number"),
        ("response-type-widened", B, "GET /tasks/{taskId}"),
    ),
    (
        "request format added is narrower",
        lambda d: op(d, "/tasks", "get")["parameters"][0]["schema"].update(format="int32"),
        ("request-format-narrowed", B, "GET /tasks"),
    ),
    (
        "response format added is narrower, compatible",
        lambda d: schema(d, "Task")["properties"]["id"].update(format="int32"),
        ("response-format-narrowed", INFO, "GET /tasks/{taskId}"),
    ),
    (
        "int64 added to an integer changes no value (a bare integer is read as int64)",
        lambda d: (
            op(d, "/tasks", "get")["parameters"][0]["schema"].update(format="int64"),
            schema(d, "Task")["properties"]["id"].update(format="int64"),
        ),
        ("", INFO, None),
    ),
]


@category_cases(CASES)
def test_category(tmp_path: Path, change: Edit, expected: Expected) -> None:
    check_category(tmp_path, change, expected)


def test_response_number_to_integer_narrows_and_request_narrowing_breaks(tmp_path: Path) -> None:
    base = copy.deepcopy(BASE)
    schema(base, "Task")["properties"]["id"]["type"] = "number"
    schema(base, "TaskCreate")["properties"]["score"] = {"type": "number"}
    head = copy.deepcopy(base)
    schema(head, "Task")["properties"]["id"]["type"] = "integer"
    schema(head, "TaskCreate")["properties"]["score"]["type"] = "integer"
    found = {(f.id, f.severity) for f in diff_report(tmp_path, base, head).findings}
    assert found == {
        ("response-type-narrowed", Severity.INFO),
        ("request-type-narrowed", Severity.BREAKING),
    }
