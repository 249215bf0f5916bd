"""``app.dependency_overrides`` reaches every dependency of a generated app.

A FastAPI developer overrides a dependency in tests by the callable that declared it: here a
``get_settings`` and a ``get_db`` that a per-request service class and the security handler
ask for, the factory or class passed to ``create_app``, or (whatever was passed, instances
included) the generated protocol it implements. Each is checked in both routings (FastAPI's
dependency solving for classes and factories, the fast path for instances), through
Starlette's ``TestClient`` and ``httpx.AsyncClient``, set before and after the first request,
and cleared again.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

import pytest
from fastapi import Depends
from starlette.exceptions import StarletteDeprecationWarning

from tests.e2e.conftest import GeneratedApi, MakeApi, client

SPEC = """
openapi: 3.1.0
info: {title: Items, version: 1.0.0}
security:
  - apiKey: []
paths:
  /items/{item_id}:
    get:
      operationId: getItem
      tags: [items]
      parameters:
        - {name: item_id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: The item, and where the service found it
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
        '401':
          description: No valid key
  /ping:
    get:
      operationId: ping
      tags: [items]
      security: []
      responses:
        '200':
          description: Where the service found it, for anyone
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
components:
  securitySchemes:
    apiKey: {type: apiKey, in: header, name: X-API-Key}
  schemas:
    Item:
      type: object
      required: [id, source]
      properties:
        id: {type: integer}
        source: {type: string}
"""


@dataclass(frozen=True)
class Settings:
    api_key: str = "k"
    name: str = "settings"


calls: dict[str, int] = {}


def get_settings() -> Settings:
    calls["get_settings"] = calls.get("get_settings", 0) + 1
    return Settings()


async def get_db() -> AsyncIterator[str]:
    yield "db"


def fake_settings() -> Settings:
    calls["fake_settings"] = calls.get("fake_settings", 0) + 1
    return Settings(api_key="other", name="fake-settings")


async def fake_db() -> AsyncIterator[str]:
    yield "fake-db"


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


def implementations(api: GeneratedApi) -> dict[str, Any]:
    """A per-request service class and security handler asking for settings and a database."""
    models = api.models

    class Items:
        def __init__(
            self,
            db: Annotated[str, Depends(get_db)],
            settings: Annotated[Settings, Depends(get_settings)],
        ) -> None:
            self.source = f"{db}+{settings.name}"

        async def get_item(self, *, item_id: int, principal: str) -> Any:
            return models.Item(id=item_id, source=f"{self.source} for {principal}")

        async def ping(self) -> Any:
            return models.Item(id=0, source=self.source)

    class KeyCheck:
        def __init__(self, settings: Annotated[Settings, Depends(get_settings)]) -> None:
            self.settings = settings

        async def authenticate_api_key(self, api_key: str) -> str | None:
            return "caller" if api_key == self.settings.api_key else None

    class SharedItems:
        async def get_item(self, *, item_id: int, principal: str) -> Any:
            return models.Item(id=item_id, source=f"shared for {principal}")

        async def ping(self) -> Any:
            return models.Item(id=0, source="shared")

    class SharedKeyCheck:
        async def authenticate_api_key(self, api_key: str) -> str | None:
            return "caller" if api_key == "k" else None

    return {
        "Items": Items,
        "KeyCheck": KeyCheck,
        "SharedItems": SharedItems,
        "SharedKeyCheck": SharedKeyCheck,
    }


Get = Callable[[str, str], Awaitable[tuple[int, Any]]]


def _testclient(app: Any) -> Any:
    with warnings.catch_warnings():  # starlette prefers httpx2; the httpx it falls back to works
        warnings.simplefilter("ignore", StarletteDeprecationWarning)
        from fastapi.testclient import TestClient
    return TestClient(app)


def getter(app: Any, kind: str) -> tuple[Get, Callable[[], Awaitable[None]]]:
    """``get(path, key)`` → (status, JSON body or None) through the given client, and close."""
    if kind == "TestClient":
        sync = _testclient(app)

        async def get_sync(path: str, key: str) -> tuple[int, Any]:
            res = sync.get(path, headers={"X-API-Key": key})
            return res.status_code, res.json() if res.status_code == 200 else None

        async def close_sync() -> None:
            sync.close()

        return get_sync, close_sync
    http = client(app)

    async def get_async(path: str, key: str) -> tuple[int, Any]:
        res = await http.get(path, headers={"X-API-Key": key})
        return res.status_code, res.json() if res.status_code == 200 else None

    return get_async, http.aclose


CLIENTS = ["TestClient", "httpx.AsyncClient"]


@pytest.mark.parametrize("kind", CLIENTS)
@pytest.mark.parametrize("first_request", [True, False], ids=["after-first", "before-first"])
async def test_settings_and_db_overrides_reach_a_service_class_and_the_security_handler(
    api: GeneratedApi, kind: str, first_request: bool
) -> None:
    impl = implementations(api)
    app = api.create_app(items=impl["Items"], security=impl["KeyCheck"])
    get, close = getter(app, kind)
    try:
        if first_request:
            assert await get("/items/1", "k") == (
                200,
                {"id": 1, "source": "db+settings for caller"},
            )
        calls.clear()
        app.dependency_overrides[get_settings] = fake_settings
        # the security handler reads the overridden settings: the real key no longer passes
        assert (await get("/items/1", "k"))[0] == 401
        assert await get("/items/1", "other") == (
            200,
            {"id": 1, "source": "db+fake-settings for caller"},
        )
        assert calls.get("fake_settings", 0) >= 2 and "get_settings" not in calls
        app.dependency_overrides[get_db] = fake_db
        assert await get("/ping", "") == (200, {"id": 0, "source": "fake-db+fake-settings"})
        app.dependency_overrides = {}  # cleared, as FastAPI's documentation does it
        assert await get("/items/1", "k") == (200, {"id": 1, "source": "db+settings for caller"})
        assert (await get("/items/1", "other"))[0] == 401
        app.dependency_overrides[get_db] = fake_db
        assert await get("/ping", "") == (200, {"id": 0, "source": "fake-db+settings"})
        app.dependency_overrides.clear()
        assert await get("/ping", "") == (200, {"id": 0, "source": "db+settings"})
    finally:
        await close()


@pytest.mark.parametrize("kind", CLIENTS)
async def test_the_factories_passed_to_create_app_are_overridden_by_themselves(
    api: GeneratedApi, kind: str
) -> None:
    impl = implementations(api)
    made: list[str] = []

    def make_items() -> Any:  # a plain factory function
        made.append("real")
        return impl["SharedItems"]()

    app = api.create_app(items=make_items, security=impl["KeyCheck"])
    get, close = getter(app, kind)
    try:
        assert await get("/ping", "") == (200, {"id": 0, "source": "shared"})
        app.dependency_overrides[make_items] = impl["Items"]
        app.dependency_overrides[impl["KeyCheck"]] = impl["SharedKeyCheck"]
        app.dependency_overrides[get_settings] = fake_settings
        assert await get("/ping", "") == (200, {"id": 0, "source": "db+fake-settings"})
        # the overriding handler asks for no settings: the real key passes again
        assert (await get("/items/2", "k"))[1] == {"id": 2, "source": "db+fake-settings for caller"}
        assert made == ["real"]
        app.dependency_overrides.clear()
        assert (await get("/items/2", "other"))[0] == 401
        assert await get("/ping", "") == (200, {"id": 0, "source": "shared"})
        assert made == ["real", "real"]
    finally:
        await close()


def _fast_routes(api: GeneratedApi, app: Any) -> list[Any]:
    routing = importlib.import_module(f"{api.name}._runtime.routing")
    return [r for r in app.router.routes if isinstance(r, routing.FastRoute)]


@pytest.mark.parametrize("kind", CLIENTS)
@pytest.mark.parametrize("lazy", [False, True], ids=["eager", "lazy"])
async def test_instances_on_the_fast_path_are_overridden_by_their_protocol(
    api: GeneratedApi, kind: str, lazy: bool
) -> None:
    impl = implementations(api)
    app = api.create_app(
        items=impl["SharedItems"](), security=impl["SharedKeyCheck"](), lazy_routes=lazy
    )
    get, close = getter(app, kind)
    try:
        assert await get("/items/3", "k") == (200, {"id": 3, "source": "shared for caller"})
        assert len(_fast_routes(api, app)) == 2  # (built by the first request when lazy)
        app.dependency_overrides[api.services.ItemsService] = impl["Items"]
        app.dependency_overrides[api.security.SecurityHandler] = impl["KeyCheck"]
        app.dependency_overrides[get_settings] = fake_settings
        assert (await get("/items/3", "k"))[0] == 401
        assert await get("/items/3", "other") == (
            200,
            {"id": 3, "source": "db+fake-settings for caller"},
        )
        assert await get("/ping", "") == (200, {"id": 0, "source": "db+fake-settings"})
        app.dependency_overrides.clear()
        assert await get("/items/3", "k") == (200, {"id": 3, "source": "shared for caller"})
        assert (await get("/items/3", "other"))[0] == 401
    finally:
        await close()


async def test_a_protocol_override_set_before_the_first_request_of_a_fresh_app(
    api: GeneratedApi,
) -> None:
    impl = implementations(api)
    app = api.create_app(items=impl["SharedItems"](), security=impl["SharedKeyCheck"]())
    app.dependency_overrides[api.services.ItemsService] = impl["Items"]
    get, close = getter(app, "httpx.AsyncClient")
    try:
        assert await get("/ping", "") == (200, {"id": 0, "source": "db+settings"})
        assert await get("/items/4", "k") == (200, {"id": 4, "source": "db+settings for caller"})
    finally:
        await close()
