"""A "positive" JSON body its own schema refuses (shipengine's ``POST /v1/rates/estimate``).

shipengine's ``estimate_rates_request_body`` is oneOf [by ``carrier_id``, by ``carrier_ids``],
two open objects, beside properties one of which has draft-04's boolean ``exclusiveMinimum``.
schemathesis assembled its example from the properties' examples, with both ``carrier_id`` and
``carrier_ids``: valid under both members, so under no ``oneOf``. It checks the examples it
assembles as JSON Schema 2020-12 and could not read this schema, so it sent the body as valid
and failed the app's right 4xx ("Schema-valid request rejected"). The run notes it.
"""

from __future__ import annotations

from typing import Any

from specfirst.contract import ContractOptions, format_summary, run_contract
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
        '200': {description: estimated, content: {application/json: {schema: {type: integer}}}}
        '400': {description: invalid}
components:
  schemas:
    ByCarrierId:
      type: object
      properties: {carrier_id: {type: string, example: se-1}}
    ByCarrierIds:
      type: object
      properties: {carrier_ids: {type: array, items: {type: string}, example: [se-1]}}
    Estimate:
      type: object
      oneOf:
        - {$ref: '#/components/schemas/ByCarrierId'}
        - {$ref: '#/components/schemas/ByCarrierIds'}
      required: [weight]
      properties:
        weight: {type: number, minimum: 0, exclusiveMinimum: true, example: 2.5}
"""


def test_a_positive_body_its_schema_refuses_is_noted(make_api: MakeApi) -> None:  # noqa: F811
    rates = make_api(SPEC)

    class Rates:
        async def estimate_rates(self, *, body: Any) -> Any:
            return rates.responses.EstimateRates200Response(body=1)

    result = run_contract(
        ContractOptions(
            spec=rates.spec_path,
            app=rates.create_app(default=Rates()),
            checks=("positive_data_acceptance",),
            phases=("examples",),
            max_examples=5,
        )
    )
    summary = format_summary(result)
    assert result.failures == [], summary
    assert result.noted.get("invalid-positive-body") == 1, summary
    assert "the request body is refused by its own schema (" in summary, summary
