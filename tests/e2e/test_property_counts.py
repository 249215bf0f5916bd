"""``minProperties`` and ``maxProperties`` count every key of the object (mailscript.com).

pydantic has no count of keys, and ignores the keys a class does not declare: mailscript's
``Criteria`` (``minProperties: 1``) took ``{}``, and a class with ``maxProperties: 1`` took two
keys when one was undeclared. JSON Schema counts every key; so does the app, on JSON input (a
request), before the class reads the object: a body, an object inside one, an ``allOf`` child
(the parent's count applies to the whole object) and each member a ``oneOf`` tries.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pydantic
import pytest
import yaml

from tests.e2e.conftest import MakeApi, client, problem

SPEC = """
openapi: 3.0.3
info: {title: Triggers, version: "1"}
paths:
  /triggers:
    post:
      operationId: addTrigger
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Trigger"}}}
      responses:
        "204": {description: Added}
components:
  schemas:
    Trigger:
      type: object
      required: [criteria]
      maxProperties: 2
      properties:
        criteria: {$ref: "#/components/schemas/Criteria"}
        either:
          oneOf:
            - $ref: "#/components/schemas/Criteria"
            - $ref: "#/components/schemas/Operand"
        labels:
          type: object
          minProperties: 1
          maxProperties: 1
          properties:
            name: {type: string}
    Criteria:
      type: object
      minProperties: 1
      properties:
        domain: {type: string}
    Operand:
      type: object
      minProperties: 2
      properties:
        and: {type: array, items: {type: string}}
    Strict:
      allOf:
        - $ref: "#/components/schemas/Criteria"
        - type: object
          properties:
            sentTo: {type: string}
"""

BODIES = [
    {"criteria": {}},
    {"criteria": {"domain": "x"}},
    {"criteria": {"other": 1}},
    {"criteria": {"domain": "x"}, "labels": {}},
    {"criteria": {"domain": "x"}, "labels": {"name": "a"}},
    {"criteria": {"domain": "x"}, "labels": {"other": "a"}},
    {"criteria": {"domain": "x"}, "labels": {"name": "a", "other": "b"}},
    {"criteria": {"domain": "x"}, "either": {"domain": "x"}},
    {"criteria": {"domain": "x"}, "either": {"domain": "x", "and": ["a"]}},
    {"criteria": {"domain": "x"}, "either": {"domain": 5, "and": ["a"]}},
    {"criteria": {"domain": "x"}, "either": {"domain": 5}},
    {"criteria": {"domain": "x"}, "extra": 1},
    {"criteria": {"domain": "x"}, "extra": 1, "more": 2},
]


@pytest.mark.parametrize("body", BODIES, ids=json.dumps)
async def test_the_app_takes_what_the_schema_takes(body: Any, make_api: MakeApi) -> None:
    api = make_api(SPEC)
    document = yaml.safe_load(SPEC)
    trigger = {"$ref": "#/components/schemas/Trigger", "components": document["components"]}
    valid = jsonschema.Draft4Validator(trigger).is_valid(body)
    async with client(api.create_app(allow_unimplemented=True)) as c:
        answer = await c.post("/triggers", json=body)
    if valid:
        assert answer.status_code == 501, answer.text  # on to the (missing) handler
    else:
        problem(answer, 422)


def test_an_all_of_child_counts_under_its_parent_s_rule(make_api: MakeApi) -> None:
    strict = make_api(SPEC).models.Strict
    with pytest.raises(pydantic.ValidationError, match="at least 1 properties, not 0"):
        strict.model_validate_json("{}")
    assert strict.model_validate_json('{"sentTo": "a"}').sentTo == "a"


def test_python_values_are_not_counted(make_api: MakeApi) -> None:
    """A handler building a model from Python objects pays nothing for the rule."""
    criteria = make_api(SPEC).models.Criteria
    assert criteria().domain is None
    assert criteria.model_validate({}).domain is None
    with pytest.raises(pydantic.ValidationError, match="at least 1 properties, not 0"):
        criteria.model_validate_json("{}")
