"""A "negative" body that only a discriminator's value refuses (cdcgov's prime-data-hub).

schemathesis pins each ``oneOf``/``anyOf`` member of a request schema with a ``discriminator``
to the value that names it, so an item whose ``type`` names no member is invalid to it. OpenAPI
3.0.4 and 3.1.1 say a discriminator MUST NOT change the validation outcome, and the app reads
such a union as JSON Schema does where a member does not require the property (prime-data-hub's
``RedoxConfiguration: {}`` admits any object, ``type: STANDARD_HL7`` included). The run notes
these and does not count them.
"""

from __future__ import annotations

from typing import Any

from specfirst.contract import ContractOptions, format_summary, run_contract
from specfirst.contract.excuses import _unpinned
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.0.3
info: {title: Hub, version: 1.0.0}
paths:
  /receivers/{name}:
    put:
      operationId: putReceiver
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Receiver'}
      responses:
        '200': {description: stored, content: {text/plain: {schema: {type: string}}}}
        '400': {description: bad request}
components:
  schemas:
    Receiver:
      type: object
      required: [name]
      properties:
        name: {type: string}
        translations:
          type: array
          items:
            anyOf:
              - $ref: '#/components/schemas/Custom'
              - $ref: '#/components/schemas/Other'
            discriminator: {propertyName: type}
    Custom:
      type: object
      required: [type, transport]
      properties:
        type: {type: string}
        transport: {type: string, enum: [sftp, blob]}
    Other: {}
"""


def test_a_negative_body_only_a_discriminator_refuses_is_noted(make_api: MakeApi) -> None:  # noqa: F811
    hub = make_api(SPEC)

    class Hub:
        async def put_receiver(self, *, name: str, body: Any) -> Any:
            return hub.responses.PutReceiver200Response(body=name)

    result = run_contract(
        ContractOptions(
            spec=hub.spec_path,
            app=hub.create_app(default=Hub()),
            checks=("negative_data_rejection",),
            phases=("coverage",),
            max_examples=10,
        )
    )
    summary = format_summary(result)
    assert not result.failures, summary
    assert "not counted: the body is valid under its schema; only a discriminator" in summary
    assert set(result.noted) == {"discriminator-only"}, summary


def test_only_the_pins_schemathesis_adds_are_taken_away() -> None:
    pin = {"properties": {"type": {"enum": ["Custom"]}}}
    pinned = {
        "discriminator": {"propertyName": "type"},
        "anyOf": [
            {"allOf": [{"$ref": "#/x-bundled/a"}, pin]},
            {"allOf": [{"$ref": "#/x-bundled/b"}, {"properties": {"kind": {"enum": ["b"]}}}]},
            {"allOf": [{"$ref": "#/x-bundled/c"}, {**pin, "required": ["type"]}]},
        ],
    }
    assert _unpinned({"items": pinned})["items"]["anyOf"] == [
        {"$ref": "#/x-bundled/a"},  # the pin of the discriminator's property
        pinned["anyOf"][1],  # another property: the spec's own
        pinned["anyOf"][2],  # more than a pin
    ]
    # no discriminator beside it: the spec's own allOf
    assert _unpinned({"anyOf": pinned["anyOf"]}) == {"anyOf": pinned["anyOf"]}
