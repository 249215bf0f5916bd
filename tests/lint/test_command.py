"""``specfirst lint``: located output, a summary, pyproject settings, exit codes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from specfirst.cli import main

REPO = Path(__file__).resolve().parents[2]

SPEC = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /things/:
    get:
      operationId: list-things
      responses:
        '200': {description: ok}
"""


def project(tmp_path: Path, lint_table: str = "") -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specfirst]\nspec = "api.yaml"\n' + textwrap.dedent(lint_table), encoding="utf-8"
    )
    (tmp_path / "api.yaml").write_text(SPEC, encoding="utf-8")
    return tmp_path


def test_findings_are_located_and_summarized(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project(tmp_path))
    assert main(["lint"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "api.yaml:4:3: path-trailing-slash: path '/things/' ends with a slash",
        "api.yaml:5:5: operation-description: GET /things/ has no description",
        "api.yaml:5:5: operation-summary: GET /things/ has no summary",
        "api.yaml:5:5: operation-tags: GET /things/ has no tags; its methods have no interface "
        "to go in",
        "api.yaml:6:7: operation-id-identifier: operationId 'list-things' of GET /things/ is "
        "not an identifier (letters, digits and underscores, not starting with a digit); code "
        "generators must mangle it",
        "api.yaml: 0 error(s), 5 warning(s) (30 rules)",
    ]


def test_pyproject_settings_fail_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    table = """
    [tool.specfirst.lint]
    path-trailing-slash = "error"
    operation-tags = "off"
    operation-summary = "off"
    operation-description = "off"
    operation-id-identifier = "off"
    """
    monkeypatch.chdir(project(tmp_path, table))
    assert main(["lint"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "api.yaml:4:3: path-trailing-slash: path '/things/' ends with a slash",
        "api.yaml: 1 error(s), 0 warning(s) (26 rules)",
    ]


def test_bad_settings_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    table = """
    [tool.specfirst.lint]
    no-such-rule = "off"
    operation-tags = "loud"
    """
    monkeypatch.chdir(project(tmp_path, table))
    assert main(["lint"]) == 1
    err = capsys.readouterr().err
    assert "lint-config: pyproject.toml [tool.specfirst.lint]: unknown rule 'no-such-rule'" in err
    assert (
        "lint-config: pyproject.toml [tool.specfirst.lint]: operation-tags = 'loud'; "
        'use "off", "warning" or "error"'
    ) in err


def test_list_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project(tmp_path, '[tool.specfirst.lint]\noperation-tags = "off"\n'))
    assert main(["lint", "--list-rules"]) == 0
    out = capsys.readouterr().out
    assert "operation-tags           off      every operation is tagged" in out
    assert "example-valid            error    examples match their schemas" in out


def test_unloadable_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project(tmp_path))
    (tmp_path / "api.yaml").write_text("openapi: [\n", encoding="utf-8")
    assert main(["lint"]) == 1
    err = capsys.readouterr().err
    assert "api.yaml:2:1: syntax-error:" in err
    assert "api.yaml: not linted (it cannot be loaded)" in err


def test_reference_spec_has_no_lint_errors(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO)
    assert main(["lint"]) == 0
    err = capsys.readouterr().err
    assert ": error" not in err
    assert err.splitlines()[-1].startswith("specs/api.yaml: ")
