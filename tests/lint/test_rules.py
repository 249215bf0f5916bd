"""One test (at least) per lint rule, from a clean spec with one thing wrong."""

from __future__ import annotations

from typing import Any

from specfirst.diagnostics import Level
from tests.lint.conftest import LintFn, clean_document


def op(document: dict[str, Any], path: str = "/things", method: str = "get") -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"][path][method]
    return operation


def test_clean_spec_is_clean(run_lint: LintFn) -> None:
    assert run_lint(clean_document()) == []


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


def test_path_parameters(run_lint: LintFn) -> None:
    doc = clean_document()
    doc["paths"]["/things/{thingId}"]["parameters"][0]["required"] = False
    doc["paths"]["/things/{thingId}/parts/{partId}"] = {
        "get": {
            **op(doc, "/things/{thingId}"),
            "operationId": "listParts",
            "parameters": [
                {"name": "thingId", "in": "path", "required": True, "schema": {"type": "integer"}},
                {"name": "extra", "in": "path", "required": True, "schema": {"type": "string"}},
            ],
        }
    }
    assert run_lint(doc) == [
        "error path-parameters: path parameter 'thingId' of GET /things/{thingId} must be "
        "required: true",
        "error path-parameters: GET /things/{thingId}/parts/{partId} does not declare path "
        "parameter 'partId'; add {name: partId, in: path, required: true} to its parameters",
        "error path-parameters: GET /things/{thingId}/parts/{partId} declares path parameter "
        "'extra' that its path does not use",
    ]


def test_trailing_slash_and_query_string(run_lint: LintFn) -> None:
    doc = clean_document()
    doc["paths"]["/health/"] = doc["paths"].pop("/health")
    doc["paths"]["/search?q=x"] = {"get": {**op(doc, "/health/"), "operationId": "search"}}
    assert run_lint(doc) == [
        "warning path-trailing-slash: path '/health/' ends with a slash",
        "error path-query-string: path '/search?q=x' holds a query string or fragment; "
        "declare query parameters instead",
    ]


def test_examples_are_checked_against_their_schemas(run_lint: LintFn) -> None:
    doc = clean_document()
    media = op(doc)["responses"]["200"]["content"]["application/json"]
    media["example"] = {"items": [{"id": "one", "name": "one"}]}
    doc["paths"]["/things/{thingId}"]["parameters"][0]["example"] = "three"
    doc["components"]["schemas"]["Thing"]["properties"]["name"]["examples"] = [7]
    op(doc, "/things/{thingId}")["responses"]["200"]["content"]["application/json"]["examples"] = {
        "missing-name": {"value": {"id": 1}}
    }
    assert run_lint(doc) == [
        "error example-valid: example does not match its schema: 'one' is not of type "
        "'integer' (at /items/0/id)",
        "error example-valid: example does not match its schema: 'three' is not of type 'integer'",
        "error example-valid: example does not match its schema: 'name' is a required property",
        "error example-valid: example does not match its schema: 7 is not of type 'string'",
    ]


def test_examples_use_the_openapi_30_dialect(run_lint: LintFn) -> None:
    spec = """
    openapi: 3.0.3
    info: {title: Old, version: '1'}
    tags: [{name: things}]
    paths:
      /things/{thingId}:
        get:
          operationId: getThing
          tags: [things]
          summary: Get
          description: Get.
          parameters:
            - {name: thingId, in: path, required: true, schema: {type: integer}}
          responses:
            '200':
              description: ok
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Thing'}
                  examples:
                    nullable: {value: {id: 1, note: null, when: '2025-01-01T00:00:00Z'}}
                    wrong: {value: {id: 1, note: 5, when: 'yesterday'}}
    components:
      schemas:
        Thing:
          type: object
          required: [id]
          properties:
            id: {type: integer, readOnly: true}
            note: {type: string, nullable: true}
            when: {type: string, format: date-time}
    """
    assert run_lint(spec) == [
        "error example-valid: example does not match its schema: 5 is not of type 'string' "
        "(at /note)",
        "error example-valid: example does not match its schema: 'yesterday' is not a "
        "'date-time' (at /when)",
    ]


def test_unused_components(run_lint: LintFn) -> None:
    doc = clean_document()
    schemas = doc["components"]["schemas"]
    schemas["Orphan"] = {
        "type": "object",
        "properties": {"x": {"$ref": "#/components/schemas/Leaf"}},
    }
    schemas["Leaf"] = {"type": "string"}
    schemas["Pet"] = {"oneOf": [{"$ref": "#/components/schemas/Thing"}]}
    schemas["Pet"]["discriminator"] = {"propertyName": "kind", "mapping": {"dog": "Dog"}}
    schemas["Dog"] = {"type": "object"}
    op(doc, "/health")["responses"]["200"] = {
        "description": "pet",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
    }
    doc["components"]["parameters"] = {"Unused": {"name": "q", "in": "query"}}
    doc["components"]["securitySchemes"]["apiKey"] = {"type": "apiKey", "in": "header", "name": "K"}
    assert run_lint(doc) == [
        "warning unused-component: components.securitySchemes.apiKey is never used",
        "warning unused-component: components.schemas.Orphan is never used",
        "warning unused-component: components.schemas.Leaf is never used",
        "warning unused-component: components.parameters.Unused is never used",
    ]


def test_unresolved_ref(run_lint: LintFn) -> None:
    doc = clean_document()
    op(doc)["responses"]["404"] = {"$ref": "#/components/responses/Gone"}
    assert run_lint(doc) == [
        "error unresolved-ref: $ref '#/components/responses/Gone' points to nothing",
    ]


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
