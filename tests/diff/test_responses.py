"""Breaking-change diff: response statuses, media types and headers.

The code and rules under test: ``specfirst.diff.operations.responses``.
"""

from __future__ import annotations

from pathlib import Path

from tests.diff.helpers import (
    B,
    Case,
    Edit,
    Expected,
    P,
    category_cases,
    check_category,
    op,
)

CASES: list[Case] = [
    (
        "success status removed",
        lambda d: (
            op(d, "/tasks/{taskId}", "delete")["responses"].update({"200": {"description": "ok"}})
            or op(d, "/tasks/{taskId}", "delete")["responses"].pop("204")
        ),
        ("success-status-removed", B, "DELETE /tasks/{taskId}"),
    ),
    (
        "error status removed",
        lambda d: op(d, "/tasks", "get")["responses"].pop("400"),
        ("error-status-removed", P, "GET /tasks"),
    ),
    (
        "response media type removed",
        lambda d: op(d, "/tasks/{taskId}", "get")["responses"]["200"].update(
            content={"application/xml": {"schema": {"type": "string"}}}
        ),
        ("response-media-type-removed", B, "GET /tasks/{taskId}"),
    ),
    (
        "response header removed",
        lambda d: op(d, "/tasks", "get")["responses"]["200"].pop("headers"),
        ("response-header-removed", B, "GET /tasks"),
    ),
]


@category_cases(CASES)
def test_category(tmp_path: Path, change: Edit, expected: Expected) -> None:
    check_category(tmp_path, change, expected)
