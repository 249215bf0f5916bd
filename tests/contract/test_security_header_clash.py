"""A security requirement whose schemes need one header (conjur.local's ``rotateApiKey``, held out).

conjur's ``rotateApiKey`` requires ``{basicAuth: [], conjurAuth: []}``: HTTP Basic and an API key
named ``Authorization``, both at once in one header, which no request can send. It only ever
answered 401, and the run failed its gate "never got past 401". The gate of an operation whose
every requirement clashes is noted instead, naming lint rule ``security-header-clash``; one
with a requirement a client can meet keeps its gate.
"""

from __future__ import annotations

import base64
from types import SimpleNamespace

from specfirst.contract import ContractOptions, format_summary, run_contract
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.0.3
info: {title: Vault, version: 1.0.0}
paths:
  /api_key:
    put:
      operationId: rotateApiKey
      security: [{basicAuth: [], conjurAuth: []}]
      responses:
        '200': {description: rotated, content: {application/json: {schema: {type: object}}}}
        '401': {description: no}
  /whoami:
    get:
      operationId: whoAmI
      security: [{basicAuth: [], conjurAuth: []}, {otherKey: []}]
      responses:
        '200': {description: me, content: {application/json: {schema: {type: object}}}}
        '401': {description: no}
  /login:
    get:
      operationId: getApiKey
      security: [{basicAuth: []}]
      responses:
        '200': {description: key, content: {application/json: {schema: {type: object}}}}
        '401': {description: no}
components:
  securitySchemes:
    basicAuth: {type: http, scheme: basic}
    conjurAuth: {type: apiKey, in: header, name: Authorization}
    otherKey: {type: apiKey, in: header, name: X-Other}
"""


class Security:
    async def authenticate_basic_auth(self, username: str, password: str) -> object | None:
        return SimpleNamespace(scopes=()) if (username, password) == ("dev", "c") else None

    async def authenticate_conjur_auth(self, api_key: str) -> object | None:
        return SimpleNamespace(scopes=()) if api_key == "c" else None

    async def authenticate_other_key(self, api_key: str) -> object | None:
        return SimpleNamespace(scopes=()) if api_key == "c" else None


def test_only_an_operation_no_request_can_authorize_has_its_auth_gate_noted(
    make_api: MakeApi,  # noqa: F811
) -> None:
    api = make_api(SPEC)

    class Service:
        async def rotate_api_key(self, **_: object) -> object:
            return api.responses.RotateApiKey200Response(body={})

        async def who_am_i(self, **_: object) -> object:
            return api.responses.WhoAmI200Response(body={})

        async def get_api_key(self, **_: object) -> object:
            return api.responses.GetApiKey200Response(body={})

    app = api.create_app(security=Security(), default=Service())
    basic = "Basic " + base64.b64encode(b"dev:c").decode()
    result = run_contract(
        ContractOptions(
            spec=api.spec_path,
            app=app,
            headers={"Authorization": basic},
            phases=("examples", "fuzzing"),
            max_examples=5,
        )
    )
    summary = format_summary(result)
    # whoAmI's otherKey is one a client can send: the run did not, so its gate still fails
    assert [(g.operation, g.gate) for g in result.gates] == [("GET /whoami (whoAmI)", "auth")], (
        summary
    )
    assert (
        "PUT /api_key (rotateApiKey): auth gate not counted: every security requirement needs "
        "one header in two forms (basicAuth (HTTP basic) and conjurAuth (API key) both need "
        "header Authorization, each in its own form; lint rule security-header-clash), so no "
        "request can pass its security: never got past 401"
    ) in "\n".join(result.notes), summary
    assert result.noted.get("header-clash") == 1, summary
    assert "noted, not counted: " in summary and "header-clash 1" in summary, summary
    assert result.coverage.operations["GET /login"].reached_success(), summary
