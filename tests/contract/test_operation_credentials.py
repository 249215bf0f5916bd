"""The development credential for operations the run's one ``Authorization`` cannot call.

velopayments: every operation takes an OAuth2 bearer token but ``veloAuth``, HTTP Basic only.
The auth hook sends one ``Authorization`` (the scheme most operations use), so ``veloAuth``
only ever answered 401 and the run's gate failed it ("never got past 401").
"""

from __future__ import annotations

import base64

import requests
import yaml

from specfirst.contract import AuthContext, dev_credentials, dev_operation_credentials
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.0.3
info: {title: Payments, version: 1.0.0}
security: [{oauth: []}]
paths:
  /authenticate:
    post:
      operationId: veloAuth
      security: [{basic: []}]
      responses: {'200': {description: token}}
  /payees:
    get:
      operationId: listPayees
      responses: {'200': {description: ok}}
    post:
      operationId: createPayee
      security: [{basic: []}, {oauth: []}]
      responses: {'201': {description: made}}
  /payouts:
    get: {operationId: listPayouts, responses: {'200': {description: ok}}}
    post: {operationId: submitPayout, responses: {'202': {description: accepted}}}
  /keys:
    get:
      operationId: keyed
      security: [{key: []}]
      responses: {'200': {description: ok}}
  /either:
    get:
      operationId: basicAndKey
      security: [{basic: [], key: []}]
      responses: {'200': {description: ok}}
  /open:
    get:
      operationId: open
      security: [{}, {oauth: []}]
      responses: {'200': {description: ok}}
  /anonymous:
    get:
      security: [{basic: []}]
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    basic: {type: http, scheme: basic}
    key: {type: apiKey, in: header, name: X-Key}
    oauth:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: /token, scopes: {}}}
"""


def test_operations_secured_only_another_way_get_their_authorization() -> None:
    ctx = AuthContext(base_url="http://t", session=requests.Session(), spec=yaml.safe_load(SPEC))
    assert dev_credentials(ctx, "c", username="dev")["Authorization"] == "Bearer c"
    basic = "Basic " + base64.b64encode(b"dev:c").decode()
    # createPayee and keyed take what the run sends; open needs nothing; the last one has no
    # operationId, so its label names it (obono's `GET /auth`, HTTP Basic only)
    assert dev_operation_credentials(ctx, "c", username="dev") == {
        "veloAuth": {"Authorization": basic},
        "basicAndKey": {"Authorization": basic},
        "GET /anonymous": {"Authorization": basic},
    }


SHARED = """
openapi: 3.0.3
info: {title: Takeaway, version: 1.0.0}
paths:
  /checkout:
    get:
      operationId: getCheckout
      security: [{Bearer: []}]
      responses: {'200': {description: ok}}
  /fees:
    get:
      operationId: getFees
      security: [{Bearer: []}]
      responses: {'200': {description: ok}}
  /deliveries:
    get:
      operationId: partnerDeliveries
      security: [{api_key: []}]
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    Bearer: {type: http, scheme: bearer}
    api_key: {type: apiKey, in: header, name: Authorization}
"""


def test_an_api_key_named_authorization_shares_the_header_with_bearer_tokens() -> None:
    # just-eat: `api_key` is an API key in the Authorization header, `Bearer` an HTTP bearer
    # token. The key's bare credential overwrote nothing, but the run then handed the one
    # Authorization (the bearer token) to schemathesis as the `api_key` scheme's, which sends
    # it only for `api_key` operations: every `Bearer` operation answered only 401.
    from specfirst.contract.credentials import _auth_schemes

    spec = yaml.safe_load(SHARED)
    ctx = AuthContext(base_url="http://t", session=requests.Session(), spec=spec)
    headers = dev_credentials(ctx, "c")
    assert headers == {"Authorization": "Bearer c"}  # the scheme more operations use
    assert _auth_schemes(spec, headers) == ({}, headers)  # sent as a header, to every operation
    # the API key's operation gets the bare credential its way
    assert dev_operation_credentials(ctx, "c") == {"partnerDeliveries": {"Authorization": "c"}}


SIGN_IN = """
openapi: 3.0.3
info: {title: Tills, version: 1.0.0}
security: [{jwt: []}]
paths:
  /auth:
    get:
      security: [{basicAuth: []}]
      responses:
        '200': {description: token, content: {application/json: {schema: {type: object}}}}
  /tills:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
    delete:
      responses:
        '204': {description: closed}
components:
  securitySchemes:
    basicAuth: {type: http, scheme: basic}
    jwt: {type: apiKey, in: header, name: Authorization}
"""


def test_an_operation_without_an_operation_id_gets_its_authorization_by_label(
    make_api: MakeApi,  # noqa: F811
) -> None:
    # obono: `GET /auth` (no operationId) takes HTTP Basic, every other operation an API key
    # named Authorization; the run's one Authorization is the key's, so `GET /auth` answered
    # only 401 ("never got past 401") until its credential could be named by its label.
    from types import SimpleNamespace

    from specfirst.contract import ContractOptions, SeedData, format_summary, run_contract

    api = make_api(SIGN_IN)
    basic = "Basic " + base64.b64encode(b"dev:c").decode()

    class Security:
        async def authenticate_basic_auth(self, username: str, password: str) -> object | None:
            return SimpleNamespace(scopes=()) if (username, password) == ("dev", "c") else None

        async def authenticate_jwt(self, api_key: str) -> object | None:
            return SimpleNamespace(scopes=()) if api_key == "c" else None

    class Service:
        async def get_auth(self, *, principal: object) -> object:
            return api.responses.GetAuth200Response(body={})

        async def get_tills(self, *, principal: object) -> object:
            return api.responses.GetTills200Response(body={})

        async def delete_tills(self, *, principal: object) -> None:
            return None

    def setup(ctx: AuthContext) -> SeedData:
        return SeedData(credentials=dev_operation_credentials(ctx, "c", username="dev"))

    spec = yaml.safe_load(SIGN_IN)
    ctx = AuthContext(base_url="http://t", session=requests.Session(), spec=spec)
    assert dev_operation_credentials(ctx, "c", username="dev") == {
        "GET /auth": {"Authorization": basic}
    }
    app = api.create_app(security=Security(), default=Service())
    options = ContractOptions(
        spec=api.spec_path, app=app, headers={"Authorization": "c"}, setup=setup, max_examples=5
    )
    result = run_contract(options)
    assert result.ok, format_summary(result)
    assert result.coverage.reached() == (3, 3), format_summary(result)


BOTH = """
openapi: 3.0.3
info: {title: Skins, version: 1.0.0}
paths:
  /delay:
    get:
      operationId: getDelay
      security: [{apiKey: [], bearerAuth: []}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
  /token:
    get:
      operationId: tokenOnly
      security: [{bearerAuth: []}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
  /signed:
    get:
      operationId: keyAndBasic
      security: [{apiKey: [], basic: []}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
components:
  securitySchemes:
    apiKey: {type: apiKey, in: query, name: key}
    bearerAuth: {type: http, scheme: bearer}
    basic: {type: http, scheme: basic}
"""


def test_a_requirement_naming_a_key_and_a_bearer_token_gets_both_per_scheme() -> None:
    # mineskin: `security: [{apiKey: [], bearerAuth: []}]`, one requirement, both at once. The
    # key went to schemathesis per scheme and the token as a header; schemathesis sends a
    # scheme's credential only for a requirement whose every scheme it was given, so it made
    # up `key=` for these operations and they only ever answered 401.
    from specfirst.contract.credentials import _auth_schemes

    spec = yaml.safe_load(BOTH)
    headers = {"key": "c", "Authorization": "Bearer c"}
    schemes, left = _auth_schemes(spec, headers)
    # the run's Authorization is a bearer token: it cannot serve `basic`, which stays unsent
    assert schemes == {"apiKey": {"api_key": "c"}, "bearerAuth": {"bearer": "c"}}
    assert left == {"Authorization": "Bearer c"}  # still sent to every operation
    basic = "Basic " + base64.b64encode(b"dev:c").decode()
    assert _auth_schemes(spec, {"key": "c", "Authorization": basic})[0] == {
        "apiKey": {"api_key": "c"},
        "basic": {"username": "dev", "password": "c"},
    }
    # a key on its own, or no key given per scheme: nothing else is given per scheme
    alone = {**spec, "paths": {"/token": spec["paths"]["/token"]}}
    assert _auth_schemes(alone, headers)[0] == {"apiKey": {"api_key": "c"}}
    assert _auth_schemes(spec, {"Authorization": "Bearer c"}) == ({}, {"Authorization": "Bearer c"})


def test_operations_needing_a_query_key_and_a_bearer_token_get_past_401(
    make_api: MakeApi,  # noqa: F811
) -> None:
    from types import SimpleNamespace

    from specfirst.contract import ContractOptions, format_summary, run_contract

    api = make_api(BOTH)

    class Security:
        async def authenticate_api_key(self, api_key: str) -> object | None:
            return SimpleNamespace(scopes=()) if api_key == "c" else None

        async def authenticate_bearer_auth(self, token: str) -> object | None:
            return SimpleNamespace(scopes=()) if token == "c" else None

        async def authenticate_basic(self, username: str, password: str) -> object | None:
            return SimpleNamespace(scopes=()) if (username, password) == ("dev", "c") else None

    class Service:
        async def get_delay(self, *, principal: object) -> object:
            return api.responses.GetDelay200Response(body={})

        async def token_only(self, *, principal: object) -> object:
            return api.responses.TokenOnly200Response(body={})

        async def key_and_basic(self, *, principal: object) -> object:
            return api.responses.KeyAndBasic200Response(body={})

    app = api.create_app(security=Security(), default=Service())
    options = ContractOptions(
        spec=api.spec_path,
        app=app,
        headers={"key": "c", "Authorization": "Bearer c"},
        max_examples=5,
    )
    result = run_contract(options)
    summary = format_summary(result)
    # keyAndBasic cannot be called with the run's bearer token: only its 401 is expected
    assert "GET /delay: never got past 401" not in summary, summary
    assert "GET /token: never got past 401" not in summary, summary
    assert result.coverage.reached() == (2, 3), summary
    assert not [f for f in result.failures if f.operation != "GET /signed"], summary


def test_the_seed_data_line_names_what_is_seeded_or_is_left_out(
    make_api: MakeApi,  # noqa: F811
) -> None:
    # the scaffolded setup hook returns an empty SeedData until the team fills it in; every
    # new project's run printed "seed data for  (used with probability 0.5)", naming nothing
    from specfirst.contract import ContractOptions, SeedData, run_contract

    api = make_api(
        """
openapi: 3.0.3
info: {title: Things, version: 1.0.0}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'204': {description: ok}}
"""
    )

    class Things:
        async def get_thing(self, *, id: str) -> None:
            return None

    def lines(data: SeedData) -> list[str]:
        said: list[str] = []
        options = ContractOptions(
            spec=api.spec_path,
            app=api.create_app(default=Things()),
            setup=lambda ctx: data,
            phases=("fuzzing",),
            max_examples=2,
        )
        run_contract(options, progress=said.append)
        return [line for line in said if line.startswith("seed data")]

    assert lines(SeedData()) == []
    assert lines(SeedData(parameters={"path.id": ["t1"]})) == [
        "seed data for path.id (used with probability 0.5)"
    ]
