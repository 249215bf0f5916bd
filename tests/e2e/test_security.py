"""Security requirements enforced by the generated routers: 401/403, AND/OR, optional, schemes."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.e2e.conftest import GeneratedApi, MakeApi, client, problem
from tests.e2e.specs import VAULT


@dataclass(frozen=True)
class User:
    name: str
    scopes: frozenset[str] = field(default_factory=frozenset)


class Security:
    """Credential → principal for every scheme; anything else is invalid (None)."""

    async def authenticate_bearer_auth(self, token: str) -> User | None:
        return User(f"bearer:{token}") if token.startswith("good") else None

    async def authenticate_basic_auth(self, username: str, password: str) -> User | None:
        return User(f"basic:{username}") if (username, password) == ("alice", "s3:cret") else None

    async def authenticate_header_key(self, api_key: str) -> User | None:
        return User("header-key") if api_key == "k1" else None

    async def authenticate_query_key(self, api_key: str) -> User | None:
        return User("query-key") if api_key == "k1" else None

    async def authenticate_cookie_key(self, api_key: str) -> User | None:
        return User("cookie-key") if api_key == "k1" else None

    async def authenticate_oauth(self, token: str) -> User | None:
        scopes = {
            "reader": {"secrets:read"},
            "admin": {"secrets:read", "secrets:admin"},
            "nobody": set(),
        }.get(token)
        return None if scopes is None else User(f"oauth:{token}", frozenset(scopes))

    async def authenticate_oidc(self, token: str) -> User | None:
        return User("oidc", frozenset({"secrets:read"})) if token == "oidc-reader" else None


def make_vault(api: GeneratedApi) -> Any:
    m, r = api.models, api.responses

    def me(principal: User | None) -> Any:
        return m.Identity(name=principal.name if principal else "anonymous")

    class Vault:
        async def get_public(self) -> Any:
            return r.GetPublic200Response(body="hello, anyone")

        async def who_am_i(self, *, principal: User) -> Any:
            return me(principal)

        async def maybe_user(self, *, principal: User | None) -> Any:
            return me(principal)

        async def basic_only(self, *, principal: User) -> Any:
            return me(principal)

        async def any_key(self, *, principal: User) -> Any:
            return me(principal)

        async def key_and_token(self, *, principal: User) -> Any:
            return me(principal)

        async def read_secrets(self, *, principal: User) -> Any:
            return me(principal)

        async def purge_secrets(self, *, principal: User) -> Any:
            assert "secrets:admin" in principal.scopes
            return None

    return Vault()


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(VAULT)


@pytest.fixture
def app(api: GeneratedApi) -> Any:
    return api.create_app(security=Security(), vault=make_vault(api))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


async def test_security_empty_list_opens_the_operation(app: Any) -> None:
    async with client(app) as c:
        res = await c.get("/public")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/plain")
    assert res.text == "hello, anyone"


async def test_global_default_missing_credentials_is_401_with_challenge(app: Any) -> None:
    async with client(app) as c:
        res = await c.get("/whoami")
    assert problem(res, 401)["detail"] == "authentication is required"
    assert res.headers["www-authenticate"] == 'Bearer realm="api"'


async def test_global_default_invalid_credentials_is_401(app: Any) -> None:
    async with client(app) as c:
        bad = await c.get("/whoami", headers=bearer("forged"))
        wrong_scheme = await c.get("/whoami", headers={"Authorization": "Token good"})
    assert problem(bad, 401)["detail"] == "credentials are invalid"
    assert bad.headers["www-authenticate"] == 'Bearer realm="api", error="invalid_token"'
    problem(wrong_scheme, 401)


async def test_global_default_valid_credentials_reach_the_implementation(app: Any) -> None:
    async with client(app) as c:
        res = await c.get("/whoami", headers=bearer("good-1"))
    assert res.status_code == 200
    assert res.json() == {"name": "bearer:good-1"}


async def test_optional_security_passes_none_without_credentials(app: Any) -> None:
    async with client(app) as c:
        anonymous = await c.get("/maybe")
        known = await c.get("/maybe", headers=bearer("good-2"))
        forged = await c.get("/maybe", headers=bearer("forged"))
    assert anonymous.json() == {"name": "anonymous"}
    assert known.json() == {"name": "bearer:good-2"}
    problem(forged, 401)  # invalid credentials are refused, not ignored


async def test_basic_auth(app: Any) -> None:
    async with client(app) as c:
        ok = await c.get("/basic", headers=basic("alice", "s3:cret"))
        wrong = await c.get("/basic", headers=basic("alice", "nope"))
        garbled = await c.get("/basic", headers={"Authorization": "Basic %%%"})
        missing = await c.get("/basic")
        bearer_instead = await c.get("/basic", headers=bearer("good"))
    assert ok.status_code == 200 and ok.json() == {"name": "basic:alice"}
    for res in (wrong, garbled, missing, bearer_instead):
        problem(res, 401)
        assert res.headers["www-authenticate"] == 'Basic realm="api", charset="UTF-8"'


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"headers": {"X-API-Key": "k1"}}, "header-key"),
        ({"params": {"api_key": "k1"}}, "query-key"),
        ({"headers": {"Cookie": "vault_key=k1"}}, "cookie-key"),
    ],
)
async def test_api_key_in_header_query_or_cookie(
    app: Any, kwargs: dict[str, Any], name: str
) -> None:
    async with client(app) as c:
        res = await c.get("/keys", **kwargs)
    assert res.status_code == 200, res.text
    assert res.json() == {"name": name}


async def test_api_key_alternatives_all_missing_is_401_naming_each(app: Any) -> None:
    async with client(app) as c:
        res = await c.get("/keys")
        wrong = await c.get("/keys", params={"api_key": "k2"})
    problem(res, 401)
    assert res.headers["www-authenticate"] == (
        'APIKey realm="api", header="X-API-Key", APIKey realm="api", query="api_key", '
        'APIKey realm="api", cookie="vault_key"'
    )
    assert problem(wrong, 401)["detail"] == "credentials are invalid"


async def test_combined_schemes_need_all(app: Any) -> None:
    async with client(app) as c:
        only_key = await c.get("/both", headers={"X-API-Key": "k1"})
        only_token = await c.get("/both", headers=bearer("good"))
        both = await c.get("/both", headers={"X-API-Key": "k1", **bearer("good")})
    problem(only_key, 401)
    problem(only_token, 401)
    assert both.status_code == 200
    assert both.json() == {"name": "header-key"}  # the first scheme's principal


async def test_scopes_with_alternative_schemes(app: Any) -> None:
    async with client(app) as c:
        via_oauth = await c.get("/secrets", headers=bearer("reader"))
        via_oidc = await c.get("/secrets", headers=bearer("oidc-reader"))
        unscoped = await c.get("/secrets", headers=bearer("nobody"))
        anonymous = await c.get("/secrets")
    assert via_oauth.json() == {"name": "oauth:reader"}
    assert via_oidc.json() == {"name": "oidc"}
    assert (
        problem(unscoped, 403)["detail"]
        == "the credentials lack the scopes this operation requires"
    )
    assert (
        unscoped.headers["www-authenticate"]
        == 'Bearer realm="api", error="insufficient_scope", scope="secrets:read"'
    )
    problem(anonymous, 401)


async def test_insufficient_scope_is_403_and_sufficient_passes(app: Any) -> None:
    async with client(app) as c:
        reader = await c.delete("/secrets", headers=bearer("reader"))
        admin = await c.delete("/secrets", headers=bearer("admin"))
    problem(reader, 403)
    assert 'scope="secrets:admin"' in reader.headers["www-authenticate"]
    assert admin.status_code == 204


async def test_security_runs_before_validation_and_implementation(api: GeneratedApi) -> None:
    calls: list[str] = []

    class Watching(type(make_vault(api))):  # type: ignore[misc]
        async def who_am_i(self, *, principal: User) -> Any:
            calls.append("who_am_i")
            return api.models.Identity(name="x")

    app = api.create_app(security=Security(), vault=Watching())
    async with client(app) as c:
        res = await c.get("/whoami")
    problem(res, 401)
    assert calls == []


def test_missing_security_handler_stops_startup(api: GeneratedApi) -> None:
    with pytest.raises(api.StartupError) as info:
        api.create_app(vault=make_vault(api))
    assert str(info.value) == (
        "cannot start the app:\n"
        "  missing implementation of SecurityHandler: pass create_app(security=...) to serve its "
        "operations (or allow_unimplemented=True to answer 501)"
    )


def test_security_handler_lacking_a_scheme_stops_startup(api: GeneratedApi) -> None:
    class NoOidc(Security):
        __qualname__ = "NoOidc"
        authenticate_oidc = None  # type: ignore[assignment]

    with pytest.raises(api.StartupError) as info:
        api.create_app(security=NoOidc(), vault=make_vault(api))
    assert (
        str(info.value) == "cannot start the app:\n  NoOidc lacks SecurityHandler.authenticate_oidc"
    )


async def test_allow_unimplemented_without_handler_rejects_credentials(api: GeneratedApi) -> None:
    app = api.create_app(allow_unimplemented=True)
    async with client(app) as c:
        public = await c.get("/public")
        guarded = await c.get("/whoami", headers=bearer("good"))
    problem(public, 501)
    problem(guarded, 401)
