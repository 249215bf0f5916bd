"""Breaking-change diff: request bodies made required, media types no longer accepted.

The code and rules under test: ``specfirst.diff.operations.request_bodies``.
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
        "request body became required",
        lambda d: op(d, "/tasks", "post")["requestBody"].update(required=True),
        ("request-body-became-required", B, "POST /tasks"),
    ),
    (
        "request media type removed",
        lambda d: op(d, "/tasks", "post")["requestBody"]["content"].pop(
            "application/x-www-form-urlencoded"
        ),
        ("request-media-type-removed", B, "POST /tasks"),
    ),
]


@category_cases(CASES)
def test_category(tmp_path: Path, change: Edit, expected: Expected) -> None:
    check_category(tmp_path, change, expected)
