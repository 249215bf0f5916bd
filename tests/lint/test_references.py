"""``specfirst.lint.references``: unused components and unresolved ``$ref``s."""

from __future__ import annotations

from tests.lint.conftest import LintFn, clean_document, op


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
