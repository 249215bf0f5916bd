"""Operations another one answers for (vtex.local's Marketplace-Protocol, held out).

vtex declares ``POST /{fulfillmentEndpoint}/pvt/orders/{orderId}/cancel`` and ``POST
/{marketplaceServicesEndpoint}/pvt/orders/{marketplaceOrderId}/cancel``, with different
required bodies: one path to OpenAPI (which forbids such pairs), so the app serves the first
(the lint's ``unreachable-operation``) and the other's schema-valid requests meet its
validation (422). No server can accept both, so the contract run notes the other's failures,
and its coverage gates do not apply, with the reason; the first is tested as usual.
"""

from __future__ import annotations

from typing import Any

from specfirst.contract import ContractOptions, format_summary, run_contract
from tests.e2e.conftest import MakeApi, client, make_api  # noqa: F401  (fixture)

# The marketplace's tag is listed first, so its operation, declared second, is served.
SPEC = """
openapi: 3.0.3
info: {title: Orders, version: 1.0.0}
tags: [{name: Marketplace}, {name: Seller}]
paths:
  /{endpoint}/pvt/orders/{orderId}/cancel:
    post:
      operationId: sellerCancel
      tags: [Seller]
      parameters:
        - {name: endpoint, in: path, required: true, schema: {type: string}}
        - {name: orderId, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [reason]
              properties: {reason: {type: string}}
              example: {reason: unavailable}
      responses:
        '200':
          description: cancelled
          content: {application/json: {schema: {type: string}}}
  /{services}/pvt/orders/{marketplaceOrderId}/cancel:
    post:
      operationId: marketplaceCancel
      tags: [Marketplace]
      parameters:
        - {name: services, in: path, required: true, schema: {type: string}}
        - {name: marketplaceOrderId, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [marketplaceOrderId]
              properties: {marketplaceOrderId: {type: string}}
              additionalProperties: false
              example: {marketplaceOrderId: "1"}
      responses:
        '200':
          description: cancelled
          content: {application/json: {schema: {type: string}}}
"""


class Orders:
    async def seller_cancel(self, **_: Any) -> str:
        return "seller"

    async def marketplace_cancel(self, **_: Any) -> str:
        return "marketplace"


def test_the_run_notes_the_operation_the_app_never_calls(make_api: MakeApi) -> None:  # noqa: F811
    vendor = make_api(SPEC)
    app = vendor.create_app(marketplace=Orders(), seller=Orders())
    result = run_contract(
        ContractOptions(
            spec=vendor.spec_path, app=app, phases=("examples", "fuzzing"), max_examples=10
        )
    )
    assert not result.failures and not result.errors and not result.gates, format_summary(result)
    shadowed = "POST /{endpoint}/pvt/orders/{orderId}/cancel"
    served = "POST /{services}/pvt/orders/{marketplaceOrderId}/cancel"
    assert any(
        note.startswith(
            f"{shadowed}: positive_data_acceptance not counted: its requests are "
            f"{served}'s (path keys that differ only"
        )
        for note in result.notes
    ), result.notes
    assert not any(note.startswith(served) for note in result.notes), result.notes
    coverage = result.coverage.operations
    assert coverage[shadowed].exemption is not None
    assert coverage[served].exemption is None and coverage[served].reached_success()


async def test_the_app_serves_the_first_service_s_operation(make_api: MakeApi) -> None:  # noqa: F811
    app = make_api(SPEC).create_app(marketplace=Orders(), seller=Orders())
    async with client(app) as c:
        got = await c.post("/e/pvt/orders/1/cancel", json={"marketplaceOrderId": "1"})
    assert got.status_code == 200 and got.json() == "marketplace", got.text
