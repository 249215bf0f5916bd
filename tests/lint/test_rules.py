"""All rules at once: a clean spec is clean, settings set levels, a malformed spec never crashes."""

from __future__ import annotations

import copy

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


def test_the_imported_profile_warns_on_style_and_keeps_errors_that_break_code(
    run_lint: LintFn,
) -> None:
    """``profile = "imported"``: a missing operationId, an example failing its schema and a
    query string in a path key (formapi.io's ``/templates/{id}?full=true``, served with the
    pair required) are warnings; an undeclared path parameter stays an error; a rule named
    beside it wins."""
    from specfirst.lint import parse_lint_settings

    doc = clean_document()
    full = copy.deepcopy(doc["paths"]["/things"])
    for operation in full.values():
        operation["operationId"] += "Full"
    doc["paths"]["/things?full=true"] = full
    del op(doc)["operationId"]
    op(doc)["responses"]["200"]["content"]["application/json"]["example"] = {"items": 3}
    del doc["paths"]["/things/{thingId}"]["parameters"]
    settings, problems = parse_lint_settings({"profile": "imported"})
    assert problems == []
    found = run_lint(doc, settings)
    assert [line.split(":")[0] for line in found] == [
        "warning operation-id",
        "warning example-valid",
        "error path-parameters",
        "warning path-query-string",
    ], found
    settings, _ = parse_lint_settings({"profile": "imported", "operation-id": "error"})
    assert run_lint(doc, settings)[0].startswith("error operation-id")
    _, problems = parse_lint_settings({"profile": "vendor"})
    assert [p.message for p in problems] == [
        "[tool.specfirst.lint]: profile = 'vendor'; use one of 'default', 'imported'"
    ]
