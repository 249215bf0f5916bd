"""Required headers of a declared error response, on the runtime's own answers.

Berlin Group style APIs (openbankingproject.ch) declare every error response with a required
``X-Request-ID`` header, the correlation id the client sent. The runtime's answers (a 400 for
an invalid request, the 501 of a stub …) left it out, so each failed the contract's
``response_headers_conformance``. Such an answer now carries the request's own header of that
name, else a schema-valid value (the header's example, else one built from its schema); a
header the answer sets itself (a raised problem's) is kept. The same responses declare
``application/problem+json`` with a schema (a required ``code``) beside ``application/json``:
the runtime's problem documents are conformed to that schema.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import GeneratedApi, MakeApi, client, problem

pytestmark = pytest.mark.filterwarnings("error")

SPEC = """
openapi: 3.0.3
info: {title: Consents, version: '1'}
paths:
  /consents/{consentId}:
    delete:
      operationId: deleteConsent
      parameters:
        - {name: consentId, in: path, required: true, schema: {type: string}}
        - {name: X-Request-ID, in: header, required: true, schema: {type: string, format: uuid}}
        - {name: PSU-Geo-Location, in: header, schema: {type: string, pattern: '^GEO:[0-9]+$'}}
      responses:
        '204':
          description: Deleted
          headers:
            X-Request-ID: {$ref: '#/components/headers/X-Request-ID'}
        '400':
          description: Bad request
          headers:
            X-Request-ID: {$ref: '#/components/headers/X-Request-ID'}
            X-Trace: {required: true, schema: {type: integer, minimum: 7}}
            X-Optional: {schema: {type: string}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/LegacyError'}
            application/problem+json:
              schema: {$ref: '#/components/schemas/Error400'}
        '404':
          description: Not found
          headers:
            X-Request-ID: {$ref: '#/components/headers/X-Request-ID'}
components:
  schemas:
    LegacyError:
      type: object
      required: [tppMessages]
      properties: {tppMessages: {type: array, items: {type: string}}}
    Error400:
      type: object
      required: [type, code]
      properties:
        type: {type: string}
        title: {type: string}
        detail: {type: string}
        code: {type: string, enum: [FORMAT_ERROR, PARAMETER_NOT_SUPPORTED]}
  headers:
    X-Request-ID:
      required: true
      example: 99391c7e-ad88-49ec-a2ad-99ddcb1f7721
      schema: {type: string, format: uuid}
"""

SENT = "0d9fbd8a-3c3c-4a9e-8d2a-2d4c4b1f0a11"


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


async def test_a_validation_answer_echoes_the_request_header_of_that_name(
    api: GeneratedApi,
) -> None:
    async with client(api.create_app(allow_unimplemented=True)) as c:
        response = await c.delete(
            "/consents/1", headers={"X-Request-ID": SENT, "PSU-Geo-Location": "nowhere"}
        )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    # problem+json is declared beside application/json with a schema of its own: the
    # problem document is conformed to it (its required code), not sent as is
    assert body["code"] == "FORMAT_ERROR"
    assert response.headers["X-Request-ID"] == SENT
    assert response.headers["X-Trace"] == "7"  # built from the schema: the minimum
    assert "X-Optional" not in response.headers


async def test_without_the_request_header_the_example_is_sent(api: GeneratedApi) -> None:
    async with client(api.create_app(allow_unimplemented=True)) as c:
        response = await c.delete("/consents/1")  # X-Request-ID missing: a 400
    assert response.status_code == 400, response.text
    assert response.headers["X-Request-ID"] == "99391c7e-ad88-49ec-a2ad-99ddcb1f7721"


async def test_a_header_the_raised_problem_sets_is_kept(api: GeneratedApi) -> None:
    class Consents:
        async def delete_consent(self, **_: Any) -> Any:
            raise api.package.ProblemError(404, "gone", headers={"X-Request-ID": "raised"})

    async with client(api.create_app(default=Consents())) as c:
        response = await c.delete("/consents/1", headers={"X-Request-ID": SENT})
    problem(response, 404)
    assert response.headers["X-Request-ID"] == "raised"
