"""Breaking-change diff: properties removed, added, required or optional.

The code and rules under test: ``specfirst.diff.schemas.properties``.
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
    schema,
)

CASES: list[Case] = [
    (
        "request property became required",
        lambda d: schema(d, "TaskCreate")["required"].append("note"),
        ("request-property-became-required", B, "POST /tasks"),
    ),
    (
        "request required property added",
        lambda d: (
            schema(d, "TaskCreate")["properties"].update(team={"type": "string"}),
            schema(d, "TaskCreate")["required"].append("team"),
        ),
        ("request-required-property-added", B, "POST /tasks"),
    ),
    (
        "response property removed",
        lambda d: schema(d, "Task")["properties"].pop("note"),
        ("response-property-removed", B, "GET /tasks/{taskId}"),
    ),
    (
        "response property made optional",
        lambda d: schema(d, "Task")["required"].remove("status"),
        ("response-property-became-optional", B, "GET /tasks/{taskId}"),
    ),
    (
        "a $ref wrapped in allOf with an extension adds, removes nothing",
        lambda d: schema(d, "TaskList")["properties"]["items"].update(
            items={
                "allOf": [
                    {"$ref": "#/components/schemas/Task"},
                    {"type": "object", "properties": {"url": {"type": "string"}}},
                ]
            }
        ),
        ("response-property-added", INFO, "GET /tasks"),
    ),
]


@category_cases(CASES)
def test_category(tmp_path: Path, change: Edit, expected: Expected) -> None:
    check_category(tmp_path, change, expected)


def test_request_property_removal_breaks_only_where_unknown_properties_are_rejected(
    tmp_path: Path,
) -> None:
    base = copy.deepcopy(BASE)
    schema(base, "TaskCreate")["additionalProperties"] = False
    head = copy.deepcopy(base)
    schema(head, "TaskCreate")["properties"].pop("note")
    [finding] = diff_report(tmp_path, base, head).findings
    assert (finding.id, finding.severity) == ("request-property-removed-strict", Severity.BREAKING)
    assert finding.occurrences[0].paths == (
        "request body (application/json) → .note",
        "request body (application/x-www-form-urlencoded) → .note",
    )
