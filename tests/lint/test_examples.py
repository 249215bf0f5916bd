"""``specfirst.lint.examples``: examples match their schemas, in the version's dialect."""

from __future__ import annotations

from tests.lint.conftest import LintFn, clean_document, op


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
            default: {description: an error}
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
