"""A synthesized value for a ``oneOf`` beside keywords of its own schema (shipengine).

shipengine's ``estimate_rates_request_body`` is closed, allOf [options], requires ten names,
and holds oneOf [by carrier id, by carrier ids]. The value synthesized for it was its first
alternative's alone (``{"carrier_id": …}``), without the names the schema requires; the model
refused it. It is now the holder merged with one alternative
(:func:`specfirst.schema_rewrites.spell_one_of_holder`), a value the model takes.
"""

from __future__ import annotations

import json

import yaml

from specfirst.examples.synthesize import Schemas, synthesize
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.0.3
info: {title: Rates, version: 1.0.0}
paths:
  /rates/estimate:
    post:
      operationId: estimateRates
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Estimate'}}}
      responses:
        '204': {description: rated}
components:
  schemas:
    Options:
      type: object
      properties:
        weight: {type: integer, minimum: 1}
        from_city: {type: string, minLength: 1}
    ById:
      type: object
      properties: {carrier_id: {type: string}}
    ByIds:
      type: object
      properties: {carrier_ids: {type: array, minItems: 1, items: {type: string}}}
    Estimate:
      type: object
      additionalProperties: false
      allOf: [{$ref: '#/components/schemas/Options'}]
      required: [weight, from_city]
      oneOf:
        - {$ref: '#/components/schemas/ById'}
        - {$ref: '#/components/schemas/ByIds'}
    Tagged:
      type: object
      required: [tag]
      properties: {tag: {type: string}}
      oneOf:
        - {required: [a], properties: {a: {type: integer}}}
        - {required: [b], properties: {b: {type: integer}}}
"""


def test_a_holder_s_value_has_its_names_and_one_alternative_s(make_api: MakeApi) -> None:  # noqa: F811
    document = yaml.safe_load(SPEC)
    schemas = Schemas(document)
    models = make_api(SPEC).models
    for name, expected in (
        ("Estimate", ["carrier_id", "from_city", "weight"]),
        ("Tagged", ["a", "tag"]),
    ):
        value = synthesize({"$ref": f"#/components/schemas/{name}"}, schemas)
        assert sorted(value) == expected, value
        model = getattr(models, name).model_validate_json(json.dumps(value))  # oneOf: JSON
        assert type(model.root).__name__ == f"{name}1", value
