"""Statuses, bodies, headers, parameters, validation, errors, start-up checks and spec serving."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
import yaml

from tests.e2e.conftest import GeneratedApi, MakeApi, client, problem
from tests.e2e.specs import TASKS

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(TASKS)


def make_tasks_service(api: GeneratedApi) -> Any:
    m, r = api.models, api.responses

    class Tasks:
        def __init__(self) -> None:
            self.items: dict[int, Any] = {}

        async def list_tasks(
            self,
            *,
            limit: int,
            status: str | None,
            tag: str | None,
            x_request_id: str | None,
            session: str | None,
        ) -> Any:
            items = list(self.items.values())[:limit]
            page = m.Page(
                items=items, limit=limit, status=status, requestId=x_request_id, session=session
            )
            return r.ListTasks200Response(body=page, x_total_count=len(self.items))

        async def create_task(self, *, body: Any) -> Any:
            if any(t.title == body.title for t in self.items.values()):
                return r.CreateTask409Response(body=m.Error(message="duplicate title"))
            task_id = len(self.items) + 1
            task = m.Task(id=task_id, status="open", **body.model_dump())
            self.items[task_id] = task
            return r.CreateTask201Response(body=task, location=f"/api/tasks/{task_id}")

        async def get_task(self, *, task_id: int) -> Any:
            if task_id == 99:  # undeclared for getTask: a createTask response
                return r.CreateTask409Response(body=m.Error(message="wrong"))
            if task_id == 98:
                raise RuntimeError("boom")
            if task_id == 97:
                raise api.package.ProblemError(418, "short and stout", title="I'm a teapot")
            if task_id not in self.items:
                return r.GetTask404Response(body=m.Error(message=f"no task {task_id}"))
            return self.items[task_id]  # the bare model of the single success

        async def delete_task(self, *, task_id: int) -> Any:
            self.items.pop(task_id, None)
            return None if task_id % 2 else r.DeleteTask204Response()

        async def update_task(self, *, task_id: int, body: Any) -> Any:
            if task_id not in self.items:
                return r.UpdateTaskDefaultResponse(status_code=410, body=m.Error(message="gone"))
            task = m.Task(id=task_id, status="done", **body.model_dump())
            self.items[task_id] = task
            return r.UpdateTask2XXResponse(status_code=202, body=task)

        async def archive_task(self, *, task_id: int, reason: str) -> Any:
            return r.ArchiveTask400Response(body=m.Error(message=f"cannot archive: {reason}"))

    return Tasks()


class Admin:
    async def get_stats(self) -> Any:
        return {"count": 3}  # a dict is not the declared model: undeclared


@pytest.fixture
def app(api: GeneratedApi) -> Any:
    return api.create_app(tasks=make_tasks_service(api), admin=Admin())


async def _create(c: Any, title: str = "write tests", **extra: Any) -> Any:
    return await c.post("/api/tasks", json={"title": title, **extra})


# ---------------------------------------------------------------- statuses, bodies, headers


async def test_create_returns_201_body_and_required_header(app: Any) -> None:
    async with client(app) as c:
        res = await _create(c, priority=5)
    assert res.status_code == 201
    assert res.headers["content-type"] == "application/json"
    assert res.headers["location"] == "/api/tasks/1"
    assert res.json() == {"title": "write tests", "priority": 5, "id": 1, "status": "open"}


async def test_declared_error_response_uses_its_model(app: Any) -> None:
    async with client(app) as c:
        await _create(c)
        res = await _create(c)
    assert res.status_code == 409
    assert res.headers["content-type"] == "application/json"
    assert res.json() == {"message": "duplicate title"}


async def test_bare_model_return_of_single_success(app: Any) -> None:
    async with client(app) as c:
        await _create(c)
        res = await c.get("/api/tasks/1")
        missing = await c.get("/api/tasks/5")
    assert res.status_code == 200
    assert res.json() == {"title": "write tests", "priority": 3, "id": 1, "status": "open"}
    assert missing.status_code == 404
    assert missing.json() == {"message": "no task 5"}


async def test_body_defaults_are_applied(app: Any) -> None:
    async with client(app) as c:
        res = await _create(c)
    assert res.json()["priority"] == 3


async def test_list_defaults_header_and_cookie_params(app: Any) -> None:
    async with client(app) as c:
        await _create(c, "a")
        await _create(c, "b")
        plain = await c.get("/api/tasks")
        full = await c.get(
            "/api/tasks",
            params={"limit": 1, "status": "done", "tag": "abc"},
            headers={"X-Request-Id": "req-7", "Cookie": "session=s3"},
        )
    assert plain.status_code == 200
    assert plain.headers["x-total-count"] == "2"
    assert plain.json()["limit"] == 10  # the spec's default
    assert [t["title"] for t in plain.json()["items"]] == ["a", "b"]
    body = full.json()
    assert body["limit"] == 1 and len(body["items"]) == 1
    assert body["status"] == "done"
    assert body["requestId"] == "req-7"
    assert body["session"] == "s3"


async def test_delete_answers_204_without_body(app: Any) -> None:
    async with client(app) as c:
        odd = await c.delete("/api/tasks/1")  # implementation returns None
        even = await c.delete("/api/tasks/2")  # implementation returns DeleteTask204Response
    for res in (odd, even):
        assert res.status_code == 204
        assert res.content == b""


async def test_2xx_and_default_responses_carry_their_status(app: Any) -> None:
    async with client(app) as c:
        await _create(c)
        updated = await c.patch("/api/tasks/1", json={"title": "renamed"})
        gone = await c.patch("/api/tasks/7", json={"title": "x"})
    assert updated.status_code == 202
    assert updated.json()["title"] == "renamed" and updated.json()["status"] == "done"
    assert gone.status_code == 410
    assert gone.json() == {"message": "gone"}


async def test_problem_error_from_implementation(api: GeneratedApi) -> None:
    """getTask does not declare 418: in production (``undeclared_problems="log"``) the problem
    goes out as raised; by default (development, test) it is a contract violation, a 500."""
    production = api.create_app(
        tasks=make_tasks_service(api), admin=Admin(), undeclared_problems="log"
    )
    async with client(production) as c:
        res = await c.get("/api/tasks/97")
    body = problem(res, 418)
    assert body["title"] == "I'm a teapot"
    assert body["detail"] == "short and stout"
    assert body["instance"] == "/api/tasks/97"


async def test_an_undeclared_problem_status_is_a_500_outside_production(
    app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    async with client(app) as c:
        res = await c.get("/api/tasks/97")
    body = problem(res, 500)
    assert body["detail"] == "the server produced a response the API does not declare"
    assert "contract violation: GET /api/tasks/97 raised a 418 problem" in caplog.text


# ---------------------------------------------------------------- validation


async def test_query_constraints_answer_422_with_pointers(app: Any) -> None:
    async with client(app) as c:
        res = await c.get("/api/tasks", params={"limit": 0, "status": "lost", "tag": "ABC"})
    body = problem(res, 422)
    pointers = sorted(e["pointer"] for e in body["errors"])
    assert pointers == ["/query/limit", "/query/status", "/query/tag"]
    assert all(e["detail"] for e in body["errors"])
    assert body["instance"] == "/api/tasks"


@pytest.mark.parametrize(
    ("params", "pointer"),
    [
        ({"limit": 51}, "/query/limit"),
        ({"limit": "ten"}, "/query/limit"),
        ({"tag": "abcdefghi"}, "/query/tag"),
    ],
)
async def test_each_query_constraint(app: Any, params: dict[str, Any], pointer: str) -> None:
    async with client(app) as c:
        res = await c.get("/api/tasks", params=params)
    assert [e["pointer"] for e in problem(res, 422)["errors"]] == [pointer]


async def test_path_constraint_answers_422(app: Any) -> None:
    async with client(app) as c:
        zero = await c.get("/api/tasks/0")
        word = await c.get("/api/tasks/abc")
    for res in (zero, word):
        [error] = problem(res, 422)["errors"]
        assert error["pointer"].startswith("/path/")


async def test_path_pointer_uses_the_spec_name(app: Any) -> None:
    async with client(app) as c:
        res = await c.get("/api/tasks/0")
    assert [e["pointer"] for e in problem(res, 422)["errors"]] == ["/path/taskId"]


async def test_body_constraints_answer_422_with_pointers(app: Any) -> None:
    async with client(app) as c:
        empty = await c.post("/api/tasks", json={"title": "", "priority": 9})
        missing = await c.post("/api/tasks", json={})
    assert sorted(e["pointer"] for e in problem(empty, 422)["errors"]) == [
        "/body/priority",
        "/body/title",
    ]
    assert [e["pointer"] for e in problem(missing, 422)["errors"]] == ["/body/title"]


async def test_malformed_or_missing_body_answers_422(app: Any) -> None:
    async with client(app) as c:
        broken = await c.post(
            "/api/tasks", content=b"{nope", headers={"content-type": "application/json"}
        )
        absent = await c.post("/api/tasks")
    problem(broken, 422)
    problem(absent, 422)


async def test_validation_answers_400_when_the_spec_declares_400_not_422(app: Any) -> None:
    async with client(app) as c:
        res = await c.post("/api/tasks/1/archive", params={"reason": "no"})
        ok = await c.post("/api/tasks/1/archive", params={"reason": "done with it"})
    # in the spec's own format for 400 (tests/features/test_error_formats.py has the rest)
    assert res.status_code == 400 and res.headers["content-type"] == "application/json"
    assert res.json() == {"message": "the request does not match the API contract"}
    assert ok.status_code == 400 and ok.json() == {"message": "cannot archive: done with it"}


async def test_unknown_path_and_method_are_problems(app: Any) -> None:
    async with client(app) as c:
        nowhere = await c.get("/api/nowhere")
        wrong = await c.put("/api/tasks/1")
    problem(nowhere, 404)
    problem(wrong, 405)
    assert set(wrong.headers["allow"].replace(" ", "").split(",")) == {"GET", "DELETE", "PATCH"}


# ---------------------------------------------------------------- undeclared results, 500s


async def test_undeclared_response_is_500_and_logged(
    app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="specfirst"):
        async with client(app) as c:
            res = await c.get("/api/tasks/99")
    body = problem(res, 500)
    assert "does not declare" in body["detail"]
    [record] = [r for r in caplog.records if r.name == "specfirst"]
    assert record.levelno == logging.ERROR
    message = record.getMessage()
    assert (
        "'getTask'" in message and "CreateTask409Response" in message and "/api/tasks/99" in message
    )


async def test_plain_dict_for_a_model_is_validated_in_one_pass(app: Any) -> None:
    """A handler ported from FastAPI returns a dict where the spec declares a model."""
    async with client(app) as c:
        res = await c.get("/api/admin/stats")
    assert res.status_code == 200, res.text
    assert res.json() == {"count": 3}


@pytest.mark.parametrize(
    ("stats", "where"),
    [({"count": "three"}, "/count"), ({}, "/count"), ([{"count": 1}], "")],
)
async def test_plain_dict_that_does_not_validate_is_a_problem_naming_the_operation(
    api: GeneratedApi, caplog: pytest.LogCaptureFixture, stats: Any, where: str
) -> None:
    class Admin:
        async def get_stats(self) -> Any:
            return stats

    app = api.create_app(admin=Admin(), allow_unimplemented=True)
    with caplog.at_level(logging.ERROR, logger="specfirst"):
        async with client(app) as c:
            res = await c.get("/api/admin/stats")
    body = problem(res, 500)
    assert "'getStats'" in body["detail"]
    [message] = [r.getMessage() for r in caplog.records if r.name == "specfirst"]
    assert "'getStats'" in message and where in message


async def test_range_response_with_status_outside_its_range_is_undeclared(
    api: GeneratedApi, caplog: pytest.LogCaptureFixture
) -> None:
    class Tasks(type(make_tasks_service(api))):  # type: ignore[misc]
        async def update_task(self, *, task_id: int, body: Any) -> Any:
            task = api.models.Task(id=1, status="open", title="x")
            return api.responses.UpdateTask2XXResponse(status_code=404, body=task)

    app = api.create_app(tasks=Tasks(), admin=Admin())
    with caplog.at_level(logging.ERROR, logger="specfirst"):
        async with client(app) as c:
            res = await c.patch("/api/tasks/1", json={"title": "x"})
    assert res.status_code == 500  # as the declared ``default`` error: {"message": ...}
    assert res.json() == {
        "message": "the server produced a response the API does not declare for 'updateTask'"
    }
    assert any(
        "'updateTask'" in r.getMessage() and "status 404 outside 2XX" in r.getMessage()
        for r in caplog.records
    )


async def test_unhandled_exception_is_500_problem(
    app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="specfirst"):
        async with client(app) as c:
            res = await c.get("/api/tasks/98")
    body = problem(res, 500)
    assert "boom" not in res.text  # no internals leak to the client
    assert body["title"] == "Internal Server Error"
    assert any(r.exc_info and "boom" in str(r.exc_info[1]) for r in caplog.records)


# ---------------------------------------------------------------- unimplemented, start-up checks


async def test_unimplemented_service_answers_501(api: GeneratedApi) -> None:
    app = api.create_app(tasks=api.services.UnimplementedTasksService(), admin=Admin())
    async with client(app) as c:
        res = await c.get("/api/tasks/1")
    body = problem(res, 501)
    assert body["detail"] == "operation 'getTask' is not implemented yet"


async def test_allow_unimplemented_fills_missing_services(api: GeneratedApi) -> None:
    app = api.create_app(tasks=make_tasks_service(api), allow_unimplemented=True)
    async with client(app) as c:
        stats = await c.get("/api/admin/stats")
        created = await _create(c)
    assert problem(stats, 501)["detail"] == "operation 'getStats' is not implemented yet"
    assert created.status_code == 201


def test_missing_service_stops_startup(api: GeneratedApi) -> None:
    with pytest.raises(api.StartupError) as info:
        api.create_app(tasks=make_tasks_service(api))
    assert str(info.value) == (
        "cannot start the app:\n"
        "  missing implementation of AdminService: pass create_app(admin=...) to serve getStats "
        "(or allow_unimplemented=True to answer 501)"
    )


def test_missing_method_stops_startup(api: GeneratedApi) -> None:
    class Partial:
        __qualname__ = "Partial"  # as if defined at module level, like a real implementation

        async def other(self) -> None: ...

    with pytest.raises(api.StartupError) as info:
        api.create_app(tasks=make_tasks_service(api), admin=Partial())
    assert str(info.value) == (
        "cannot start the app:\n  Partial lacks AdminService.get_stats (operationId 'getStats')"
    )


def test_wrong_signature_stops_startup(api: GeneratedApi) -> None:
    class WrongTasks(type(make_tasks_service(api))):  # type: ignore[misc]
        __qualname__ = "WrongTasks"

        async def get_task(self, *, id: int) -> Any:
            return None

        def delete_task(self, *, task_id: int) -> Any:  # not async
            return None

    with pytest.raises(api.StartupError) as info:
        api.create_app(tasks=WrongTasks(), admin=Admin())
    assert str(info.value) == (
        "cannot start the app:\n"
        "  WrongTasks.get_task does not accept task_id required by TasksService.get_task (operationId 'getTask')\n"
        "  WrongTasks.get_task requires id, which TasksService.get_task (operationId 'getTask') never passes\n"
        "  WrongTasks.delete_task must be 'async def' to implement TasksService.delete_task (operationId 'deleteTask')"
    )


# ---------------------------------------------------------------- spec and docs


async def test_openapi_json_and_yaml_are_the_source_document(app: Any, api: GeneratedApi) -> None:
    source = yaml.safe_load(api.spec_path.read_text(encoding="utf-8"))
    async with client(app) as c:
        as_json = await c.get("/openapi.json")
        as_yaml = await c.get("/openapi.yaml")
    assert as_json.status_code == 200 and as_json.headers["content-type"] == "application/json"
    assert json.loads(as_json.content) == source
    assert as_yaml.status_code == 200 and "yaml" in as_yaml.headers["content-type"]
    assert yaml.safe_load(as_yaml.content) == source


async def test_docs_work_offline(app: Any) -> None:
    async with client(app) as c:
        docs = await c.get("/docs")
        redoc = await c.get("/redoc")
        urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", docs.text + redoc.text)
        urls += re.findall(r"""url\s*:\s*["']([^"']+)""", docs.text)
        assets = [await c.get(u) for u in urls if u.startswith("/docs/static/")]
    assert docs.status_code == 200 and redoc.status_code == 200
    assert "text/html" in docs.headers["content-type"]
    assert not re.search(r"https?://", docs.text), "swagger UI page references a remote URL"
    assert not re.search(r"""(?:src|href)\s*=\s*["']https?://""", redoc.text), (
        "redoc page loads a remote asset"
    )
    assert "/openapi.json" in urls
    assert any(u.endswith(".js") for u in urls if u.startswith("/docs/static/"))
    assert assets and all(a.status_code == 200 and a.content for a in assets)


async def test_docs_can_be_disabled(api: GeneratedApi) -> None:
    app = api.create_app(tasks=make_tasks_service(api), admin=Admin(), docs=False)
    async with client(app) as c:
        docs = await c.get("/docs")
        spec = await c.get("/openapi.json")
    problem(docs, 404)
    assert spec.status_code == 200
