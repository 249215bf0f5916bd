"""A contract run on an implemented operation whose body has ``format: email`` and ``uri`` fields.

Seen on held-out specs (ndhm-gateway, flat.io): those fields were plain ``str`` and nothing
checked them, so schemathesis' ``negative_data_rejection`` sent a body whose ``email`` held no
address (even ``""``) and the server answered 201. The fields are now checked as schemathesis
judges them, and the values it sends as valid (``x@host.test``) still pass
(``positive_data_acceptance``).
"""

from __future__ import annotations

from typing import Any

import pytest

from specfirst.contract import ContractOptions, format_summary, run_contract
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: {openapi}
info: {{title: Contacts, version: 1.0.0}}
paths:
  /contacts:
    post:
      operationId: createContact
      requestBody:
        required: true
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/Contact'}}
      responses:
        '201': {{$ref: '#/components/responses/Created'}}
        '422': {{$ref: '#/components/responses/Invalid'}}
  /invitations:
    post:
      operationId: invite
      parameters:
        - {{name: notify, in: query, schema: {{type: string, format: email}}}}
        - {{name: X-Site, in: header, schema: {{type: string, format: hostname}}}}
      responses:
        '201': {{$ref: '#/components/responses/Created'}}
        '422': {{$ref: '#/components/responses/Invalid'}}
components:
  schemas:
    Contact:
      type: object
      required: [email, homepage]
      properties:
        email: {{type: string, format: email}}
        homepage: {{type: string, format: uri}}
        aliases: {{type: array, items: {{type: string, format: idn-email}}}}
        kind: {{type: string, enum: [person, team], nullable: true}}
      additionalProperties: false
  responses:
    Created:
      description: created
      content:
        application/json:
          schema:
            type: object
            required: [email]
            properties:
              email: {{type: string, format: email}}
    Invalid:
      description: invalid
      content:
        application/problem+json:
          schema: {{type: object}}
"""


@pytest.mark.parametrize("openapi", ["3.0.3", "3.1.0"])
def test_format_violations_are_rejected_and_valid_values_accepted(
    make_api: MakeApi,  # noqa: F811
    openapi: str,
) -> None:
    text = SPEC.format(openapi=openapi)
    if openapi == "3.1.0":  # 3.1 says null with a type list; the enum still leaves it out
        text = text.replace("{type: string, enum: [person, team], nullable: true}", "{type: [string, 'null'], enum: [person, team]}")  # fmt: skip
    contacts = make_api(text)

    class Contacts:
        async def create_contact(self, *, body: Any) -> Any:
            return {"email": body.email}

        async def invite(self, *, notify: Any, x_site: Any) -> Any:
            return {"email": notify or "x@host.test"}

    result = run_contract(
        ContractOptions(
            spec=contacts.spec_path,
            app=contacts.create_app(default=Contacts()),
            checks=("negative_data_rejection", "positive_data_acceptance", "not_a_server_error"),
            phases=("examples", "coverage", "fuzzing"),
            max_examples=40,
        )
    )
    summary = format_summary(result)
    assert not result.failures, summary
