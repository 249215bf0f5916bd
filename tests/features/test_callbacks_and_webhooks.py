"""Callbacks are validated and reported; 3.1 webhooks become typed payload models."""

from __future__ import annotations

import typing

import pytest
from pydantic import ValidationError

from tests.e2e.conftest import GeneratedApi, MakeApi, client

SPEC = """
openapi: 3.1.0
info: {title: Hooks, version: "1"}
paths:
  /subscriptions:
    post:
      operationId: subscribe
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, required: [url], properties: {url: {type: string, format: uri}}}}}
      callbacks:
        onEvent:
          "{$request.body#/url}":
            post:
              requestBody:
                content: {application/json: {schema: {$ref: "#/components/schemas/Event"}}}
              responses: {"200": {description: ok}}
      responses: {"201": {description: subscribed}}
webhooks:
  newPet:
    post:
      operationId: petAdded
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/Event"}}}
      responses: {"200": {description: ok}}
  petGone:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, required: [id], properties: {id: {type: integer}}}
      responses: {"200": {description: ok}}
components:
  schemas:
    Event:
      type: object
      required: [id, kind]
      properties: {id: {type: integer}, kind: {type: string, enum: [created, deleted]}}
"""


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


def test_webhook_payload_types(api: GeneratedApi) -> None:
    import importlib

    hooks = importlib.import_module(f"{api.name}.webhooks")
    assert hooks.PetAddedWebhook is api.models.Event
    assert set(hooks.WEBHOOKS) == {"newPet", "petGone"}
    gone = hooks.parse(hooks.PetGoneWebhook, b'{"id": 3}')
    assert gone.id == 3 and type(gone).__name__ == "PetGonePayload"
    with pytest.raises(ValidationError):
        hooks.parse(hooks.PetAddedWebhook, b'{"id": 1, "kind": "eaten"}')
    assert typing.get_type_hints(hooks.parse)["raw"] == bytes | str


async def test_operation_with_callbacks_is_served(api: GeneratedApi) -> None:
    class Service:
        async def subscribe(self, *, body: object) -> None:
            return None

    async with client(api.create_app(default=Service())) as c:
        res = await c.post("/subscriptions", json={"url": "https://example.com/hook"})
    assert res.status_code == 201


def test_callbacks_are_reported(tmp_path: typing.Any) -> None:
    from specfirst.pipeline import generate

    spec = tmp_path / "hooks.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    result = generate(spec, tmp_path / "out", cache_dir=None, force=True)
    assert result.ok
    notes = [d.format() for d in result.diagnostics if d.rule == "unsupported"]
    assert any(
        "hooks.yaml:" in n
        and "callbacks 'onEvent' of 'subscribe' are validated and documented, not sent" in n
        for n in notes
    ), notes
