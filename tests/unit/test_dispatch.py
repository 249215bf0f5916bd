"""A request's route found through the index of the app's routes: the same answer as asking each.

Starlette asks every route in turn; a big API (Microsoft Graph: 11,422 operations) paid tens of
milliseconds a request for it. The index offers a request only the routes whose template fits
its path; what the router decides over those must be what it decides over all of them.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route, Router

from specfirst.runtime.app import add_routers
from specfirst.runtime.dispatch import IndexedDispatch, RouteIndex, index_routes, template_shape
from specfirst.runtime.routing import LazyRoute, StaticRoute, TagLoader, register_choices


def _endpoint(label: str) -> Any:
    async def endpoint(request: Request) -> Response:
        params = ",".join(f"{k}={v}" for k, v in sorted(request.path_params.items()))
        return PlainTextResponse(f"{label} {params}")

    return endpoint


class _Custom(Route):
    """A route of the user's own class: offered to every request, whatever its path."""

    def matches(self, scope: Any) -> Any:
        match, child = super().matches(scope)
        return match, child


def _routes() -> list[BaseRoute]:
    async def static_app(scope: Any, receive: Any, send: Any) -> None:
        await PlainTextResponse("mounted " + scope["path"])(scope, receive, send)

    return [
        StaticRoute("/openapi.json", _endpoint("spec")),
        Route("/users/me", _endpoint("me"), methods=["GET"]),
        Route("/users/", _endpoint("users-slash"), methods=["GET"]),
        Route("/users/{id}", _endpoint("user"), methods=["GET"]),
        Route("/users/{id}", _endpoint("user-delete"), methods=["DELETE"]),
        Route("/users/{id}/posts/{post:int}", _endpoint("post"), methods=["GET"]),
        Route("/files/{name}.json", _endpoint("file"), methods=["GET"]),
        Route("/static/{rest:path}", _endpoint("static"), methods=["GET"]),
        Route("/reports/count(period='{period}')", _endpoint("report"), methods=["GET"]),
        Route("/things", _endpoint("things"), methods=["POST"]),
        Route("/odd/{user-id}", _endpoint("literal-braces"), methods=["GET"]),
        Mount("/docs/static", app=static_app),
        _Custom("/custom/{x}", _endpoint("custom"), methods=["GET"]),
    ]


def _app(indexed: bool) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.router.routes.extend(_routes())
    if indexed:
        assert index_routes(app.router, scan_below=0) is not None
    return app


def _send(app: FastAPI, method: str, path: str) -> tuple[int, str, str | None]:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.request(method, path)

    answer = asyncio.run(go())
    return answer.status_code, answer.text, answer.headers.get("location")


REQUESTS = [
    ("GET", "/openapi.json"),
    ("GET", "/users/me"),
    ("GET", "/users/42"),
    ("DELETE", "/users/42"),
    ("POST", "/users/42"),  # 405: the path matches, the method does not
    ("GET", "/users/42/"),  # redirected without the slash
    ("GET", "/users"),  # redirected to /users/
    ("GET", "/users/"),
    ("GET", "/users/42/posts/7"),
    ("GET", "/users/42/posts/x"),  # int convertor: no match
    ("GET", "/files/report.json"),
    ("GET", "/files/report.xml"),
    ("GET", "/static/a/b/c.css"),
    ("GET", "/static/"),
    ("GET", "/reports/count(period='D7')"),
    ("GET", "/things"),  # 405
    ("GET", "/things/"),  # redirected, then 405
    ("GET", "/odd/{user-id}"),
    ("GET", "/odd/7"),
    ("GET", "/docs/static/swagger.js"),
    ("GET", "/custom/1"),
    ("GET", "/nowhere"),
    ("GET", "/"),
    ("GET", "/users/a%2Fb"),
]


@pytest.mark.parametrize(("method", "path"), REQUESTS)
def test_the_index_answers_as_asking_every_route(method: str, path: str) -> None:
    assert _send(_app(indexed=True), method, path) == _send(_app(indexed=False), method, path)


def test_a_request_is_offered_only_the_routes_its_path_fits() -> None:
    router = Router()
    for n in range(1000):
        router.routes.append(Route(f"/items{n}/{{id}}", _endpoint(f"item{n}")))
        router.routes.append(Route(f"/items{n}/{{id}}/parts", _endpoint(f"parts{n}")))
    router.routes.append(Mount("/docs", app=router))  # not filed: offered to every request
    index = RouteIndex(router)
    scope = {"type": "http", "path": "/items7/x", "root_path": "", "raw_path": b"/items7/x"}
    offered = index.candidates(scope)
    assert offered == [router.routes[14], router.routes[-1]]  # "/items7/{id}" and the mount


def test_routes_added_after_the_first_request_are_found() -> None:
    app = _app(indexed=True)
    assert _send(app, "GET", "/later/1")[0] == 404
    app.add_route("/later/{n}", _endpoint("later"), methods=["GET"])
    assert _send(app, "GET", "/later/1") == (200, "later n=1", None)
    app.router.routes.insert(0, Route("/later/{n}", _endpoint("first"), methods=["GET"]))
    assert _send(app, "GET", "/later/2") == (200, "first n=2", None)


def test_a_tag_loaded_in_place_keeps_the_index() -> None:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    index = index_routes(app.router, scan_below=0)
    assert index is not None

    def build() -> APIRouter:
        built = APIRouter()
        route = Route("/things/{id}", _endpoint("thing"), methods=["GET"])
        vars(route)["operation_id"] = "getThing"  # as the routes of an OperationRouter carry
        built.routes.append(route)
        return built

    loader = TagLoader(app.router, build, index)
    app.router.routes.append(
        LazyRoute(
            "/things/{id}",
            method="GET",
            name="get_thing",
            operation_id="getThing",
            required_query={},
            loader=loader,
        )
    )
    app.router.routes.append(Route("/other", _endpoint("other"), methods=["GET"]))
    assert _send(app, "GET", "/other")[0] == 200  # the index is built
    assert index.fresh()
    assert _send(app, "GET", "/things/3") == (200, "thing id=3", None)
    assert not isinstance(app.router.routes[0], LazyRoute)
    assert index.fresh()  # the placeholder's replacement has its template: nothing to redo
    assert _send(app, "GET", "/things/4") == (200, "thing id=4", None)


def test_a_router_with_a_body_limit_is_indexed_too() -> None:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, max_body_size=10)
    app.router.routes.extend(_routes())
    assert index_routes(app.router, scan_below=0) is not None
    stack: Any = app.router.middleware_stack
    while not isinstance(stack, IndexedDispatch):
        stack = stack.app
    assert _send(app, "GET", "/users/42") == (200, "user id=42", None)
    assert index_routes(app.router) is stack.index  # installed once


def test_a_short_route_list_is_scanned_as_before() -> None:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.router.routes.extend(_routes())
    index = index_routes(app.router)
    assert index is not None
    assert _send(app, "GET", "/users/42") == (200, "user id=42", None)
    assert not index.fresh()  # never built: the 13 routes were asked in turn
    app.router.routes.extend(
        Route(f"/more{n}/{{id}}", _endpoint(f"more{n}"), methods=["GET"]) for n in range(20)
    )
    assert _send(app, "GET", "/more3/1") == (200, "more3 id=1", None)
    assert index.fresh()


@pytest.mark.parametrize(
    ("template", "shape"),
    [
        ("/users/me", (("users", "me"), False)),
        ("/users/{id}", (("users", None), False)),
        ("/users/{id:int}/x", (("users", None, "x"), False)),
        ("/files/{name}.{ext}", (("files", None), False)),
        ("/static/{rest:path}", (("static",), True)),
        ("/odd/{user-id}", (("odd", "{user-id}"), False)),  # not a parameter to Starlette
        ("/", (("",), False)),
        ("relative", None),
    ],
)
def test_template_shapes(template: str, shape: Any) -> None:
    assert template_shape(template) == shape


def test_a_choice_of_values_stays_in_its_segment() -> None:
    # `/blog/{page}{ext}` with `ext` an enum: filed under its segment, not offered to every path
    register_choices({"choice_test_dispatch": (".json", ".xml")})
    assert template_shape("/blog/{page}{ext:choice_test_dispatch}/x") == (
        ("blog", None, "x"),
        False,
    )
    with pytest.raises(ValueError, match="choice_slash"):
        register_choices({"choice_slash": ("a/b",)})
    route = Route("/blog/{page}{ext:choice_test_dispatch}", _endpoint("blog"), name="blog")
    assert route.url_path_for("blog", page="a.b", ext=".xml") == "/blog/a.b.xml"
    assert route.matches({"type": "http", "path": "/blog/a.b.xml", "method": "GET"})[1][
        "path_params"
    ] == {"page": "a.b", "ext": ".xml"}


def test_a_generated_app_finds_its_routes_through_the_index() -> None:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    add_routers(app, "no_package_needed", [], lambda: None, "", lazy=False)
    assert isinstance(app.router.middleware_stack, IndexedDispatch)
