"""The schema-rule validator is attached only to the models that have such rules."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest

from tests.e2e.conftest import MakeApi

SPEC = """
openapi: 3.1.0
info: {title: Rules, version: "1"}
paths:
  /pets:
    post:
      operationId: createPet
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Tagged"}}}
      responses:
        "201": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer}
        name: {type: string}
    Tagged:
      type: object
      required: [tags]
      properties:
        tags: {type: array, uniqueItems: true, items: {type: string}}
        note: {type: string}
"""


def _validators(schema: Any) -> list[Any]:
    """Every function validator anywhere in a core schema."""
    found: list[Any] = []
    if isinstance(schema, dict):
        if schema.get("type", "").startswith("function-") and "function" in schema:
            found.append(schema["function"]["function"])
        for value in schema.values():
            found += _validators(value)
    elif isinstance(schema, list):
        for value in schema:
            found += _validators(value)
    return found


def test_only_models_with_rules_run_the_rule_validator(make_api: MakeApi) -> None:
    api = make_api(SPEC)
    pet, tagged = api.models.Pet, api.models.Tagged
    for model in (pet, tagged):
        model.model_rebuild()
    names = {f.__name__ for f in _validators(tagged.__pydantic_core_schema__)}
    assert "_schema_rules" in names
    assert "_schema_rules" not in {f.__name__ for f in _validators(pet.__pydantic_core_schema__)}
    # and the rules still hold where they exist
    with pytest.raises(pydantic.ValidationError, match="items must be unique"):
        tagged(tags=["a", "a"])
    with pytest.raises(pydantic.ValidationError, match="null is not allowed"):
        tagged.model_validate_json('{"tags": [], "note": null}')
    assert pet(id=1, name="x").name == "x"
