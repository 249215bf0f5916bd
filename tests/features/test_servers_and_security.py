"""Servers with a base path and variables; security schemes and their combinations."""

from __future__ import annotations

import base64
from types import SimpleNamespace
from typing import Any

import pytest

from tests.e2e.conftest import GeneratedApi, MakeApi, client, problem

SPEC = """
openapi: 3.0.3
info: {title: Secure, version: "1"}
servers:
  - url: https://{region}.example.com/{version}/api
    variables:
      region: {default: eu}
      version: {default: v2, enum: [v1, v2]}
security: [{bearer: []}]
paths:
  /default:
    get: {operationId: useDefault, responses: {"204": {description: ok}}}
  /public:
    get: {operationId: public, security: [], responses: {"204": {description: ok}}}
  /optional:
    get: {operationId: optional, security: [{}, {header: []}], responses: {"204": {description: ok}}}
  /either:
    get:
      operationId: either
      security: [{query: []}, {cookie: []}]
      responses: {"204": {description: ok}}
  /both:
    get:
      operationId: both
      security: [{header: [], basic: []}]
      responses: {"204": {description: ok}}
  /scoped:
    get:
      operationId: scoped
      security: [{oauth: [write]}, {oidc: [admin]}]
      responses: {"204": {description: ok}}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    basic: {type: http, scheme: basic}
    header: {type: apiKey, in: header, name: X-Key}
    query: {type: apiKey, in: query, name: key}
    cookie: {type: apiKey, in: cookie, name: sid}
    oauth:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: /token, scopes: {read: r, write: w}}
        authorizationCode: {authorizationUrl: /auth, tokenUrl: /token, scopes: {admin: a}}
    oidc: {type: openIdConnect, openIdConnectUrl: https://example.com/.well-known/openid-configuration}
"""


class Handler:
    async def authenticate_bearer(self, token: str) -> Any:
        return SimpleNamespace(name="bearer", scopes=token.split("+")) if token != "bad" else None

    async def authenticate_basic(self, username: str, password: str) -> Any:
        return SimpleNamespace(name=username) if password == "pw" else None

    async def authenticate_header(self, api_key: str) -> Any:
        return SimpleNamespace(name="header") if api_key == "k" else None

    async def authenticate_query(self, api_key: str) -> Any:
        return SimpleNamespace(name="query") if api_key == "k" else None

    async def authenticate_cookie(self, api_key: str) -> Any:
        return SimpleNamespace(name="cookie") if api_key == "k" else None

    authenticate_oauth = authenticate_bearer

    async def authenticate_oidc(self, token: str) -> Any:
        return SimpleNamespace(name="oidc", scopes=["admin"]) if token == "admin" else None


class Service:
    async def use_default(self, *, principal: Any) -> None:
        assert principal.name == "bearer"

    async def public(self) -> None:
        return None

    async def optional(self, *, principal: Any) -> None:
        return None

    async def either(self, *, principal: Any) -> None:
        return None

    async def both(self, *, principal: Any) -> None:
        return None

    async def scoped(self, *, principal: Any) -> None:
        return None


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


@pytest.fixture
def app(api: GeneratedApi) -> Any:
    return api.create_app(default=Service(), security=Handler())


def _basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


async def test_routes_are_mounted_under_the_server_base_path(app: Any) -> None:
    async with client(app) as c:
        mounted = await c.get("/v2/api/public")
        bare = await c.get("/public")
    assert mounted.status_code == 204
    assert bare.status_code == 404


async def test_global_default_and_override(app: Any) -> None:
    async with client(app) as c:
        none = await c.get("/v2/api/default")
        bad = await c.get("/v2/api/default", headers={"Authorization": "Bearer bad"})
        good = await c.get("/v2/api/default", headers={"Authorization": "Bearer t"})
    assert problem(none, 401) and none.headers["www-authenticate"].startswith("Bearer")
    problem(bad, 401)
    assert 'error="invalid_token"' in bad.headers["www-authenticate"]
    assert good.status_code == 204


async def test_optional_and_alternatives(app: Any) -> None:
    async with client(app) as c:
        anonymous = await c.get("/v2/api/optional")
        wrong_key = await c.get("/v2/api/optional", headers={"X-Key": "nope"})
        by_query = await c.get("/v2/api/either", params={"key": "k"})
        c.cookies.set("sid", "k")
        by_cookie = await c.get("/v2/api/either")
    assert anonymous.status_code == 204
    problem(wrong_key, 401)
    assert by_query.status_code == 204 and by_cookie.status_code == 204


async def test_combined_schemes_need_all(app: Any) -> None:
    async with client(app) as c:
        only_key = await c.get("/v2/api/both", headers={"X-Key": "k"})
        both = await c.get("/v2/api/both", headers={"X-Key": "k", **_basic("ann", "pw")})
    problem(only_key, 401)
    assert both.status_code == 204


async def test_scopes(app: Any) -> None:
    async with client(app) as c:
        read_only = await c.get("/v2/api/scoped", headers={"Authorization": "Bearer read"})
        writer = await c.get("/v2/api/scoped", headers={"Authorization": "Bearer read+write"})
        admin = await c.get("/v2/api/scoped", headers={"Authorization": "Bearer admin"})
    body = problem(read_only, 403)
    assert "scope" in body["detail"]
    assert 'scope="write"' in read_only.headers["www-authenticate"]
    assert writer.status_code == 204 and admin.status_code == 204


# The variable holds the path's leading slash, after the URL's own: Red Hat's specs do this.
SLASHED = """
openapi: 3.0.3
info: {title: Slashed, version: "1"}
servers:
  - url: https://cloud.example.com/{basePath}
    variables:
      basePath: {default: /api/inventory/v1.0}
paths:
  /items:
    get: {operationId: listItems, responses: {"204": {description: ok}}}
"""


class SlashedService:
    async def list_items(self) -> None:
        return None


async def test_a_variable_with_a_leading_slash_mounts_under_one_slash(make_api: MakeApi) -> None:
    api = make_api(SLASHED)
    assert api.package.app.BASE_PATH == "/api/inventory/v1.0"
    async with client(api.create_app(default=SlashedService())) as c:
        mounted = await c.get("/api/inventory/v1.0/items")
    assert mounted.status_code == 204
