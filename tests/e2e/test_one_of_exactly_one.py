"""A value a ``oneOf`` holds must be valid under exactly one of its members (adyen's
``paymentMethod``).

pydantic's union takes a value valid under any member, as ``anyOf`` would. Adyen's
``PaymentRequest.paymentMethod`` is a ``oneOf`` of thirty-nine payment method details, several
of which take ``{"issuer": "…"}`` (each member's ``type`` has a default): valid under three
members, so under none as ``oneOf`` reads it, and the app must refuse it. The check runs on JSON
input (requests), for a property that is a ``oneOf``, the items of an array property that are
one, and a component schema that is one (a root model).
"""

from __future__ import annotations

import json
from typing import Any

import pydantic
import pytest

from tests.e2e.conftest import MakeApi, client, problem

SPEC = """
openapi: 3.0.3
info: {title: Checkout, version: "1"}
paths:
  /payments:
    post:
      operationId: pay
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/PaymentRequest"}}}
      responses:
        "204": {description: Paid}
components:
  schemas:
    PaymentRequest:
      type: object
      required: [paymentMethod]
      properties:
        paymentMethod:
          oneOf:
            - $ref: "#/components/schemas/Dotpay"
            - $ref: "#/components/schemas/Ideal"
            - $ref: "#/components/schemas/Card"
        split:
          type: array
          items:
            oneOf:
              - $ref: "#/components/schemas/Dotpay"
              - $ref: "#/components/schemas/Ideal"
        fallback: {$ref: "#/components/schemas/Method"}
        amount:
          oneOf:
            - {type: integer}
            - {type: string}
    Method:
      oneOf:
        - $ref: "#/components/schemas/Dotpay"
        - $ref: "#/components/schemas/Ideal"
    Dotpay:
      type: object
      additionalProperties: false
      required: [issuer]
      properties:
        issuer: {type: string}
        type: {type: string, enum: [dotpay], default: dotpay}
    Ideal:
      type: object
      additionalProperties: false
      required: [issuer]
      properties:
        issuer: {type: string}
        type: {type: string, enum: [ideal], default: ideal}
    Card:
      type: object
      additionalProperties: false
      required: [number]
      properties:
        number: {type: string}
        type: {type: string, enum: [scheme], default: scheme}
"""

AMBIGUOUS = {"issuer": "bank"}  # Dotpay and Ideal alike


def _body(**changes: Any) -> dict[str, Any]:
    return {"paymentMethod": {"issuer": "bank", "type": "ideal"}, **changes}


@pytest.mark.parametrize(
    "body",
    [
        _body(paymentMethod=AMBIGUOUS),
        _body(split=[{"issuer": "a", "type": "dotpay"}, AMBIGUOUS]),
        _body(fallback=AMBIGUOUS),
    ],
    ids=["property", "items", "root"],
)
async def test_a_value_valid_under_two_members_is_refused(
    body: dict[str, Any], make_api: MakeApi
) -> None:
    api = make_api(SPEC)
    async with client(api.create_app(allow_unimplemented=True)) as c:
        refused = problem(await c.post("/payments", json=body), 422)
    assert "valid under 2 of its oneOf members" in json.dumps(refused), refused


async def test_a_value_valid_under_one_member_is_taken(make_api: MakeApi) -> None:
    api = make_api(SPEC)
    good = _body(
        split=[{"issuer": "a", "type": "dotpay"}, {"issuer": "b", "type": "ideal"}],
        fallback={"issuer": "c", "type": "dotpay"},
        amount=5,
    )
    async with client(api.create_app(allow_unimplemented=True)) as c:
        for body in (good, _body(paymentMethod={"number": "4111"})):
            answer = await c.post("/payments", json=body)
            assert answer.status_code == 501, answer.text  # valid: on to the (missing) handler


def test_python_values_are_not_checked(make_api: MakeApi) -> None:
    """A handler building a model from Python objects pays nothing for the rule."""
    m = make_api(SPEC).models
    built = m.PaymentRequest.model_validate({"paymentMethod": AMBIGUOUS})
    assert built.paymentMethod.issuer == "bank"
    with pytest.raises(pydantic.ValidationError, match="valid under 2 of its oneOf members"):
        m.PaymentRequest.model_validate_json(json.dumps({"paymentMethod": AMBIGUOUS}))
