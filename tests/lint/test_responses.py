"""``specfirst.lint.responses``: problem+json errors, 401/403 on secured operations, a 2xx."""

from __future__ import annotations

from tests.lint.conftest import LintFn, clean_document, op


def test_error_responses_are_problem_json(run_lint: LintFn) -> None:
    doc = clean_document()
    op(doc)["responses"]["400"] = {
        "description": "Bad.",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
    op(doc)["responses"]["500"] = {"description": "Oops."}
    op(doc)["responses"]["2XX"] = {"description": "ranges are not errors"}
    assert run_lint(doc) == [
        "warning error-problem-json: GET /things response 400 declares application/json; "
        "errors should be application/problem+json (RFC 9457)",
        "warning error-problem-json: GET /things response 500 declares no body; "
        "errors should be application/problem+json (RFC 9457)",
    ]


def test_secured_operations_declare_401_and_403(run_lint: LintFn) -> None:
    doc = clean_document()
    del op(doc)["responses"]["401"]
    del op(doc)["responses"]["403"]
    # no scopes: a 403 is not needed, a 401 is
    op(doc, "/things/{thingId}")["security"] = [{"bearer": []}]
    del op(doc, "/things/{thingId}")["responses"]["403"]
    del op(doc, "/things/{thingId}")["responses"]["401"]
    assert run_lint(doc) == [
        "warning security-responses: GET /things requires authentication but does not declare "
        "a 401 response",
        "warning security-responses: GET /things requires scopes but does not declare "
        "a 403 response",
        "warning security-responses: GET /things/{thingId} requires authentication but does "
        "not declare a 401 response",
    ]


def test_optional_security_and_ranges_need_nothing_more(run_lint: LintFn) -> None:
    doc = clean_document()
    op(doc)["security"] = [{"bearer": ["things:read"]}, {}]
    del op(doc)["responses"]["401"]
    del op(doc)["responses"]["403"]
    del op(doc, "/things/{thingId}")["responses"]["401"]
    del op(doc, "/things/{thingId}")["responses"]["403"]
    op(doc, "/things/{thingId}")["responses"]["4XX"] = {"$ref": "#/components/responses/Problem"}
    assert run_lint(doc) == []


def test_success_response(run_lint: LintFn) -> None:
    doc = clean_document()
    op(doc, "/health")["responses"] = {"503": {"$ref": "#/components/responses/Problem"}}
    assert run_lint(doc) == ["error success-response: GET /health declares no 2xx response"]
