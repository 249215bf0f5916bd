"""A ``oneOf`` beside keywords of its own schema (``properties``, ``required``, ``allOf``,
``additionalProperties: false``): a value must satisfy those and exactly one alternative.

datamodel-code-generator read such a schema as the union of its alternatives and dropped the
rest: shipengine's ``estimate_rates_request_body`` (closed, allOf [options], ten required names,
oneOf [by carrier id, by carrier ids]) took ``{"carrier_ids": 5}``. The generator spells each
alternative merged with the holder (``specfirst.schema_rewrites.spell_one_of_holder``): as a
component, an inline request body, a property and an array's items.
"""

from __future__ import annotations

import json
from typing import Any

import pydantic
import pytest

from tests.e2e.conftest import MakeApi, client, problem

SPEC = """
openapi: 3.0.3
info: {title: Rates, version: "1"}
paths:
  /estimates:
    post:
      operationId: estimate
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Estimate"}}}
      responses:
        "204": {description: Estimated}
  /inline:
    post:
      operationId: inline
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [x]
              properties: {x: {type: integer}}
              oneOf:
                - {required: [p], properties: {p: {type: string}}}
                - {required: [q], properties: {q: {type: string}}}
      responses:
        "204": {description: Done}
  /outer:
    post:
      operationId: outer
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Outer"}}}
      responses:
        "204": {description: Done}
  /parts:
    post:
      operationId: parts
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Parts"}}}
      responses:
        "204": {description: Done}
components:
  schemas:
    Parts:
      allOf:
        - $ref: "#/components/schemas/Options"
      required: [weight, tag]
      properties: {tag: {type: string}}
      oneOf:
        - {required: [carrier_id], properties: {carrier_id: {type: string}}}
        - $ref: "#/components/schemas/ByIds"
    Options:
      type: object
      properties:
        weight: {type: integer}
        from_city: {type: string, minLength: 1}
    ById:
      type: object
      properties: {carrier_id: {type: string}}
    ByIds:
      type: object
      properties: {carrier_ids: {type: array, items: {type: string}, minItems: 1}}
    Estimate:
      type: object
      additionalProperties: false
      allOf:
        - $ref: "#/components/schemas/Options"
      required: [weight, from_city]
      oneOf:
        - $ref: "#/components/schemas/ById"
        - $ref: "#/components/schemas/ByIds"
    Outer:
      type: object
      properties:
        nested:
          type: object
          required: [x]
          properties: {x: {type: integer}}
          oneOf:
            - $ref: "#/components/schemas/ById"
            - $ref: "#/components/schemas/ByIds"
        many:
          type: array
          items:
            type: object
            additionalProperties: false
            required: [x]
            properties: {x: {type: integer}}
            oneOf:
              - $ref: "#/components/schemas/ById"
              - $ref: "#/components/schemas/ByIds"
"""

GOOD = {"weight": 3, "from_city": "Austin", "carrier_ids": ["se-1"]}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/estimates", {"carrier_ids": 5}),  # shipengine's: names missing, a wrong type
        ("/estimates", {"weight": 3, "carrier_ids": ["se-1"]}),  # a holder's name missing
        ("/estimates", {**GOOD, "weight": "heavy"}),  # a holder's name of the wrong type
        ("/estimates", {**GOOD, "from_city": ""}),  # its allOf part's constraint
        ("/estimates", {**GOOD, "carrier_ids": 5}),  # the alternative's type
        ("/estimates", {**GOOD, "other": 1}),  # closed: a name nothing declares
        ("/estimates", {**GOOD, "carrier_id": "se-2"}),  # closed: each alternative's own
        ("/parts", {"tag": "t", "weight": "heavy", "carrier_ids": ["a"]}),  # its allOf part
        ("/parts", {"tag": "t", "carrier_ids": ["a"]}),
        ("/inline", {"p": "a"}),
        ("/inline", {"x": 1, "p": "a", "q": "b"}),  # valid under both alternatives
        ("/outer", {"nested": {"carrier_id": "se-1"}}),
        ("/outer", {"many": [{"x": 1, "carrier_id": "a"}, {"carrier_id": "b"}]}),
        ("/outer", {"many": [{"x": 1, "carrier_id": "a", "other": 2}]}),
        ("/outer", {"many": [{"x": 1}]}),  # closed, yet valid under both alternatives
    ],
)
async def test_a_value_the_holder_refuses_is_refused(
    path: str, body: dict[str, Any], make_api: MakeApi
) -> None:
    api = make_api(SPEC)
    async with client(api.create_app(allow_unimplemented=True)) as c:
        problem(await c.post(path, json=body), 422)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/estimates", GOOD),
        ("/estimates", {"weight": 3, "from_city": "Austin", "carrier_id": "se-1"}),
        ("/inline", {"x": 1, "p": "a"}),
        ("/parts", {"tag": "t", "weight": 1, "carrier_ids": ["a"]}),
        # nested is open: carrier_ids of another type than ByIds' is ById's (an open object)
        ("/outer", {"nested": {"x": 1, "carrier_ids": 5}, "many": [{"x": 2, "carrier_id": "a"}]}),
    ],
)
async def test_a_value_of_the_holder_and_one_alternative_is_taken(
    path: str, body: dict[str, Any], make_api: MakeApi
) -> None:
    api = make_api(SPEC)
    async with client(api.create_app(allow_unimplemented=True)) as c:
        answer = await c.post(path, json=body)
    assert answer.status_code == 501, answer.text  # valid: on to the (missing) handler


def test_the_models_hold_the_holder_and_one_alternative(make_api: MakeApi) -> None:
    m = make_api(SPEC).models
    estimate = m.Estimate.model_validate_json(json.dumps(GOOD))
    assert estimate.root.weight == 3 and estimate.root.carrier_ids == ["se-1"]
    # open alternatives with nothing of their own given: both take it, so oneOf does not
    with pytest.raises(pydantic.ValidationError, match="valid under 2 of its oneOf members"):
        m.Estimate.model_validate_json(json.dumps({"weight": 3, "from_city": "Austin"}))
    with pytest.raises(pydantic.ValidationError, match="weight"):
        m.Estimate.model_validate_json(json.dumps({"from_city": "A", "carrier_id": "se-1"}))
