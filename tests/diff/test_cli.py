"""Breaking-change diff: the ``specfirst diff`` command: exit codes, formats, git revisions.

The code and rules under test: ``specfirst.commands.diff``.
"""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

from tests.diff.helpers import (
    BASE,
    op,
    run_cli,
    write_spec,
)


def test_cli_exit_codes_and_formats(tmp_path: Path) -> None:
    head = copy.deepcopy(BASE)
    op(head, "/tasks", "get")["parameters"][0]["required"] = True
    write_spec(tmp_path / "base.yaml", BASE)
    write_spec(tmp_path / "head.yaml", head)
    text = run_cli("base.yaml", "head.yaml", cwd=tmp_path)
    assert text.returncode == 1
    assert "parameter-became-required" in text.stdout
    allowed = run_cli(
        "base.yaml", "head.yaml", "--allow-breaking", "--format", "json", cwd=tmp_path
    )
    assert allowed.returncode == 0
    assert json.loads(allowed.stdout)["summary"]["breaking"] == 1
    head["info"]["version"] = "2.0.0"
    write_spec(tmp_path / "head.yaml", head)
    bumped = run_cli("base.yaml", "head.yaml", "--format", "markdown", cwd=tmp_path)
    assert bumped.returncode == 0, bumped.stderr
    assert "major version 1.4.0 → 2.0.0" in bumped.stdout


def test_cli_against_a_git_revision_follows_refs_as_they_were(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "specs" / "schemas").mkdir(parents=True)
    (repo / "pyproject.toml").write_text('[tool.specfirst]\nspec = "specs/api.yaml"\n')
    doc = copy.deepcopy(BASE)
    task_create = doc["components"]["schemas"].pop("TaskCreate")
    doc["components"]["schemas"]["TaskCreate"] = {"$ref": "schemas/task_create.yaml"}
    write_spec(repo / "specs" / "api.yaml", doc)
    write_spec(repo / "specs" / "schemas" / "task_create.yaml", task_create)

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".")
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "base")
    task_create["required"].append("note")
    write_spec(repo / "specs" / "schemas" / "task_create.yaml", task_create)
    result = run_cli("HEAD", cwd=repo)
    assert result.returncode == 1, result.stderr
    assert "request-property-became-required" in result.stdout
    assert "HEAD:specs/schemas/task_create.yaml" in result.stdout or "HEAD:" in result.stdout
    missing = run_cli("no-such-revision", cwd=repo)
    assert missing.returncode == 2
    assert "neither a file nor a git revision" in missing.stderr
