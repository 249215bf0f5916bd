"""``specfirst.lint.operations``: operation ids, tags, summaries, descriptions."""

from __future__ import annotations

from tests.lint.conftest import LintFn, clean_document, op


def test_operation_id_missing(run_lint: LintFn) -> None:
    doc = clean_document()
    del op(doc)["operationId"]
    assert run_lint(doc) == [
        "error operation-id: GET /things has no operationId; "
        "generated code names its method after it"
    ]


def test_operation_id_unique(run_lint: LintFn) -> None:
    doc = clean_document()
    op(doc, "/health")["operationId"] = "listThings"
    assert run_lint(doc) == [
        "error operation-id-unique: operationId 'listThings' of GET /health "
        "is already used by GET /things"
    ]


def test_operation_id_identifier(run_lint: LintFn) -> None:
    doc = clean_document()
    op(doc)["operationId"] = "things/list"
    assert run_lint(doc) == [
        "warning operation-id-identifier: operationId 'things/list' of GET /things is not an "
        "identifier (letters, digits and underscores, not starting with a digit); "
        "code generators must mangle it"
    ]


def test_tags_summary_description(run_lint: LintFn) -> None:
    doc = clean_document()
    for key in ("tags", "summary", "description"):
        del op(doc, "/health")[key]
    assert run_lint(doc) == [
        "warning operation-description: GET /health has no description",
        "warning operation-summary: GET /health has no summary",
        "warning operation-tags: GET /health has no tags; its methods have no interface to go in",
    ]
