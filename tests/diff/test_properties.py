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


def test_a_read_only_property_is_no_part_of_a_request(tmp_path: Path) -> None:
    """A real HR API: ``created_at`` becoming non-nullable was reported as
    request-nullability-narrowed on every operation that sends the schema."""
    created = {"type": "string", "format": "date-time", "readOnly": True, "nullable": True}
    base = copy.deepcopy(BASE)
    schema(base, "TaskCreate")["properties"]["created_at"] = dict(created)
    head = copy.deepcopy(base)
    del schema(head, "TaskCreate")["properties"]["created_at"]["nullable"]
    schema(head, "TaskCreate")["properties"]["created_at"]["format"] = "date"
    assert diff_report(tmp_path, base, head).findings == []
    # the same change to a property clients send is breaking
    for doc in (base, head):
        del schema(doc, "TaskCreate")["properties"]["created_at"]["readOnly"]
    found = {(f.id, f.severity) for f in diff_report(tmp_path, base, head).findings}
    assert ("request-nullability-narrowed", Severity.BREAKING) in found


def test_a_write_only_property_is_no_part_of_a_response(tmp_path: Path) -> None:
    base = copy.deepcopy(BASE)
    schema(base, "Task")["properties"]["secret"] = {"type": "string", "writeOnly": True}
    head = copy.deepcopy(base)
    schema(head, "Task")["properties"]["secret"]["type"] = "integer"
    assert diff_report(tmp_path, base, head).findings == []  # Task is only ever sent back
    for doc in (base, head):
        del schema(doc, "Task")["properties"]["secret"]["writeOnly"]
    found = {(f.id, f.severity) for f in diff_report(tmp_path, base, head).findings}
    assert ("response-type-changed", Severity.BREAKING) in found


def test_a_response_array_that_became_an_object_names_its_items_fields(tmp_path: Path) -> None:
    head = copy.deepcopy(BASE)
    schema(head, "TaskList")["properties"]["items"] = {
        "type": "object",
        "properties": {"total": {"type": "integer"}},
    }
    findings = diff_report(tmp_path, BASE, head).findings
    removed = [f for f in findings if f.id == "response-property-removed"]
    assert removed and all(f.severity is Severity.BREAKING for f in removed)
    paths = {p for f in removed for o in f.occurrences for p in o.paths}
    assert paths == {f"200 → .items[].{name}" for name in ("id", "title", "status", "note")}
    assert "response-type-changed" in {f.id for f in findings}
