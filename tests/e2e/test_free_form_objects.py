"""An object schema that names no properties is free-form: its members are kept.

``{type: object}`` with no ``properties`` and no ``additionalProperties`` admits any object
(JSON Schema's default is ``additionalProperties: true``). datamodel-code-generator makes it a
model with no fields, which pydantic's default (extra members ignored) reads as ``{}``: a
request body's data was lost before the handler saw it, and a handler's answer went out empty.
It is generated as ``additionalProperties: true`` is: a model that keeps its members.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import MakeApi, client

SPEC = """
openapi: 3.0.3
info: {title: Settings, version: "1"}
paths:
  /settings:
    put:
      operationId: putSettings
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Settings"}}}
      responses:
        "200":
          description: Stored
          content: {application/json: {schema: {$ref: "#/components/schemas/Settings"}}}
  /notes:
    post:
      operationId: postNote
      requestBody:
        required: true
        content: {application/json: {schema: {type: object}}}
      responses:
        "200":
          description: Stored
          content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}
components:
  schemas:
    Settings: {type: object, description: Any settings.}
    Note:
      type: object
      required: [text]
      properties:
        text: {type: string}
        meta: {type: object}
"""


async def test_a_free_form_body_and_answer_keep_their_members(make_api: MakeApi) -> None:
    api = make_api(SPEC)
    seen: list[Any] = []

    class Service:
        async def put_settings(self, *, body: Any) -> Any:
            seen.append(body.model_dump())
            return body

        async def post_note(self, *, body: Any) -> Any:
            seen.append(body.model_dump())
            return api.models.Note(text="t", meta={"by": "me", "n": 2})

    settings = {"theme": "dark", "size": {"w": 3}, "tags": ["a"]}
    async with client(api.create_app(default=Service())) as c:
        stored = await c.put("/settings", json=settings)
        note = await c.post("/notes", json={"text": "hi", "x": 1})
    assert stored.status_code == 200, stored.text
    assert stored.json() == settings
    assert note.status_code == 200, note.text
    assert note.json() == {"text": "t", "meta": {"by": "me", "n": 2}}
    assert seen == [settings, {"text": "hi", "x": 1}]
