"""A ``required`` beside an ``allOf`` that names a part's readOnly property (shipengine).

shipengine's ``address_validating_shipment`` is allOf [``partial_shipment``, whose
``shipment_id`` is readOnly] with ``required: [shipment_id, carrier_id, …]``. OpenAPI applies a
readOnly property's requirement to responses only; the request model required
``shipment_id: Any`` all the same, and every ``POST /v1/shipments`` was refused "Field
required". The request shape leaves the requirement out; the response shape keeps it.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import GeneratedApi, MakeApi, client, problem

SPEC = """
openapi: 3.0.3
info: {title: Shipments, version: 1.0.0}
paths:
  /shipments:
    post:
      operationId: createShipment
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Shipment'}}}
      responses:
        '200':
          description: made
          content: {application/json: {schema: {$ref: '#/components/schemas/Shipment'}}}
        '422': {description: invalid}
components:
  schemas:
    Partial:
      type: object
      properties:
        shipment_id: {type: string, readOnly: true}
        carrier_id: {type: string}
        secret: {type: string, writeOnly: true}
    Shipment:
      type: object
      additionalProperties: false
      allOf: [{$ref: '#/components/schemas/Partial'}]
      required: [shipment_id, carrier_id, secret]
"""


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


async def test_a_parts_read_only_requirement_is_a_responses_only(api: GeneratedApi) -> None:
    m = api.models

    class Shipments:
        async def create_shipment(self, *, body: Any) -> Any:
            return m.ShipmentResponse(shipment_id="se-1", carrier_id=body.carrier_id)

    async with client(api.create_app(default=Shipments())) as c:
        made = await c.post("/shipments", json={"carrier_id": "ups", "secret": "s"})
        missing = await c.post("/shipments", json={"secret": "s"})
    assert made.status_code == 200, made.text
    assert made.json() == {"shipment_id": "se-1", "carrier_id": "ups"}
    assert [e["pointer"] for e in problem(missing, 422)["errors"]] == ["/body/carrier_id"]
    assert "shipment_id" not in m.ShipmentRequest.model_fields
    assert m.ShipmentResponse.model_fields["shipment_id"].is_required()
    assert "secret" not in m.ShipmentResponse.model_fields
    assert m.ShipmentRequest.model_fields["secret"].is_required()
