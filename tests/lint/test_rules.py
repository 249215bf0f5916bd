"""All rules at once: a clean spec is clean, settings set levels, a malformed spec never crashes."""

from __future__ import annotations

from specfirst.diagnostics import Level
from tests.lint.conftest import LintFn, clean_document, op


def test_clean_spec_is_clean(run_lint: LintFn) -> None:
    assert run_lint(clean_document()) == []


def test_settings_turn_rules_off_and_change_levels(run_lint: LintFn) -> None:
    doc = clean_document()
    del op(doc)["summary"]
    del op(doc)["description"]
    settings = {"operation-summary": Level.ERROR, "operation-description": None}
    assert run_lint(doc, settings) == ["error operation-summary: GET /things has no summary"]


def test_malformed_document_does_not_crash(run_lint: LintFn) -> None:
    spec = """
    openapi: 3.1.0
    info: 7
    paths:
      /a: [1, 2]
      /b:
        get: nonsense
        post:
          responses: [oops]
          parameters: {not: a list}
    components:
      schemas: []
      responses:
        X: 4
    """
    found = run_lint(spec)
    assert "error success-response: POST /b declares no 2xx response" in found
