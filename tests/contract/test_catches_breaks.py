"""The contract run catches real breaks, and names the operation and the check.

A small generated API with a correct implementation passes; each test then breaks one thing
on purpose (an undeclared status, a missing required field, a wrong content type, an
unhandled exception, an operation that ignores auth) and the in-process contract run must
fail on exactly that operation with the check that owns the problem.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from specfirst.contract import ContractOptions, ContractResult, format_summary, run_contract
from specfirst.runtime import ProblemError
from tests.e2e.conftest import GeneratedApi, MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.1.0
info: {title: Things, version: 1.0.0}
servers: [{url: /api}]
security: [{bearer: []}]
paths:
  /things:
    post:
      operationId: createThing
      tags: [things]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ThingIn'}
      responses:
        '201':
          description: Created.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        '401': {$ref: '#/components/responses/Problem'}
        '422': {$ref: '#/components/responses/Problem'}
  /things/{thingId}:
    parameters:
      - {name: thingId, in: path, required: true, schema: {type: string, format: uuid}}
    get:
      operationId: getThing
      tags: [things]
      responses:
        '200':
          description: The thing.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        '401': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
        '422': {$ref: '#/components/responses/Problem'}
  /ping:
    get:
      operationId: ping
      tags: [things]
      security: []
      responses:
        '200':
          description: Pong.
          content:
            application/json:
              schema:
                type: object
                required: [pong]
                properties: {pong: {type: boolean}}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  responses:
    Problem:
      description: A problem.
      content:
        application/problem+json:
          schema: {$ref: '#/components/schemas/Problem'}
  schemas:
    ThingIn:
      type: object
      required: [name]
      additionalProperties: false
      properties:
        name: {type: string, minLength: 1, maxLength: 20}
    Thing:
      type: object
      required: [id, name]
      properties:
        id: {type: string, format: uuid}
        name: {type: string}
    Problem:
      type: object
      required: [type, title, status]
      properties:
        type: {type: string}
        title: {type: string}
        status: {type: integer}
        detail: {type: string}
        instance: {type: string, format: uri-reference}
        errors: {type: array, items: {type: object}}
"""

TOKEN = "good-token"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


@dataclass(frozen=True)
class User:
    name: str


class StrictSecurity:
    async def authenticate_bearer(self, token: str) -> User | None:
        return User("tester") if token == TOKEN else None


class LaxSecurity:
    """The break: any bearer token at all is accepted."""

    async def authenticate_bearer(self, token: str) -> User | None:
        return User("anyone")


def make_things(api: GeneratedApi, **breaks: Callable[..., Any]) -> Any:
    m = api.models
    store: dict[str, Any] = {}

    class Things:
        async def create_thing(self, *, body: Any, principal: User) -> Any:
            if "create_thing" in breaks:
                return breaks["create_thing"](m, body)
            thing = m.Thing(id=uuid.uuid4(), name=body.name)
            store[str(thing.id)] = thing
            return thing

        async def get_thing(self, *, thing_id: Any, principal: User) -> Any:
            if "get_thing" in breaks:
                return breaks["get_thing"](m, thing_id)
            if str(thing_id) not in store:
                raise ProblemError(404, "no such thing")
            return store[str(thing_id)]

        async def ping(self) -> Any:
            return m.Ping200ResponseBody(pong=True)

    return Things()


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:  # noqa: F811
    return make_api(SPEC)


def contract(api: GeneratedApi, app: Any, **options: Any) -> ContractResult:
    options.setdefault("max_examples", 5)
    return run_contract(ContractOptions(spec=api.spec_path, app=app, headers=HEADERS, **options))


def assert_caught(result: ContractResult, operation: str, operation_id: str, check: str) -> None:
    assert (operation, check) in result.failing(), format_summary(result)
    summary = format_summary(result)
    assert f"{operation} ({operation_id}): {check}" in summary
    assert "reproduce:" in summary and "curl" in summary


def test_a_correct_implementation_passes(api: GeneratedApi) -> None:
    app = api.create_app(security=StrictSecurity(), things=make_things(api))
    result = contract(api, app)
    assert result.ok, format_summary(result)
    assert result.operations == {"POST /things", "GET /things/{thingId}", "GET /ping"}
    assert {"coverage", "fuzzing"} <= set(result.phases), result.phases


def test_an_undeclared_status_is_caught(api: GeneratedApi) -> None:
    def conflict(m: Any, body: Any) -> Any:
        raise ProblemError(409, "already exists")  # 409 is not declared for createThing

    app = api.create_app(security=StrictSecurity(), things=make_things(api, create_thing=conflict))
    assert_caught(contract(api, app), "POST /things", "createThing", "status_code_conformance")


def test_a_missing_required_field_is_caught(api: GeneratedApi) -> None:
    def nameless(m: Any, body: Any) -> Any:
        return m.Thing.model_construct(id=uuid.uuid4())  # skips validation: `name` is missing

    app = api.create_app(security=StrictSecurity(), things=make_things(api, create_thing=nameless))
    assert_caught(contract(api, app), "POST /things", "createThing", "response_schema_conformance")


def test_a_wrong_content_type_is_caught(api: GeneratedApi) -> None:
    inner = api.create_app(security=StrictSecurity(), things=make_things(api))

    async def mislabel(scope: Any, receive: Any, send: Any) -> None:
        """A middleware that labels /api/ping's JSON as text/plain."""

        async def relabel(message: Any) -> None:
            if message["type"] == "http.response.start" and scope["path"] == "/api/ping":
                headers = [(k, v) for k, v in message["headers"] if k.lower() != b"content-type"]
                message = {**message, "headers": [*headers, (b"content-type", b"text/plain")]}
            await send(message)

        await inner(scope, receive, relabel if scope["type"] == "http" else send)

    assert_caught(contract(api, mislabel), "GET /ping", "ping", "content_type_conformance")


def test_an_unhandled_exception_is_caught(api: GeneratedApi) -> None:
    def crash(m: Any, thing_id: Any) -> Any:
        raise RuntimeError("database on fire")

    app = api.create_app(security=StrictSecurity(), things=make_things(api, get_thing=crash))
    assert_caught(contract(api, app), "GET /things/{thingId}", "getThing", "not_a_server_error")


def test_an_operation_ignoring_auth_is_caught(api: GeneratedApi) -> None:
    app = api.create_app(security=LaxSecurity(), things=make_things(api))
    result = contract(api, app)
    assert_caught(result, "GET /things/{thingId}", "getThing", "ignored_auth")


def test_the_cli_exits_1_names_the_failure_and_writes_junit(
    api: GeneratedApi, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from specfirst.cli import main

    def crash(m: Any, thing_id: Any) -> Any:
        raise RuntimeError("database on fire")

    api.package.broken_app = api.create_app(  # type: ignore[attr-defined]
        security=StrictSecurity(), things=make_things(api, get_thing=crash)
    )
    junit = tmp_path / "contract.xml"
    code = main(
        [
            "contract",
            str(api.spec_path),
            "--app",
            f"{api.name}:broken_app",
            "--header",
            f"Authorization: Bearer {TOKEN}",
            "--max-examples",
            "3",
            "--junit",
            str(junit),
            "-q",
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "GET /things/{thingId} (getThing): not_a_server_error" in out
    assert "replay with: --seed" in out
    xml = junit.read_text()
    assert 'name="GET /things/{thingId}"' in xml and 'type="not_a_server_error"' in xml
