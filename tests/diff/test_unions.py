"""Breaking-change diff: ``oneOf``/``anyOf`` alternatives matched, added or removed.

The code and rules under test: ``specfirst.diff.schemas.unions``.
"""

from __future__ import annotations

import copy
from pathlib import Path

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
        "a $ref in a response became a union: only the new alternative is reported",
        lambda d: schema(d, "TaskList")["properties"]["items"].update(
            items={"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Task"}]}
        ),
        ("response-union-alternative-added", B, "GET /tasks"),
    ),
    (
        "a $ref in a request became a union: wider",
        lambda d: op(d, "/tasks", "post")["requestBody"]["content"]["application/json"].update(
            schema={"oneOf": [{"$ref": "#/components/schemas/TaskCreate"}, {"type": "string"}]}
        ),
        ("request-union-alternative-added", INFO, "POST /tasks"),
    ),
]


@category_cases(CASES)
def test_category(tmp_path: Path, change: Edit, expected: Expected) -> None:
    check_category(tmp_path, change, expected)


def test_union_alternatives_are_matched_not_compared_by_position(tmp_path: Path) -> None:
    base = copy.deepcopy(BASE)
    pet = {"type": "object", "properties": {"kind": {"type": "string"}, "a": {"type": "string"}}}
    base["components"]["schemas"]["Cat"] = pet
    base["components"]["schemas"]["Dog"] = copy.deepcopy(pet)
    schema(base, "Task")["properties"]["pet"] = {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]
    }
    head = copy.deepcopy(base)
    head["components"]["schemas"]["Fish"] = copy.deepcopy(pet)
    head["components"]["schemas"]["Dog"]["properties"].pop("a")
    schema(head, "Task")["properties"]["pet"]["oneOf"] = [
        {"$ref": "#/components/schemas/Fish"},
        {"$ref": "#/components/schemas/Dog"},
        {"$ref": "#/components/schemas/Cat"},
    ]
    report = diff_report(tmp_path, base, head)
    found = sorted((f.id, f.message) for f in report.findings)
    assert found == [
        ("response-property-removed", "schema Dog: property 'a' was removed"),
        ("response-union-alternative-added", "schema Task: may now also be Fish"),
    ]
    removed = next(f for f in report.findings if f.id == "response-property-removed")
    paths = {o.operation: o.paths for o in removed.occurrences}
    assert paths["GET /tasks"] == ("200 → .items[].pet.a",)
    assert paths["GET /tasks/{taskId}"] == ("200 → .pet.a",)


def test_nullability_through_type_lists_and_null_alternatives(tmp_path: Path) -> None:
    base = copy.deepcopy(BASE)
    base["components"]["schemas"]["Owner"] = {
        "type": "object",
        "properties": {"login": {"type": "string"}},
    }
    props = schema(base, "Task")["properties"]
    props["owner"] = {"anyOf": [{"$ref": "#/components/schemas/Owner"}, {"type": "null"}]}
    props["due"] = {"type": ["string", "null"], "format": "date"}
    head = copy.deepcopy(base)
    head_props = schema(head, "Task")["properties"]
    head_props["owner"] = {"$ref": "#/components/schemas/Owner"}  # no longer null: narrower
    head_props["note"] = {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}
    found = sorted((f.id, f.message) for f in diff_report(tmp_path, base, head).findings)
    assert found == [
        ("response-nullability-narrowed", "schema Task → Owner: null is no longer allowed"),
        ("response-nullability-widened", "schema Task: null is now allowed"),
        ("response-union-alternative-added", "schema Task: may now also be integer"),
    ]
    # unchanged: a type list with null and the same union on both sides
    assert diff_report(tmp_path, base, copy.deepcopy(base)).findings == []
