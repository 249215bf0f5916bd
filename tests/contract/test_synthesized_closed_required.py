"""A synthesized answer for a closed schema that requires a name nothing declares (shipengine).

shipengine's ``get_rate_by_id_response_body`` is closed (``additionalProperties: false``),
allOf [``rate``], and requires ``rates``, ``status`` and others no part declares. No value is
valid under it; the generated model requires those names with any value. The example stub's
synthesized answer left them out, the model refused it, and ``GET /v1/rates/{rate_id}``
answered 500. The synthesized answer is one the model takes.
"""

from __future__ import annotations

import yaml

from specfirst.examples.synthesize import Schemas, synthesize
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.0.3
info: {title: Rates, version: 1.0.0}
paths:
  /rates/{id}:
    get:
      operationId: getRate
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: the rate
          content: {application/json: {schema: {$ref: '#/components/schemas/RateBody'}}}
components:
  schemas:
    Rate:
      type: object
      properties: {rate_id: {type: string}}
    RateBody:
      type: object
      additionalProperties: false
      allOf: [{$ref: '#/components/schemas/Rate'}]
      required: [rate_id, status, rates]
"""


def test_a_closed_schemas_undeclared_required_names_are_synthesized(
    make_api: MakeApi,  # noqa: F811
) -> None:
    document = yaml.safe_load(SPEC)
    value = synthesize({"$ref": "#/components/schemas/RateBody"}, Schemas(document))
    assert sorted(value) == ["rate_id", "rates", "status"], value
    model = make_api(SPEC).models.RateBody
    assert model.model_validate(value).model_dump()["rate_id"] == value["rate_id"]
