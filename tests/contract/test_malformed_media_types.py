"""A response media type the spec declares that is not one (truora.com's ``PDF``).

truora declares ``GET /v1/checks/{check_id}/pdf`` as answering ``content: {PDF: {}}``. The
app sends the declared ``Content-Type: PDF``; schemathesis cannot parse it ("Malformed media
type", "Media type for Schema is incorrect") and fails every answer. The fault is the spec's:
the run notes it and does not count it, and lint rule ``media-type-valid`` names it.
"""

from __future__ import annotations

from typing import Any

from specfirst.contract import ContractOptions, format_summary, run_contract
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
