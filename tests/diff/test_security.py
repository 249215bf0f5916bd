"""Breaking-change diff: authentication added, scopes added.

The code and rules under test: ``specfirst.diff.operations.security``.
"""

from __future__ import annotations

from pathlib import Path

from tests.diff.helpers import (
    B,
    Case,
    Edit,
    Expected,
    category_cases,
    check_category,
    op,
)

CASES: list[Case] = [
    (
        "security added",
        lambda d: op(d, "/health", "get").pop("security"),
        ("security-added", B, "GET /health"),
    ),
    (
        "scopes widened",
        lambda d: d.update(security=[{"oauth": ["tasks:read", "tasks:write"]}]),
        ("security-scopes-added", B, "GET /tasks"),
    ),
]


@category_cases(CASES)
def test_category(tmp_path: Path, change: Edit, expected: Expected) -> None:
    check_category(tmp_path, change, expected)
