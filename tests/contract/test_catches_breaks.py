"""The contract run catches real breaks, and names the operation and the check.

A small generated API with a correct implementation passes; each test then breaks one thing
on purpose (an undeclared status, a missing required field, a wrong content type, an
unhandled exception, an operation that ignores auth) and the in-process contract run must
fail on exactly that operation with the check that owns the problem.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from specfirst.contract import (
    CHECKS,
    AuthContext,
    ContractOptions,
    ContractResult,
    Exemption,
    SeedData,
    format_summary,
    run_contract,
)
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

AUTHOR_SPEC = """
openapi: 3.1.0
info: {title: Books, version: 1.0.0}
servers: [{url: /api}]
security: [{key: []}]
paths:
  /books:
    get:
      operationId: listBooks
      tags: [books]
      parameters:
        - {name: author, in: query, required: true, schema: {type: string, minLength: 1, maxLength: 10}}
      responses:
        '200':
          description: Books.
          content:
            application/json:
              schema: {type: array, items: {type: string}}
        '401': {description: No key.}
        '422': {description: Invalid.}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
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
    problem = api.package.ProblemError  # the app's own (vendored) class, not the tool's
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
                raise problem(404, "no such thing")
            return store[str(thing_id)]

        async def ping(self) -> Any:
            return m.Ping200ResponseBody(pong=True)

    return Things()


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:  # noqa: F811
    return make_api(SPEC)


CHECKS_BUT_AVAILABILITY = [c for c in CHECKS if c != "ensure_resource_availability"]


def seed_a_thing(ctx: AuthContext) -> SeedData:
    """The setup hook: one thing exists, so `getThing` reaches its 200 (not only 404)."""
    response = ctx.request("POST", "things", json={"name": "seeded"})
    assert response.status_code == 201, response.text
    return SeedData(parameters={"path.thingId": [response.json()["id"]]})


def contract(api: GeneratedApi, app: Any, **options: Any) -> ContractResult:
    options.setdefault("max_examples", 5)
    options.setdefault("setup", seed_a_thing)
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
    # every declared success reached; the 401s include specfirst's probe without credentials
    assert result.coverage.reached() == (3, 3)
    assert all(
        result.coverage.operations[label].observed[401] >= 1
        for label in ("POST /things", "GET /things/{thingId}")
    )
    assert {"coverage", "fuzzing"} <= set(result.phases), result.phases


def test_an_undeclared_status_is_caught(api: GeneratedApi) -> None:
    def conflict(m: Any, body: Any) -> Any:
        raise api.package.ProblemError(409, "already exists")  # 409 is not declared for createThing

    app = api.create_app(security=StrictSecurity(), things=make_things(api, create_thing=conflict))
    # Outside production the raised 409 is a contract violation answered 500, whatever the
    # operation declares, so the run fails on it even where 500 is declared.
    result = contract(api, app, setup=None)
    assert_caught(result, "POST /things", "createThing", "not_a_server_error")
    assert "does not declare" in next(
        f.response for f in result.failures if f.operation == "POST /things"
    )


def test_an_undeclared_status_in_production_is_logged_and_sent(
    api: GeneratedApi, caplog: pytest.LogCaptureFixture
) -> None:
    def conflict(m: Any, body: Any) -> Any:
        raise api.package.ProblemError(409, "already exists")

    app = api.create_app(
        security=StrictSecurity(),
        things=make_things(api, create_thing=conflict),
        undeclared_problems="log",
    )
    with caplog.at_level(logging.ERROR, logger="specfirst"):
        result = contract(api, app, setup=None)
    assert_caught(result, "POST /things", "createThing", "status_code_conformance")
    assert "contract violation: POST /api/things raised a 409 problem" in caplog.text


def test_an_unreached_operation_fails_the_run(api: GeneratedApi) -> None:
    """Nothing is ever stored, so `getThing` only answers 404: every check passes, the gate fails."""

    def forgetful(m: Any, body: Any) -> Any:
        return m.Thing(id=uuid.uuid4(), name=body.name)

    app = api.create_app(security=StrictSecurity(), things=make_things(api, create_thing=forgetful))
    # The forgetful store rightly fails ensure_resource_availability; only the gate is tested.
    result = contract(api, app, setup=None, checks=CHECKS_BUT_AVAILABILITY)
    assert not result.failures and not result.errors
    assert not result.ok
    assert [(g.operation, g.gate) for g in result.gates] == [
        ("GET /things/{thingId} (getThing)", "success")
    ]
    assert "never produced a declared success status (200): answered " in result.gates[0].reason
    assert "404 (" in result.gates[0].reason
    summary = format_summary(result)
    assert summary.splitlines()[-2:] == [
        "coverage: 2 of 3 operations reached a declared 2xx; "
        f"{result.coverage.statuses()[0]} of 8 declared statuses observed",
        "implemented: 3 of 3 operations",
    ]


def test_an_exemption_with_a_reason_lifts_the_gate(api: GeneratedApi) -> None:
    def forgetful(m: Any, body: Any) -> Any:
        return m.Thing(id=uuid.uuid4(), name=body.name)

    app = api.create_app(security=StrictSecurity(), things=make_things(api, create_thing=forgetful))
    exemption = Exemption(("getThing",), "nothing exists in this test")
    result = contract(api, app, setup=None, exemptions=[exemption], checks=CHECKS_BUT_AVAILABILITY)
    assert result.ok, format_summary(result)
    assert "[exempt: nothing exists in this test]" in format_summary(result)


def test_without_credentials_the_run_fails_naming_the_401_operations(api: GeneratedApi) -> None:
    app = api.create_app(security=StrictSecurity(), things=make_things(api))
    result = run_contract(ContractOptions(spec=api.spec_path, app=app, max_examples=3))
    gates = {g.operation: g for g in result.gates}
    assert set(gates) == {"POST /things (createThing)", "GET /things/{thingId} (getThing)"}
    assert all(g.gate == "auth" and "answered only 401" in g.reason for g in gates.values())
    assert "gate failed: POST /things (createThing): never got past 401" in format_summary(result)


def test_reproductions_mask_credentials_only(make_api: MakeApi) -> None:  # noqa: F811
    """`author` (a query parameter) stays replayable; the spec's API key header is masked."""
    api = make_api(AUTHOR_SPEC)

    class Books:
        async def list_books(self, *, author: str, principal: Any) -> Any:
            raise RuntimeError("broken")  # every request fails, so each has a reproduction

    class Keys:
        async def authenticate_key(self, api_key: str) -> Any:
            return User("reader") if api_key == "s3cret" else None

    app = api.create_app(security=Keys(), books=Books())
    result = run_contract(
        ContractOptions(spec=api.spec_path, app=app, headers={"X-Key": "s3cret"}, max_examples=3)
    )
    reproduce = "\n".join(f.reproduce for f in result.failures)
    assert "author=" in reproduce and "author=[Filtered]" not in reproduce, reproduce
    assert "X-Key: [Filtered]" in reproduce and "s3cret" not in reproduce, reproduce


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


def test_an_exemption_naming_no_operation_stops_the_run(api: GeneratedApi) -> None:
    from specfirst.contract import ContractError

    app = api.create_app(security=StrictSecurity(), things=make_things(api))
    with pytest.raises(ContractError, match=r"exempt.*no operation with id getThings"):
        contract(api, app, setup=None, exemptions=[Exemption(("getThings",), "typo")])
