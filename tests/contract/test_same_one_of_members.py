"""A ``oneOf`` whose members differ only in annotations (digitallocker.gov.in's authpartner).

digitallocker declares the 400 of ``POST /oauth2/1/code`` as a ``oneOf`` of four objects with
the same two string properties, ``error`` and ``error_description``, which differ only in their
descriptions. Every object is valid under all four and nothing else under any, so no answer
satisfies the ``oneOf``: the run notes such a failure and does not count it. A ``oneOf`` whose
members really differ is still checked.
"""

from __future__ import annotations

from typing import Any

from specfirst.contract import ContractOptions, format_summary, run_contract
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.0.2
info: {title: Codes, version: 1.0.0}
paths:
  /codes:
    post:
      operationId: getCode
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {client_id: {type: string}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
        '400':
          description: Bad Request
          content:
            application/json:
              schema:
                oneOf:
                  - $ref: '#/components/schemas/InvalidClient'
                  - $ref: '#/components/schemas/InvalidMobile'
  /other:
    post:
      operationId: getOther
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {client_id: {type: string}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
        '400':
          description: Bad Request
          content:
            application/json:
              schema:
                oneOf:
                  - $ref: '#/components/schemas/InvalidClient'
                  - {type: object, properties: {error: {type: string}}}
components:
  schemas:
    InvalidClient:
      type: object
      properties:
        error: {type: string, description: invalid_client}
        error_description: {type: string, description: The client is invalid}
    InvalidMobile:
      title: Mobile
      type: object
      properties:
        error: {type: string, description: invalid_mobile, example: invalid_mobile}
        error_description: {type: string, description: The mobile is invalid}
"""


def test_a_one_of_of_the_same_members_is_noted(make_api: MakeApi) -> None:  # noqa: F811
    codes = make_api(SPEC)
    problem = codes.package.ProblemError

    class Codes:
        async def get_code(self, *, body: Any) -> Any:
            raise problem(400, "The client is invalid", title="invalid_client")

        async def get_other(self, *, body: Any) -> Any:
            raise problem(400, "The client is invalid", title="invalid_client")

    result = run_contract(
        ContractOptions(
            spec=codes.spec_path,
            app=codes.create_app(default=Codes()),
            checks=("response_schema_conformance",),
            max_examples=5,
        )
    )
    summary = format_summary(result)
    # members that really differ (one lacks error_description) are still the answer's fault
    assert [(f.operation_id, f.title) for f in result.failures] == [
        ("getOther", "Response violates schema")
    ], summary
    assert (
        "note: POST /codes: response_schema_conformance not counted: the answer is valid under "
        "all 2 members of the declared oneOf, which differ only in annotations (descriptions, "
        "examples), so no value is valid under exactly one of them: no server can satisfy it"
    ) in summary
    assert not any("/other" in note for note in result.notes), summary
    assert result.noted == {"same-one-of": 1} and "noted, not counted: same-one-of 1" in summary
