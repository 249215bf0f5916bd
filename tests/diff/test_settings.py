"""Breaking-change diff: severities in pyproject.toml, the ignore file, ``--list-rules``.

The code and rules under test: ``specfirst.diff.settings``, ``specfirst.diff.registry``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from specfirst.diff.registry import RULES
from tests.diff.helpers import (
    BASE,
    run_cli,
    schema,
    write_spec,
)


def test_severities_and_ignore_file_from_pyproject(tmp_path: Path) -> None:
    head = copy.deepcopy(BASE)
    schema(head, "Task")["properties"]["status"]["enum"].append("archived")
    schema(head, "Task")["properties"].pop("note")
    write_spec(tmp_path / "base.yaml", BASE)
    write_spec(tmp_path / "head.yaml", head)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specfirst.diff]\nignore-file = "accepted.yaml"\n'
        'response-enum-widened = "possibly-breaking"\n'
    )
    (tmp_path / "accepted.yaml").write_text(
        "- id: response-property-removed\n"
        "  operation: GET /tasks/{taskId}\n"
        "  reason: note moved to the notes endpoint, announced in 1.4\n"
        "- id: path-removed\n"
        "  reason: stale entry\n"
    )
    partly = run_cli("base.yaml", "head.yaml", "--format", "json", cwd=tmp_path)
    assert partly.returncode == 1, partly.stderr  # two other operations still lose 'note'
    payload = json.loads(partly.stdout)
    by_id = {f["id"]: f for f in payload["findings"]}
    assert by_id["response-enum-widened"]["severity"] == "possibly-breaking"
    ops = [o["operation"] for o in by_id["response-property-removed"]["operations"]]
    assert ops == ["GET /tasks", "POST /tasks"]
    [accepted] = payload["ignored"]
    assert accepted["reason"].startswith("note moved")
    assert "accepted.yaml:4: warning: accepted finding path-removed matches nothing" in (
        partly.stderr
    )
    (tmp_path / "accepted.yaml").write_text(
        "- id: response-property-removed\n  reason: note is gone, announced in 1.4\n"
    )
    accepted_all = run_cli("base.yaml", "head.yaml", cwd=tmp_path)
    assert accepted_all.returncode == 0, accepted_all.stdout
    assert "1 accepted in the ignore file" in accepted_all.stdout
    (tmp_path / "accepted.yaml").write_text("- id: response-property-removed\n")
    bad = run_cli("base.yaml", "head.yaml", cwd=tmp_path)
    assert bad.returncode == 2
    assert "accepted.yaml:1:3: every accepted finding needs a reason" in bad.stderr
    (tmp_path / "pyproject.toml").write_text('[tool.specfirst.diff]\nno-such-rule = "info"\n')
    unknown = run_cli("base.yaml", "head.yaml", cwd=tmp_path)
    assert unknown.returncode == 2 and "unknown rule 'no-such-rule'" in unknown.stderr


def test_list_rules_names_every_rule_with_severity_and_example(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specfirst.diff]\nerror-status-removed = "off"\n'
    )
    listed = run_cli("--list-rules", cwd=tmp_path)
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert len(lines) == len(RULES)
    by_id = {line.split()[0]: line for line in lines}
    assert set(by_id) == set(RULES)
    assert "breaking" in by_id["response-union-alternative-added"]
    assert "→" in by_id["response-union-alternative-added"]
    assert "off (configured)" in by_id["error-status-removed"]
