"""A property whose ``$ref``'d component is readOnly (or writeOnly) as a whole (apideck).

apideck's ``Customer`` requires ``id: {$ref: Id}``, ``Id`` being ``{type: string, readOnly:
true}``. A readOnly flag applies to a property whatever way it reaches it: the contract run
(schemathesis) sends no ``id``, and the request model, which took only an inline ``readOnly:
true`` for one, required it: every ``POST /accounting/customers`` was refused "Field
required". The same holds behind a chain of references, an ``allOf`` wrapper or a nullable
union, and for writeOnly in responses; and the example stubs' synthesized bodies agree.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from specfirst.examples.synthesize import Schemas, synthesize
from tests.e2e.conftest import GeneratedApi, MakeApi, client, problem

SPEC = """
openapi: 3.0.3
info: {title: Customers, version: 1.0.0}
paths:
  /customers:
    post:
      operationId: addCustomer
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Customer'}}}
      responses:
        '201':
          description: made
          content: {application/json: {schema: {$ref: '#/components/schemas/Customer'}}}
        '422': {description: invalid}
components:
  schemas:
    Id: {type: string, readOnly: true}
    CustomerId: {$ref: '#/components/schemas/Id'}
    CreatedAt: {type: string, format: date-time, nullable: true, readOnly: true}
    Password: {type: string, writeOnly: true}
    Customer:
      type: object
      additionalProperties: false
      required: [id, name, password, reference]
      properties:
        id: {$ref: '#/components/schemas/Id'}
        reference: {$ref: '#/components/schemas/CustomerId'}
        created_at:
          allOf: [{$ref: '#/components/schemas/CreatedAt'}]
          description: when
        name: {type: string}
        password: {$ref: '#/components/schemas/Password'}
"""


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


async def test_a_referenced_read_only_property_is_a_responses_only(api: GeneratedApi) -> None:
    m = api.models

    class Customers:
        async def add_customer(self, *, body: Any) -> Any:
            return m.CustomerResponse(id="c-1", reference="r-1", name=body.name)

    async with client(api.create_app(default=Customers())) as c:
        made = await c.post("/customers", json={"name": "Ada", "password": "s"})
        missing = await c.post("/customers", json={"password": "s"})
    assert made.status_code == 201, made.text
    assert made.json() == {"id": "c-1", "reference": "r-1", "name": "Ada"}
    assert [e["pointer"] for e in problem(missing, 422)["errors"]] == ["/body/name"]
    assert {"id", "reference", "created_at"}.isdisjoint(m.CustomerRequest.model_fields)
    assert m.CustomerRequest.model_fields["password"].is_required()
    assert m.CustomerResponse.model_fields["id"].is_required()
    assert m.CustomerResponse.model_fields["reference"].is_required()
    assert "created_at" in m.CustomerResponse.model_fields
    assert "password" not in m.CustomerResponse.model_fields


def test_synthesized_bodies_leave_out_what_the_role_may_not_carry(api: GeneratedApi) -> None:
    schemas = Schemas(yaml.safe_load(SPEC))
    customer = {"$ref": "#/components/schemas/Customer"}
    request = synthesize(customer, schemas, response=False)
    response = synthesize(customer, schemas)
    assert sorted(request) == ["name", "password"], request
    assert sorted(response) == ["created_at", "id", "name", "reference"], response
    api.models.CustomerRequest.model_validate(request)
    api.models.CustomerResponse.model_validate(response)
