"""A response media type the spec declares that is not one (truora.com's ``PDF``).

truora declares ``GET /v1/checks/{check_id}/pdf`` as answering ``content: {PDF: {}}``. The
app sends the declared ``Content-Type: PDF``; schemathesis cannot parse it ("Malformed media
type", "Media type for Schema is incorrect") and fails every answer. The fault is the spec's:
the run notes it and does not count it, and lint rule ``media-type-valid`` names it.
"""

from __future__ import annotations

from typing import Any

import yaml

from specfirst.contract import ContractOptions, format_summary, run_contract
from specfirst.contract.document import as_the_app_reads
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.0.3
info: {title: Checks, version: 1.0.0}
paths:
  /checks/{check_id}/pdf:
    get:
      operationId: getPDF
      parameters:
        - {name: check_id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: the PDF, content: {PDF: {}}}
  /checks/{check_id}/report:
    get:
      operationId: getReport
      parameters:
        - {name: check_id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: the PDF, content: {application/pdf: {}}}
"""


def test_a_declared_media_type_that_is_not_one_is_noted(make_api: MakeApi) -> None:  # noqa: F811
    checks = make_api(SPEC)

    class Checks:
        async def get_pdf(self, *, check_id: str) -> Any:
            return checks.responses.GetPDF200Response(body=b"%PDF-1.4")

        async def get_report(self, *, check_id: str) -> Any:
            return checks.responses.GetReport200Response(body=b"%PDF-1.4", media_type="PDF")

    result = run_contract(
        ContractOptions(
            spec=checks.spec_path,
            app=checks.create_app(default=Checks()),
            checks=("content_type_conformance",),
            max_examples=5,
        )
    )
    summary = format_summary(result)
    # the app's own malformed media type still fails; only the spec's is noted
    assert [(f.operation_id, f.title) for f in result.failures] == [
        ("getReport", "Malformed media type")
    ], summary
    assert (
        "note: GET /checks/{check_id}/pdf: content_type_conformance not counted: the spec "
        "declares the response media type 'PDF', which is not type/subtype (lint rule "
        "media-type-valid), so no answer can be compared with it"
    ) in summary


SCHEMA_SPEC = """
openapi: 3.0.3
info: {title: Promotions, version: 1.0.0}
paths:
  /promotions/{id}:
    get:
      operationId: getPromotion
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: the promotion
          content:
            Promotion:
              schema: {$ref: '#/components/schemas/Promotion'}
  /taxes/{id}:
    get:
      operationId: getTax
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: the tax
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Promotion'}
components:
  schemas:
    Promotion:
      type: object
      properties:
        name: {type: string}
"""


def test_a_declared_media_type_that_is_not_one_with_a_schema_is_noted(
    make_api: MakeApi,  # noqa: F811
) -> None:
    # vtex.local's Promotions API declares `GET …/calculatorconfiguration/{id}` as answering
    # `content: {Promotion: {schema: …}}`. The app sends the declared `Content-Type: Promotion`;
    # response_schema_conformance cannot deserialize it ("Content deserialization error:
    # Malformed media type") and failed the operation's every answer.
    promotions = make_api(SCHEMA_SPEC)
    r = promotions.responses

    class Promotions:
        async def get_promotion(self, *, id: str) -> Any:
            return r.GetPromotion200Response(body=b'{"name": "p"}')  # raw: no JSON media

        async def get_tax(self, *, id: str) -> Any:
            return r.GetTax200Response(body=promotions.models.Promotion(name="t"))

    result = run_contract(
        ContractOptions(
            spec=promotions.spec_path,
            app=promotions.create_app(default=Promotions()),
            checks=("response_schema_conformance",),
            max_examples=5,
        )
    )
    summary = format_summary(result)
    assert result.failures == [], summary
    assert not any("/taxes/" in note for note in result.notes), summary
    assert (
        "note: GET /promotions/{id}: response_schema_conformance not counted: the spec "
        "declares the response media type 'Promotion', which is not type/subtype (lint rule "
        "media-type-valid), so no answer can be compared with it"
    ) in summary


REQUEST_SPEC = """
openapi: 3.0.3
info: {title: Meal plans, version: 1.0.0}
paths:
  /plans/{username}/items/{id}:
    delete:
      operationId: deleteFromMealPlan
      parameters:
        - {name: username, in: path, required: true, schema: {type: string}}
        - {name: id, in: path, required: true, schema: {type: number}}
      requestBody:
        required: true
        content:
          '':
            schema:
              type: object
              required: [username, id]
              properties: {username: {type: string}, id: {type: number}}
      responses: {'200': {description: deleted}}
  /plans/{username}/items:
    post:
      operationId: addToMealPlan
      parameters:
        - {name: username, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          '': {schema: {type: string}}
          application/json:
            schema:
              type: object
              properties: {value: {type: string}}
      responses: {'200': {description: added}}
"""


def test_a_request_media_type_that_is_not_one_is_sent_as_the_app_reads_it(
    make_api: MakeApi,  # noqa: F811
) -> None:
    # spoonacular declares its meal planner's DELETE bodies under the empty key (`content:
    # {'': {schema: …}}`). schemathesis refused each such operation ("Schema Error: Malformed
    # media type"), so the run sent nothing and the gate failed it ("got no response at
    # all"). The app reads a body declared so as the bytes sent, under any Content-Type: the
    # run sends bytes; beside a media type the app reads, the run leaves it out.
    document = yaml.safe_load(REQUEST_SPEC)
    read = as_the_app_reads(document)
    assert read is not None
    deleted = read["paths"]["/plans/{username}/items/{id}"]["delete"]["requestBody"]
    assert deleted["content"] == {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
    }
    added = read["paths"]["/plans/{username}/items"]["post"]["requestBody"]
    assert list(added["content"]) == ["application/json"]
    plans = make_api(REQUEST_SPEC)

    result = run_contract(
        ContractOptions(
            spec=plans.spec_path, app=plans.create_app(allow_unimplemented=True), max_examples=5
        )
    )
    summary = format_summary(result)
    assert result.ok, summary
    assert result.coverage.implemented() == (0, 2), summary
    assert (
        "note: not sent: DELETE /plans/{username}/items/{id}: request body as '' (not a media "
        "type: sent as application/octet-stream, the bytes the app reads under any "
        "Content-Type)"
    ) in summary
    assert (
        "note: not sent: POST /plans/{username}/items: request body as '' (not a media type, "
        "lint rule media-type-valid; read as application/json)"
    ) in summary
