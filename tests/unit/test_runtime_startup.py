"""The runtime's share of a big API's first request: what it costs per model class and per tag.

Microsoft Graph's tags each reach about 1,400 model classes, created when the tag's router is
first imported; these tests pin what keeps that creation cheap.
"""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from typing import Annotated, Any

import httpx
import pydantic
import pytest
from fastapi import FastAPI
from pydantic_core import CoreSchema
from starlette.routing import BaseRoute, Route, Router

from specfirst.runtime.app import serve_spec
from specfirst.runtime.base import BaseModel, RootModel, constrain
from specfirst.runtime.problems import path_shape
from specfirst.runtime.routing import LazyRoute, TagLoader


def test_schema_rules_stay_class_attributes_not_fields() -> None:
    class Item(BaseModel):
        name: str | None = None
        tags: list[str] | None = None

    constrain(Item, unique=("tags",), not_null=("name",))
    assert set(Item.model_fields) == {"name", "tags"}
    assert not Item.__private_attributes__
    assert BaseModel.__sf_not_null__ == BaseModel.__sf_unique__ == ()
    with pytest.raises(pydantic.ValidationError):
        Item.model_validate_json('{"name": null}')
    with pytest.raises(pydantic.ValidationError):
        Item.model_validate_json('{"tags": ["a", "a"]}')
    assert Item.model_validate_json('{"name": "n", "tags": ["a"]}').name == "n"


class _Operation(Route):
    operation_id = "listThings"  # what the routes of an OperationRouter carry


def _loader(seen: list[bool]) -> tuple[TagLoader, Router]:
    app_router = Router()

    def build() -> Any:
        seen.append(gc.isenabled())
        built = Router()
        built.routes.append(_Operation("/things", lambda request: None))
        return built

    loader = TagLoader(app_router, build)
    placeholder = LazyRoute(
        "/things",
        method="GET",
        name="list_things",
        operation_id="listThings",
        required_query={},
        loader=loader,
    )
    app_router.routes.append(placeholder)
    return loader, app_router


@pytest.mark.parametrize("enabled", [True, False])
def test_a_tag_is_built_with_the_collector_paused_then_as_it_was(enabled: bool) -> None:
    seen: list[bool] = []
    loader, app_router = _loader(seen)
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        route: BaseRoute = loader.route("listThings")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [False]
    assert app_router.routes == [route]  # the placeholder was replaced by the real route


def test_placeholders_share_one_asgi_app() -> None:
    loader, _ = _loader([])
    routes = [
        LazyRoute(
            f"/things/{n}",
            method="GET",
            name=f"thing_{n}",
            operation_id=f"thing{n}",
            required_query={},
            loader=loader,
        )
        for n in range(3)
    ]
    assert len({id(route.app) for route in routes}) == 1


@pytest.mark.parametrize(
    ("path", "shape"),
    [
        ("/", ((0, 0, 0),)),
        ("/users/me", ((0, 0, 0), (0, 0, 0))),
        ("/users/{id}", ((0, 0, 0), (2, 1, 0))),
        ("/v1/{name}:cancel", ((0, 0, 0), (1, 1, -7))),
        ("/tiles/{y}.{format}", ((0, 0, 0), (1, 2, -1))),
        (
            "/drives/{drive-id}/items/{item-id}/x",
            ((0, 0, 0), (2, 1, 0), (0, 0, 0), (2, 1, 0), (0, 0, 0)),
        ),
    ],
)
def test_path_shape_orders_literal_segments_first(path: str, shape: tuple[Any, ...]) -> None:
    assert path_shape(path) == shape


def _package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "__init__.py").write_text("", encoding="utf-8")
    (folder / "openapi.json").write_text('{"openapi": "3.1.0"}', encoding="utf-8")
    (folder / "openapi.yaml").write_text("openapi: 3.1.0\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return folder


def _get(app: FastAPI, path: str) -> httpx.Response:
    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.get(path)

    return asyncio.run(get())


def test_the_bundled_documents_are_read_on_their_first_request_then_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _package(tmp_path, monkeypatch, "sf_docs_read_late")
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)  # as a generated app's
    serve_spec(app, "sf_docs_read_late", "T", docs=False)
    # not read at start-up: what the file holds when first asked for is served
    (folder / "openapi.json").write_text('{"openapi": "3.1.1"}', encoding="utf-8")
    first = _get(app, "/openapi.json")
    assert first.status_code == 200 and first.json() == {"openapi": "3.1.1"}
    assert first.headers["content-type"] == "application/json"
    (folder / "openapi.json").write_text('{"openapi": "3.2.0"}', encoding="utf-8")
    assert _get(app, "/openapi.json").json() == {"openapi": "3.1.1"}  # read once
    yaml = _get(app, "/openapi.yaml")
    assert yaml.text == "openapi: 3.1.0\n"
    assert yaml.headers["content-type"] == "application/yaml"


def test_a_missing_bundled_document_stops_the_app_at_start_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _package(tmp_path, monkeypatch, "sf_docs_missing")
    (folder / "openapi.yaml").unlink()
    with pytest.raises(FileNotFoundError, match=r"openapi\.yaml"):
        serve_spec(FastAPI(), "sf_docs_missing", "T", docs=False)


class _Probe:
    """Metadata that records whether the collector ran while its field's schema was built."""

    def __init__(self) -> None:
        self.seen: list[bool] = []

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: pydantic.GetCoreSchemaHandler
    ) -> CoreSchema:
        self.seen.append(gc.isenabled())
        return handler(source)


def test_a_models_schema_is_built_with_the_collector_paused_then_as_it_was() -> None:
    probe = _Probe()

    class Holder(BaseModel):
        text: Annotated[str, probe]

    class Root(RootModel[list[Annotated[str, probe]]]):
        pass

    assert gc.isenabled()
    assert Holder.model_validate({"text": "x"}).text == "x"
    assert Root.model_validate(["y"]).root == ["y"]
    assert probe.seen == [False, False]
    assert gc.isenabled()
    gc.disable()
    try:

        class Later(BaseModel):
            text: Annotated[str, probe]

        Later.model_validate({"text": "z"})
        assert not gc.isenabled()  # left as it was
    finally:
        gc.enable()
