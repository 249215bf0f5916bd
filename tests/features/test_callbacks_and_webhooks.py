"""Webhooks and callbacks: typed payloads and typed async senders (httpx).

A sender checks its payload against the spec, adds the operation's declared parameters and the
credentials of a security requirement, and sends it. The receiver here is an in-process
Starlette app that records what arrives (httpx's ASGI transport).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import typing
import uuid
from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.e2e.conftest import GeneratedApi, MakeApi, client, generate_package

SPEC = """
openapi: 3.1.0
info: {title: Hooks, version: "1"}
paths:
  /subscriptions:
    post:
      operationId: subscribe
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [url]
              properties: {url: {type: string, format: uri}, topic: {type: string}}
      callbacks:
        onEvent:
          "{$request.body#/url}?topic={$request.body#/topic}":
            post:
              parameters:
                - {name: X-Delivery, in: header, required: true, schema: {type: string, format: uuid}}
                - {name: attempt, in: query, schema: {type: integer}}
              security: [{hookKey: []}]
              requestBody:
                required: true
                content: {application/json: {schema: {$ref: "#/components/schemas/Event"}}}
              responses: {"200": {description: ok}}
      responses: {"201": {description: subscribed}}
webhooks:
  newPet:
    post:
      operationId: petAdded
      security: [{bearer: []}, {basic: []}]
      parameters:
        - {name: X-Signature, in: header, required: true, schema: {type: string}}
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
      responses: {"200": {description: ok}}
  petGone:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, required: [id], properties: {id: {type: integer}}}
      responses: {"200": {description: ok}}
  event:
    put:
      operationId: eventSeen
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/Event"}}}
      responses: {"200": {description: ok}}
components:
  securitySchemes:
    hookKey: {type: apiKey, in: header, name: X-Hook-Key}
    bearer: {type: http, scheme: bearer}
    basic: {type: http, scheme: basic}
  schemas:
    Event:
      type: object
      required: [id, kind]
      properties: {id: {type: integer}, kind: {type: string, enum: [created, deleted]}}
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        tag: {type: string}
"""


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


class Receiver:
    """An in-process app that records every request it receives."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []

        async def record(request: Request) -> Response:
            self.received.append(
                {
                    "method": request.method,
                    "path": request.url.path,
                    "query": dict(request.query_params),
                    "headers": dict(request.headers),
                    "body": await request.body(),
                }
            )
            return Response(status_code=200)

        app = Starlette(routes=[Route("/{path:path}", record, methods=["POST", "PUT"])])
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))


def test_webhook_payload_types(api: GeneratedApi) -> None:
    hooks = importlib.import_module(f"{api.name}.webhooks")
    # A webhook carries what the API sends out: readOnly properties included.
    assert hooks.PetAddedWebhook is api.models.PetResponse
    assert hooks.EventSeenWebhook is api.models.Event
    assert set(hooks.WEBHOOKS) == {"newPet", "petGone", "event"}
    gone = hooks.parse(hooks.PetGoneWebhook, b'{"id": 3}')
    assert gone.id == 3 and type(gone).__name__ == "PetGonePayload"
    with pytest.raises(ValidationError):
        hooks.parse(hooks.EventSeenWebhook, b'{"id": 1, "kind": "eaten"}')
    assert typing.get_type_hints(hooks.parse)["raw"] == bytes | str


async def test_webhook_sender_sends_payload_headers_and_credentials(api: GeneratedApi) -> None:
    hooks = importlib.import_module(f"{api.name}.webhooks")
    receiver = Receiver()
    pet = api.models.PetResponse(id=1, name="Rex")
    async with receiver.client:
        res = await hooks.send_pet_added(
            "http://receiver/pets", pet, x_signature="sig", bearer="t0k", client=receiver.client
        )
        await hooks.send_pet_added(
            "http://receiver/pets", pet, x_signature="s", basic=("u", "p"), client=receiver.client
        )
        await hooks.send_event_seen("http://receiver/e", client=receiver.client)
    assert res.status_code == 200
    first, second, third = receiver.received
    assert first["method"] == "POST" and first["path"] == "/pets"
    assert first["body"] == b'{"id":1,"name":"Rex"}'  # the unset optional tag is not sent
    assert first["headers"]["content-type"] == "application/json"
    assert first["headers"]["x-signature"] == "sig"
    assert first["headers"]["authorization"] == "Bearer t0k"
    assert second["headers"]["authorization"] == "Basic dTpw"
    assert third["method"] == "PUT" and third["body"] == b""


async def test_sender_refuses_invalid_payloads_and_missing_credentials(api: GeneratedApi) -> None:
    hooks = importlib.import_module(f"{api.name}.webhooks")
    receiver = Receiver()
    senders = importlib.import_module(f"{api.name}._runtime.senders")
    bad = api.models.PetResponse.model_construct(id="one", name="Rex")  # never validated
    async with receiver.client:
        with pytest.raises(senders.PayloadError, match="/id"):
            await hooks.send_pet_added(
                "http://receiver/pets", bad, x_signature="s", bearer="t", client=receiver.client
            )
        with pytest.raises(senders.CredentialsError, match="bearer or basic"):
            await hooks.send_pet_added(
                "http://receiver/pets",
                api.models.PetResponse(id=1, name="Rex"),
                x_signature="s",
                client=receiver.client,
            )
    assert receiver.received == []  # nothing left the process


async def test_callback_url_and_sender_from_an_implementation(api: GeneratedApi) -> None:
    callbacks = importlib.import_module(f"{api.name}.callbacks")
    m = api.models
    receiver = Receiver()
    delivery = uuid.UUID("12345678-1234-5678-1234-567812345678")

    class Service:
        async def subscribe(self, *, body: Any) -> None:
            url = callbacks.subscribe_on_event_url(request_body=body)
            await callbacks.send_subscribe_on_event(
                url,
                m.Event(id=5, kind="created"),
                x_delivery=delivery,
                attempt=1,
                hook_key="k3y",
                client=receiver.client,
            )

    async with receiver.client, client(api.create_app(default=Service())) as c:
        res = await c.post("/subscriptions", json={"url": "http://receiver/hook", "topic": "pets"})
    assert res.status_code == 201
    (sent,) = receiver.received
    assert sent["method"] == "POST" and sent["path"] == "/hook"
    assert sent["query"] == {"topic": "pets", "attempt": "1"}
    assert sent["headers"]["x-delivery"] == str(delivery)
    assert sent["headers"]["x-hook-key"] == "k3y"
    assert sent["body"] == b'{"id":5,"kind":"created"}'
    hints = typing.get_type_hints(callbacks.send_subscribe_on_event, localns={"httpx": httpx})
    assert hints["payload"] is m.Event
    assert typing.get_type_hints(callbacks.subscribe_on_event_url)["request_body"] is (
        m.SubscribeRequest
    )


def test_callbacks_are_no_longer_reported(tmp_path: typing.Any) -> None:
    from specfirst.pipeline import generate

    spec = tmp_path / "hooks.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    result = generate(spec, tmp_path / "out", cache_dir=None, force=True)
    assert result.ok
    notes = [d.format() for d in result.diagnostics if d.rule == "unsupported"]
    assert not any("callback" in n for n in notes), notes


PLAIN = """
openapi: 3.1.0
info: {title: Plain, version: "1"}
paths:
  /ping:
    get:
      operationId: ping
      responses: {"204": {description: pong}}
"""

_WITHOUT_HTTPX = """
import sys
sys.modules["httpx"] = None  # any `import httpx` now fails
import {name}
{name}.create_app(allow_unimplemented=True)
{extra}
print("ok")
"""


def test_httpx_is_needed_only_to_send(tmp_path: typing.Any, api: GeneratedApi) -> None:
    plain = generate_package(PLAIN, tmp_path)
    for package, extra in (
        (plain, ""),
        # A package with webhooks imports and serves without httpx; sending says what is missing.
        (
            api,
            f"import asyncio, {api.name}.webhooks as w\n"
            "try:\n"
            "    asyncio.run(w.send_event_seen('http://127.0.0.1:9/'))\n"
            "except RuntimeError as exc:\n"
            "    assert 'needs httpx' in str(exc), exc\n",
        ),
    ):
        code = _WITHOUT_HTTPX.format(name=package.name, extra=extra)
        proc = subprocess.run(
            [sys.executable, "-c", code],
            cwd=package.root,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_httpx_is_a_runtime_requirement_only_with_senders(tmp_path: typing.Any) -> None:
    from specfirst.pipeline import build_api
    from specfirst.vendor import runtime_requirements

    for name, text, wanted in (("hooks.yaml", SPEC, True), ("plain.yaml", PLAIN, False)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        api, _diagnostics = build_api(path)
        assert api is not None
        assert any(r.startswith("httpx") for r in runtime_requirements(api)) is wanted


SPEC_32 = """
openapi: 3.2.0
info: {title: Hooks 3.2, version: "1"}
paths:
  /watch:
    post:
      operationId: watch
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, required: [url], properties: {url: {type: string}}}}}
      callbacks:
        changed:
          "{$request.body#/url}":
            query:
              requestBody:
                content: {application/json: {schema: {type: object, properties: {q: {type: string}}}}}
              responses: {"200": {description: ok}}
      responses: {"204": {description: watching}}
webhooks:
  cache:
    parameters:
      - {name: X-Zone, in: header, required: true, schema: {type: string}}
    additionalOperations:
      PURGE:
        operationId: purgeCache
        responses: {"200": {description: ok}}
"""


async def test_openapi_32_methods_are_sent(make_api: MakeApi) -> None:
    api = make_api(SPEC_32)
    hooks = importlib.import_module(f"{api.name}.webhooks")
    callbacks = importlib.import_module(f"{api.name}.callbacks")
    receiver = Receiver()

    async def record(request: Request) -> Response:
        receiver.received.append({"method": request.method, "headers": dict(request.headers)})
        return Response(status_code=200)

    app = Starlette(routes=[Route("/{path:path}", record, methods=["PURGE", "QUERY"])])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as c:
        # A path-item parameter applies to its additionalOperations too.
        await hooks.send_purge_cache("http://receiver/cache", x_zone="eu", client=c)
        url = callbacks.watch_changed_url(request_body=api.models.WatchRequest(url="http://r/x"))
        await callbacks.send_watch_changed(url, api.models.WatchChangedPayload(q="a"), client=c)
    purge, query = receiver.received
    assert purge["method"] == "PURGE" and purge["headers"]["x-zone"] == "eu"
    assert query["method"] == "QUERY"
