"""Request bodies that are files, as apicurio's registry declares them, pass a contract run.

``POST /admin/import`` takes ``application/zip`` (a ``format: binary`` schema): schemathesis
has no serializer for it, and the run ended in an error ("Serialization not possible").
``POST /artifacts`` takes ``*/*`` as a file beside a JSON media type: schemathesis sends the
file as ``application/json``, which only ``*/*`` covers, so the app must read it as bytes.
"""

from __future__ import annotations

from typing import Any

from specfirst.contract import ContractOptions, format_summary, run_contract
from tests.e2e.conftest import GeneratedApi, MakeApi, client, make_api, problem  # noqa: F401

SPEC = """
openapi: 3.0.3
info: {title: Registry, version: 1.0.0}
paths:
  /admin/import:
    post:
      operationId: importData
      requestBody:
        required: true
        content:
          application/zip: {schema: {$ref: '#/components/schemas/FileContent'}}
      responses: {'201': {description: imported}}
  /artifacts:
    post:
      operationId: createArtifact
      requestBody:
        required: true
        content:
          '*/*': {schema: {$ref: '#/components/schemas/FileContent'}}
          application/vnd.create.extended+json:
            schema: {$ref: '#/components/schemas/ArtifactContent'}
      responses:
        '200':
          description: created
          content: {application/json: {schema: {type: string}}}
components:
  schemas:
    FileContent: {type: string, format: binary}
    ArtifactContent:
      type: object
      required: [content]
      properties: {content: {type: string}}
"""


def _registry(make_api: MakeApi) -> tuple[GeneratedApi, Any]:  # noqa: F811
    registry = make_api(SPEC)
    r = registry.responses

    class Registry:
        async def import_data(self, *, body: bytes) -> Any:
            return r.ImportData201Response()

        async def create_artifact(self, *, body: Any) -> Any:
            return r.CreateArtifact200Response(body=f"{type(body).__name__}:{body!r}")

    return registry, registry.create_app(default=Registry())


async def test_the_content_type_picks_the_reading(make_api: MakeApi) -> None:  # noqa: F811
    """`*/*` (a file, declared first) was read as JSON into `bytes`, so JSON documents were
    refused (`Input should be a valid bytes`). The JSON media type is read as JSON, any other
    (application/json too: only `*/*` covers it) as the file's bytes."""
    registry, app = _registry(make_api)
    vnd = {"content-type": "application/vnd.create.extended+json"}
    async with client(app) as c:
        as_json = await c.post("/artifacts", content=b'{"content": "a"}', headers=vnd)
        bad_json = await c.post("/artifacts", content=b"{}", headers=vnd)
        plain_json = await c.post(
            "/artifacts", content=b'""', headers={"content-type": "application/json"}
        )
        as_zip = await c.post(
            "/artifacts", content=b"PK\x03", headers={"content-type": "application/zip"}
        )
    assert as_json.json() == "ArtifactContent:ArtifactContent(content='a')"
    assert [e["pointer"] for e in problem(bad_json, 422)["errors"]] == ["/body/content"]
    assert plain_json.json() == "bytes:b'\"\"'"
    assert as_zip.json() == "bytes:b'PK\\x03'"
    services = (registry.path / "services.py").read_text()
    assert "body: models.ArtifactContent | bytes," in services


def test_file_bodies_are_sent_and_read(make_api: MakeApi) -> None:  # noqa: F811
    registry, app = _registry(make_api)
    result = run_contract(ContractOptions(spec=registry.spec_path, app=app, max_examples=10))
    assert not result.failures and not result.errors, format_summary(result)
    reached = {label for label, op in result.coverage.operations.items() if op.reached_success()}
    assert reached == {"POST /admin/import", "POST /artifacts"}, format_summary(result)
