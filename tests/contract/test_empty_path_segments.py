"""A path with an empty segment is sent as written (tomtom's maps).

tomtom declares ``GET /map/{versionNumber}/wms/`` (GetMap) beside ``GET
/map/{versionNumber}/wms//`` (GetCapabilities). schemathesis joined paths to the base URL with
``urljoin``, which drops empty segments: every GetCapabilities request reached GetMap, which
rejected its query (a schema-valid request rejected, no 2xx ever).
"""

from __future__ import annotations

from typing import Any

from specfirst.contract import ContractOptions, format_summary, run_contract
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.0.3
info: {title: Maps, version: 1.0.0}
paths:
  /wms/:
    get:
      operationId: getMap
      parameters: [{name: op, in: query, required: true, schema: {type: string, enum: [GetMap]}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {type: string}}}}}
  /wms//:
    get:
      operationId: getCapabilities
      parameters:
        - {name: op, in: query, required: true, schema: {type: string, enum: [GetCapabilities]}}
      responses: {'200': {description: ok, content: {application/json: {schema: {type: string}}}}}
"""


def test_a_path_ending_in_an_empty_segment_is_sent_as_written(make_api: MakeApi) -> None:  # noqa: F811
    vendor = make_api(SPEC)

    class Maps:
        async def get_map(self, *, op: str) -> Any:
            return vendor.responses.GetMap200Response(body="map")

        async def get_capabilities(self, *, op: str) -> Any:
            return vendor.responses.GetCapabilities200Response(body="capabilities")

    app = vendor.create_app(default=Maps())
    result = run_contract(ContractOptions(spec=vendor.spec_path, app=app, max_examples=5))
    assert result.ok, format_summary(result)
