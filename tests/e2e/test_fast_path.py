"""The fast path: every operation runs a plan compiled at start, not FastAPI's solver.

The same endpoint serves through a :class:`FastRoute` whether its service is an instance, a
class or a factory (their dependencies compiled into the plan), and through FastAPI's
``APIRoute`` (dependencies resolved per request) when the plan is switched off, as it is for
what it does not compile. All must answer every request identically; only the machinery
differs.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from fastapi.routing import APIRoute
from starlette.requests import Request

from tests.e2e.conftest import GeneratedApi, MakeApi, client
from tests.e2e.specs import TASKS, VAULT
from tests.e2e.test_basics import Admin, make_tasks_service
from tests.e2e.test_security import Security, make_vault

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(TASKS)


def _routing(api: GeneratedApi) -> Any:
    return importlib.import_module(f"{api.name}._runtime.routing")


def _operation_routes(app: Any) -> list[Any]:
    return [r for r in app.router.routes if getattr(r, "path", "").startswith("/api/")]


def _solved_app(api: GeneratedApi, monkeypatch: pytest.MonkeyPatch, **services: Any) -> Any:
    """The app with every operation on FastAPI's own dependency solving (no plan compiled)."""
    with monkeypatch.context() as patch:
        patch.setattr(_routing(api), "fast_plan", lambda *args, **kwargs: None)
        app = api.create_app(**services)
    assert all(isinstance(r, APIRoute) for r in _operation_routes(app))
    return app


def test_instances_classes_and_factories_all_get_fast_routes(api: GeneratedApi) -> None:
    routing = _routing(api)
    fast = api.create_app(tasks=make_tasks_service(api), admin=Admin())
    assert _operation_routes(fast)
    assert all(isinstance(r, routing.FastRoute) for r in _operation_routes(fast))

    service = make_tasks_service(api)
    per_request = api.create_app(tasks=lambda: service, admin=Admin)
    assert all(isinstance(r, routing.FastRoute) for r in _operation_routes(per_request))


def test_a_dependency_reading_parameters_itself_keeps_the_fastapi_route(api: GeneratedApi) -> None:
    service = make_tasks_service(api)

    def tasks(trace: str | None = None) -> Any:  # a query parameter of its own: FastAPI's job
        return service

    app = api.create_app(tasks=tasks, admin=Admin())
    task_routes = [r for r in _operation_routes(app) if "/tasks" in r.path]
    assert task_routes and all(isinstance(r, APIRoute) for r in task_routes)


REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/api/tasks", {"json": {"title": "first"}}),
    ("POST", "/api/tasks", {"json": {"title": "first"}}),  # 409
    ("POST", "/api/tasks", {"json": {"title": ""}}),  # 422 body
    ("GET", "/api/tasks", {"params": {"limit": "5"}, "headers": {"X-Request-Id": "r1"}}),
    ("GET", "/api/tasks", {"params": {"limit": "0"}}),  # 422 query
    ("GET", "/api/tasks", {"params": {"limit": "x", "status": "nope"}}),  # two errors
    ("GET", "/api/tasks", {"cookies": {"session": "s1"}}),
    ("GET", "/api/tasks/1", {}),
    ("GET", "/api/tasks/abc", {}),  # 422 path
    ("GET", "/api/tasks/404", {}),
    ("GET", "/api/tasks/99", {}),  # undeclared result: 500 problem
    ("GET", "/api/admin/stats", {}),  # a dict validated into the model
    ("DELETE", "/api/tasks/1", {}),
    ("HEAD", "/api/tasks/1", {}),  # not declared: 405 on both
]


async def _answers(app: Any, requests: list[tuple[str, str, dict[str, Any]]]) -> list[Any]:
    out = []
    async with client(app) as c:
        for method, path, kwargs in requests:
            cookies = kwargs.pop("cookies", None)
            c.cookies.clear()
            if cookies:
                c.cookies.update(cookies)
            res = await c.request(method, path, **kwargs)
            if cookies:
                kwargs["cookies"] = cookies
            headers = {k: v for k, v in res.headers.items() if k != "content-length"}
            out.append((method, path, res.status_code, res.text, headers))
    return out


@pytest.mark.filterwarnings("ignore::UserWarning")
async def test_fast_and_solved_routes_answer_identically(
    api: GeneratedApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = api.create_app(tasks=make_tasks_service(api), admin=Admin())
    service = make_tasks_service(api)
    per_request = api.create_app(tasks=lambda: service, admin=Admin)
    other = make_tasks_service(api)
    solved = _solved_app(api, monkeypatch, tasks=lambda: other, admin=Admin)
    expected = await _answers(solved, REQUESTS)
    assert await _answers(fast, REQUESTS) == expected
    assert await _answers(per_request, REQUESTS) == expected


@pytest.fixture(scope="module")
def vault(make_api: MakeApi) -> GeneratedApi:
    return make_api(VAULT)


async def test_security_on_the_fast_path_matches_fastapi_dependencies(
    vault: GeneratedApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    routing = _routing(vault)
    fast = vault.create_app(security=Security(), vault=make_vault(vault))
    secured = [r for r in fast.router.routes if isinstance(r, routing.FastRoute)]
    assert secured, "an instance security handler keeps the fast path"
    per_request = vault.create_app(security=Security, vault=make_vault(vault))
    # a handler class is built per request by the compiled plan: every route stays fast
    assert {
        (r.path, *r.methods) for r in per_request.router.routes if isinstance(r, routing.FastRoute)
    } == {(r.path, *r.methods) for r in secured}
    solved = _solved_app(vault, monkeypatch, security=Security, vault=make_vault(vault))
    requests: list[tuple[str, str, dict[str, Any]]] = [
        (method, route.path.replace("{", "").replace("}", ""), extra)
        for route in secured
        for method in sorted(route.methods)
        for extra in (
            {},
            {"headers": {"Authorization": "Bearer good"}},
            {"headers": {"Authorization": "Bearer bad"}},
            {"headers": {"Authorization": "Basic Z29vZDpnb29k"}},
            {"headers": {"X-API-Key": "good"}},
        )
    ]
    expected = await _answers(solved, requests)
    assert await _answers(fast, requests) == expected
    assert await _answers(per_request, requests) == expected


async def test_paths_without_parameters_are_matched_as_strings(api: GeneratedApi) -> None:
    """Routes at a path without parameters compare it as a string instead of running its
    regex: the same requests match (405 for another method, HEAD of the bundled spec), and a
    trailing newline, which the regex's ``$`` let through, is no longer the operation's path."""
    routing = _routing(api)
    app = api.create_app(tasks=make_tasks_service(api), admin=Admin())
    statics = {r.path for r in app.router.routes if isinstance(r, routing.StaticRoute)}
    assert statics == {"/openapi.json", "/openapi.yaml"}
    async with client(app) as c:
        listed = await c.get("/api/tasks")
        newline = await c.get("/api/tasks%0A")
        spec = await c.head("/openapi.json")
        spec_newline = await c.get("/openapi.json%0A")
        other_method = await c.delete("/api/tasks")
    assert listed.status_code == 200, listed.text
    assert newline.status_code == 404, newline.text
    assert spec.status_code == 200
    assert spec_newline.status_code == 404
    assert other_method.status_code == 405


QUERIES: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/api/tasks?limit=2", {}),
    ("GET", "/api/tasks?limit=50&limit=1", {}),  # repeated: the last one counts
    ("GET", "/api/tasks?limit=0&status=open", {}),  # 422
    ("GET", "/api/tasks?status=&tag=abc&limit=3", {}),  # a blank value is a value
    ("GET", "/api/tasks?tag=a%20b&tag=ok", {}),
    ("GET", "/api/tasks?st%61tus=done&unknown=1", {}),
]


@pytest.mark.filterwarnings("ignore::UserWarning")
async def test_query_parameters_are_read_as_starlette_reads_them(
    api: GeneratedApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan parses the query string itself (no ``QueryParams`` built per request), with
    the same answers as FastAPI's solver reading Starlette's."""
    service = make_tasks_service(api)
    solved = _solved_app(api, monkeypatch, tasks=lambda: service, admin=Admin)
    expected = await _answers(solved, QUERIES)
    fast = api.create_app(tasks=make_tasks_service(api), admin=Admin())

    def built(request: Any) -> Any:
        raise AssertionError("QueryParams built")

    monkeypatch.setattr(Request, "query_params", property(built))
    assert await _answers(fast, QUERIES) == expected


async def test_a_lazily_built_tag_compiles_only_the_plans_of_operations_called(
    api: GeneratedApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tag's router built on its first request leaves each plan to the route's own first
    request (FastAPI's analysis of a signature is most of building a route): calling one
    operation of a tag compiles that operation's plan only."""
    routing = _routing(api)
    compiled: list[str] = []
    real = routing.fast_plan

    def counting(endpoint: Any, path: str, *args: Any, **kwargs: Any) -> Any:
        compiled.append(endpoint.__name__)
        return real(endpoint, path, *args, **kwargs)

    monkeypatch.setattr(routing, "fast_plan", counting)
    app = api.create_app(tasks=make_tasks_service(api), admin=Admin(), lazy_routes=True)
    assert compiled == []
    async with client(app) as c:
        assert (await c.get("/api/tasks/404")).status_code == 404  # the service's answer
        assert compiled == ["get_task"]
        task_routes = [r for r in _operation_routes(app) if "/tasks" in r.path]
        assert len(task_routes) > 3 and all(isinstance(r, routing.FastRoute) for r in task_routes)
        assert (await c.get("/api/tasks/404")).status_code == 404
        assert (await c.put("/api/tasks/2")).status_code == 405
        assert compiled == ["get_task"]  # compiled once, and no more for a wrong method
    compiled.clear()
    api.create_app(tasks=make_tasks_service(api), admin=Admin(), lazy_routes=False)
    assert len(compiled) == len(_operation_routes(app)) and "get_task" in compiled


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("plans", [True, False], ids=["compiled", "none-compiles"])
async def test_lazily_built_routes_answer_as_eager_ones(
    api: GeneratedApi, monkeypatch: pytest.MonkeyPatch, plans: bool
) -> None:
    """Plans compiled on a route's first request answer as those compiled at start, and a
    route whose plan turns out not to compile hands every request to FastAPI's route."""
    expected = await _answers(
        api.create_app(tasks=make_tasks_service(api), admin=Admin(), lazy_routes=False), REQUESTS
    )
    lazy = api.create_app(tasks=make_tasks_service(api), admin=Admin(), lazy_routes=True)
    with monkeypatch.context() as patch:
        if not plans:
            patch.setattr(_routing(api), "fast_plan", lambda *args, **kwargs: None)
        assert await _answers(lazy, REQUESTS) == expected


async def test_lazy_routes_compile_the_regex_of_paths_a_request_could_match_only(
    api: GeneratedApi,
) -> None:
    """Placeholders compile no path regex at ``create_app``; a request compiles those of the
    routes whose literal prefix its path starts with, and matching is unchanged."""
    routing = _routing(api)
    routing._compiled_path.cache_clear()
    app = api.create_app(tasks=make_tasks_service(api), admin=Admin(), lazy_routes=True)
    lazy = [r for r in _operation_routes(app) if isinstance(r, routing.LazyRoute)]
    assert len(lazy) > 4 and routing._compiled_path.cache_info().currsize == 0
    async with client(app) as c:
        assert (await c.get("/api/admin/stats")).status_code == 200
        compiled = routing._compiled_path.cache_info().currsize
        assert 0 < compiled < len({r.path for r in lazy})
        assert (await c.get("/api/nowhere")).status_code == 404
        assert routing._compiled_path.cache_info().currsize == compiled
    task = next(r for r in lazy if r.path.endswith("}"))
    assert task.path_format == task.path and task.param_convertors
    assert task.url_path_for(task.name, **dict.fromkeys(task.param_convertors, "7")).endswith("/7")


def test_generated_placeholders_are_not_inspected(
    api: GeneratedApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``allow_unimplemented``: the generated ``Unimplemented…`` services have the protocol's
    signatures by construction; only the implementations given are checked."""
    app_module = importlib.import_module(f"{api.name}._runtime.app")
    checked: list[str] = []
    real = app_module.check_implementation

    def check(slot: Any, impl: object) -> list[str]:
        checked.append(slot.argument)
        return list(real(slot, impl))

    monkeypatch.setattr(app_module, "check_implementation", check)
    app = api.create_app(tasks=make_tasks_service(api), allow_unimplemented=True)
    assert checked == ["tasks"]
    assert app.router.routes
