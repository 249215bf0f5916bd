"""``specfirst.lint.pagination``: list operations take a page parameter."""

from __future__ import annotations

from tests.lint.conftest import LintFn, clean_document, op


def test_list_pagination(run_lint: LintFn) -> None:
    doc = clean_document()
    del op(doc)["parameters"]
    op(doc, "/health")["responses"]["200"] = {
        "description": "A bare array.",
        "content": {"application/json": {"schema": {"type": "array", "items": {}}}},
    }
    assert run_lint(doc) == [
        "warning list-pagination: GET /things returns a list in 'items' but takes no "
        "pagination parameter (e.g. cursor, page, limit); lists grow",
        "warning list-pagination: GET /health returns an array but takes no pagination "
        "parameter (e.g. cursor, page, limit); lists grow",
    ]


def test_list_pagination_accepts_page_and_limit_names(run_lint: LintFn) -> None:
    doc = clean_document()
    op(doc)["parameters"] = [{"name": "per-page", "in": "query", "schema": {"type": "integer"}}]
    assert run_lint(doc) == []
