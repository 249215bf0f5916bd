"""Breaking-change diff: operations and paths removed or added, 501-only placeholders, deprecation.

The code and rules under test: ``specfirst.diff.operations.endpoints``.
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
    P,
    category_cases,
    check_category,
    diff_report,
    op,
)

CASES: list[Case] = [
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
        "deprecated without sunset",
        lambda d: op(d, "/tasks", "get").update(deprecated=True),
        ("deprecated-without-sunset", P, "GET /tasks"),
    ),
    (
        "deprecated with sunset",
        lambda d: op(d, "/tasks", "get").update({"deprecated": True, "x-sunset": "2027-01-01"}),
        ("operation-deprecated", INFO, "GET /tasks"),
    ),
]


@category_cases(CASES)
def test_category(tmp_path: Path, change: Edit, expected: Expected) -> None:
    check_category(tmp_path, change, expected)


def test_a_501_only_placeholder_counts_as_absent(tmp_path: Path) -> None:
    """GitHub's older per-release documents list missing endpoints as 501-only placeholders."""
    stub = {"responses": {"501": {"description": "Not Implemented"}}}
    base = copy.deepcopy(BASE)
    real_delete = base["paths"]["/tasks/{taskId}"]["delete"]
    base["paths"]["/tasks/{taskId}"]["delete"] = copy.deepcopy(stub)
    base["paths"]["/later"] = {"get": copy.deepcopy(stub)}
    head = copy.deepcopy(BASE)  # the placeholder implemented, /later dropped
    found = {(f.id, f.severity, f.operation) for f in diff_report(tmp_path, base, head).findings}
    assert found == {
        ("operation-implemented", Severity.INFO, "DELETE /tasks/{taskId}"),
        ("unimplemented-operation-removed", Severity.INFO, "GET /later"),
    }
    head = copy.deepcopy(BASE)  # and the other way: a real operation became a placeholder
    head["paths"]["/tasks/{taskId}"]["delete"] = copy.deepcopy(stub)
    rules = {(f.id, f.severity) for f in diff_report(tmp_path, BASE, head).findings}
    assert rules == {("operation-unimplemented", Severity.BREAKING)}
    assert real_delete["responses"] != stub["responses"]
