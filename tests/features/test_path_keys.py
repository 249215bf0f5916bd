"""Path keys that carry more than a path: a fragment (AutoRest's ``#Operation_Name`` suffix).

A fragment is never sent by a client, so ``/{tenant}/{nextLink}#Users_ListNext`` is served at
``/{tenant}/{nextLink}``; operations whose keys differ only in the fragment are one route, and
the generator says which of them the app calls.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from starlette.convertors import CONVERTOR_TYPES

from specfirst.diagnostics import Level
from specfirst.pipeline import generate
from tests.e2e.conftest import MakeApi, client

SPEC = """
openapi: 3.0.3
info: {title: Fragments, version: "1"}
tags: [{name: items}]
paths:
  /{tenant}/items:
    get:
      operationId: Items_List
      tags: [items]
      parameters: [{name: tenant, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok, content: {application/json: {schema: {type: string}}}}}
  /{tenant}/{nextLink}#Items_ListNext:
    get:
      operationId: Items_ListNext
      tags: [items]
      parameters:
        - {name: tenant, in: path, required: true, schema: {type: string}}
        - {name: nextLink, in: path, required: true, schema: {type: string}}
      responses: {"200": {description: ok, content: {application/json: {schema: {type: string}}}}}
  /{tenant}/{nextLink}#Objects_GetNext:
    get:
      operationId: Objects_GetNext
      tags: [items]
      parameters:
        - {name: tenant, in: path, required: true, schema: {type: string}}
        - {name: nextLink, in: path, required: true, schema: {type: string}}
      responses: {"200": {description: ok, content: {application/json: {schema: {type: string}}}}}
    post:
      operationId: Objects_PostNext
      tags: [items]
      parameters:
        - {name: tenant, in: path, required: true, schema: {type: string}}
        - {name: nextLink, in: path, required: true, schema: {type: string}}
        - {name: api-version, in: query, required: true, schema: {type: string}}
      responses: {"200": {description: ok, content: {application/json: {schema: {type: string}}}}}
"""


class Items:
    async def items_list(self, *, tenant: str) -> str:
        return f"list {tenant}"

    async def items_list_next(self, *, tenant: str, next_link: str) -> str:
        return f"items next {tenant} {next_link}"

    async def objects_get_next(self, *, tenant: str, next_link: str) -> str:
        return "never called"

    async def objects_post_next(self, *, tenant: str, next_link: str, api_version: str) -> str:
        return f"post next {tenant} {next_link} {api_version}"


async def test_a_fragment_is_not_part_of_the_route(make_api: MakeApi) -> None:
    app = make_api(SPEC).create_app(items=Items())
    async with client(app) as c:
        posted = await c.post("/t1/page2", params={"api-version": "1.6"})
        listed = await c.get("/t1/items")
        nothing = await c.post("/t1/page2")
    assert posted.status_code == 200 and posted.json() == "post next t1 page2 1.6"
    assert listed.json() == "list t1"  # the literal segment still wins over {nextLink}
    assert nothing.status_code == 422  # routed: its required query parameter is checked


async def test_keys_differing_only_in_the_fragment_are_one_route(make_api: MakeApi) -> None:
    app = make_api(SPEC).create_app(items=Items())
    async with client(app) as c:
        got = await c.get("/t1/page2")
    assert got.json() == "items next t1 page2"


def test_the_operation_that_is_never_called_is_named(tmp_path: Path) -> None:
    spec = tmp_path / "fragments.yaml"
    spec.write_text(textwrap.dedent(SPEC), encoding="utf-8")
    result = generate(spec, tmp_path / "out", cache_dir=None, force=True)
    assert result.ok
    found = [d for d in result.diagnostics if d.rule == "unreachable-operation"]
    assert [(d.level, d.location and d.location.line, d.message) for d in found] == [
        (
            Level.WARNING,
            21,  # the GET of the second key
            "GET '/{tenant}/{nextLink}#Objects_GetNext' ('Objects_GetNext') is served by "
            "'Items_ListNext' ('/{tenant}/{nextLink}#Items_ListNext'), which takes the same "
            "requests; this operation is never called",
        )
    ]
    notes = [d.message for d in result.diagnostics if "fragment" in d.message]
    assert len(notes) == 3 and all("is served at '/{tenant}/{nextLink}'" in n for n in notes)


BOUNDARIES = """
openapi: 3.0.3
info: {title: Path items, version: "1"}
tags: [{name: boundaries}]
paths:
  /boundaries/query:
    post:
      operationId: queryBoundaries
      tags: [boundaries]
      responses: {"200": {description: ok, content: {application/json: {schema: {type: string}}}}}
  /boundaries/{id}:
    get:
      operationId: getBoundary
      tags: [boundaries]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok, content: {application/json: {schema: {type: string}}}}}
    delete:
      operationId: deleteBoundary
      tags: [boundaries]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"204": {description: gone}}
  /boundaries/{id}:cancel:
    post:
      operationId: cancelBoundary
      tags: [boundaries]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok, content: {application/json: {schema: {type: string}}}}}
  /boundaries/{id}?full=true:
    get:
      operationId: getFullBoundary
      tags: [boundaries]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok, content: {application/json: {schema: {type: string}}}}}
"""


class Boundaries:
    async def query_boundaries(self) -> str:
        return "query"

    async def get_boundary(self, *, id: str) -> str:
        return f"boundary {id}"

    async def delete_boundary(self, *, id: str) -> None:
        return None

    async def get_full_boundary(self, *, id: str) -> str:
        return f"full {id}"

    async def cancel_boundary(self, *, id: str) -> str:
        return f"cancelled {id}"


@pytest.mark.parametrize("service", [Boundaries(), Boundaries], ids=["fast path", "FastAPI route"])
async def test_a_url_belongs_to_its_most_specific_path(make_api: MakeApi, service: Any) -> None:
    # climate.com, dev.to, combell: `GET /boundaries/query` was answered by `GET
    # /boundaries/{id}` (id="query"), and a 405 there advertised `Allow: GET, POST`. OpenAPI
    # matches the concrete path first and looks the method up in that path item only.
    app = make_api(BOUNDARIES).create_app(boundaries=service)
    async with client(app) as c:
        posted = await c.post("/boundaries/query")
        got = await c.get("/boundaries/b1")
        wrong = await c.get("/boundaries/query")
        options = await c.options("/boundaries/query")
        templated = await c.put("/boundaries/b1")
        full = await c.get("/boundaries/b1", params={"full": "true"})
        full_options = await c.options("/boundaries/b1", params={"full": "true"})
        cancelled = await c.post("/boundaries/b1:cancel")
        cancel_options = await c.options("/boundaries/b1:cancel")
    assert posted.json() == "query" and got.json() == "boundary b1"
    assert wrong.status_code == 405 and wrong.headers["allow"] == "POST"
    assert options.status_code == 405 and options.headers["allow"] == "POST"
    assert templated.status_code == 405 and templated.headers["allow"] == "DELETE, GET"
    # formapi's `/templates/{id}?full=true`: a path key with a query string is its own path item
    assert full.json() == "full b1"
    assert full_options.status_code == 405 and full_options.headers["allow"] == "GET"
    # bigtableadmin's `/v2/{name}:checkConsistency` beside `/v2/{name}`: the segment with
    # literal text is the more specific path
    assert cancelled.json() == "cancelled b1"
    assert cancel_options.status_code == 405 and cancel_options.headers["allow"] == "POST"


FEEDS = """
openapi: 3.0.3
info: {title: Feeds, version: "1"}
paths:
  /feeds/{id}:
    get:
      operationId: getFeed
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok, content: {application/json: {schema: {type: string}}}}}
  /feeds/{id}/items:
    get:
      operationId: getFeedItems
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok, content: {application/json: {schema: {type: string}}}}}
"""


class Feeds:
    async def get_feed(self, *, id: str) -> str:
        return f"feed {id}"

    async def get_feed_items(self, *, id: str) -> str:
        return f"items {id}"


async def test_a_path_parameter_may_hold_an_encoded_slash(make_api: MakeApi) -> None:
    """shutterstock's livefeed ids are dates with slashes, sent as ``%2F``; the server decodes
    the path before routing, so the value must still match its one segment."""
    app = make_api(FEEDS).create_app(default=Feeds())
    async with client(app) as c:
        feed = await c.get("/feeds/2018%2F10%2F15%2FLunch%20%26%20Awards")
        items = await c.get("/feeds/2018%2F10/items")
        split = await c.get("/feeds/2018/10")  # a real slash is another path: no operation
    assert feed.status_code == 200 and feed.json() == "feed 2018/10/15/Lunch & Awards"
    assert items.status_code == 200 and items.json() == "items 2018/10"
    assert split.status_code == 404


TILES = """
openapi: 3.0.3
info: {title: Tiles, version: "1"}
paths:
  /tile/{y}.{format}:
    get:
      operationId: getTile
      parameters:
        - {name: y, in: path, required: true, schema: {type: integer}}
        - {name: format, in: path, required: true, schema: {type: string, enum: [png, jpg]}}
      responses: {"200": {description: ok, content: {application/json: {schema: {type: string}}}}}
  /tile/{y}.pbf:
    get:
      operationId: getVectorTile
      parameters: [{name: y, in: path, required: true, schema: {type: integer}}]
      responses: {"200": {description: ok, content: {application/json: {schema: {type: string}}}}}
"""


class Tiles:
    async def get_tile(self, *, y: int, format: str) -> str:
        return f"tile {y} {format}"

    async def get_vector_tile(self, *, y: int) -> str:
        return f"vector {y}"


async def test_a_segment_with_more_literal_text_is_the_more_specific_path(
    make_api: MakeApi,
) -> None:
    """tomtom's maps: `/tile/{Y}.pbf` was answered by `/tile/{Y}.{format}` (format="pbf", not
    in its enum: a 400), tried first though it has one more variable in the segment."""
    app = make_api(TILES).create_app(default=Tiles())
    async with client(app) as c:
        vector = await c.get("/tile/3.pbf")
        raster = await c.get("/tile/3.png")
    assert vector.status_code == 200 and vector.json() == "vector 3"
    assert raster.status_code == 200 and raster.json() == "tile 3 png"


PAGES = """
openapi: 3.0.3
info: {title: Pages, version: "1"}
paths:
  /blog/{pageName}{ext}:
    get:
      operationId: getPage
      parameters:
        - {name: ext, in: path, required: true, schema: {type: string, enum: [.json, .json.gz]}}
        - {name: pageName, in: path, required: true, schema: {type: string}}
      responses: {"200": {description: ok, content: {application/json: {schema: {type: string}}}}}
  /v{version}{resource}:
    get:
      operationId: getVersioned
      parameters:
        - {name: version, in: path, required: true, schema: {type: integer, enum: [1, 2]}}
        - {name: resource, in: path, required: true, schema: {type: string}}
      responses: {"200": {description: ok, content: {application/json: {schema: {type: string}}}}}
"""


class Pages:
    async def get_page(self, *, ext: str, page_name: str) -> str:
        return f"{page_name} as {ext}"

    async def get_versioned(self, *, version: int, resource: str) -> str:
        return f"{resource} of v{version}"


@pytest.mark.parametrize("lazy", [True, False], ids=["lazy routes", "routes at start"])
@pytest.mark.parametrize("service", [Pages(), Pages], ids=["fast path", "FastAPI route"])
async def test_parameters_sharing_a_segment_split_where_one_takes_a_list(
    make_api: MakeApi, service: Any, lazy: bool
) -> None:
    # healthcare.gov's `/blog/{pageName}{mediaTypeExtension}` (enum [.json]): Starlette's
    # greedy `[^/]+` gave the page `readme.jso` and the extension `n`, a 422 for every request
    app = make_api(PAGES).create_app(default=service, lazy_routes=lazy)
    async with client(app) as c:
        page = await c.get("/blog/readme.json")
        dotted = await c.get("/blog/v1.2.json")
        longer = await c.get("/blog/readme.json.gz")
        other = await c.get("/blog/readme.yaml")
        versioned = await c.get("/v2users")
        unknown = await c.get("/v3users")
    assert page.json() == "readme as .json"
    assert dotted.json() == "v1.2 as .json"
    assert longer.json() == "readme as .json.gz"
    assert other.status_code == 404  # no split of `readme.yaml` is one the path describes
    assert versioned.json() == "users of v2"
    assert unknown.status_code == 404


def test_the_route_names_a_convertor_of_the_values(make_api: MakeApi) -> None:
    api = make_api(PAGES)
    source = (api.path / "routers" / "__init__.py").read_text(encoding="utf-8")
    kinds = dict(re.findall(r'"/(blog/{page_name}{ext|v{version):(choice_[0-9a-f]+)}', source))
    assert CONVERTOR_TYPES[kinds["blog/{page_name}{ext"]].regex == r"\.json\.gz|\.json"
    assert CONVERTOR_TYPES[kinds["v{version"]].regex == "1|2"
    assert '"choice_' in source and '(".json", ".json.gz")' in source and '("1", "2")' in source
