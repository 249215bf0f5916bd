"""Breaking-change diff: findings, their locations and the report formats.

The code and rules under test: ``specfirst.diff.report``.
"""

from __future__ import annotations

import copy
from pathlib import Path

from specfirst.diff import diff_specs
from specfirst.loader import load_spec
from tests.diff.helpers import (
    BASE,
    diff_report,
    findings_after,
    schema,
    write_spec,
)


def test_identical_specs_have_no_findings(tmp_path: Path) -> None:
    assert findings_after(tmp_path, lambda d: None) == []


def test_findings_carry_locations_in_both_versions(tmp_path: Path) -> None:
    head = copy.deepcopy(BASE)
    schema(head, "TaskCreate")["properties"]["title"]["maxLength"] = 100
    report = diff_specs(
        load_spec(write_spec(tmp_path / "b.yaml", BASE)),
        load_spec(write_spec(tmp_path / "h.yaml", head)),
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


def test_json_lists_every_operation_with_its_field_paths(tmp_path: Path) -> None:
    head = copy.deepcopy(BASE)
    schema(head, "Task")["properties"].pop("note")
    payload = diff_report(tmp_path, BASE, head).to_json()
    [finding] = payload["findings"]
    assert finding["operations"] == [
        {"operation": "GET /tasks", "paths": ["200 → .items[].note"]},
        {"operation": "GET /tasks/{taskId}", "paths": ["200 → .note"]},
        {"operation": "POST /tasks", "paths": ["201 → .note"]},
    ]
