"""A service class's own dependencies run in the compiled plan as FastAPI would run them.

Each case is served twice: by the plan compiled at start (:class:`FastRoute`) and by
FastAPI's own dependency solving (the plan switched off), and both must give the same answer
and the same trace of what ran when: a ``yield`` session closed after the response (and told
about the endpoint's failure), a plain ``def`` dependency and a ``def`` generator, one value
per dependency and request (``use_cache``), ``Request``, ``Response`` headers and cookies, and
``BackgroundTasks`` run after the answer. One difference is meant: invalid parameters are
answered before the plan builds the service (FastAPI builds it, then answers the same 422).
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any

import pytest
from fastapi import BackgroundTasks, Depends, Request, Response
from fastapi.routing import APIRoute

from tests.e2e.conftest import GeneratedApi, MakeApi, client

SPEC = """
openapi: 3.1.0
info: {title: Notes, version: 1.0.0}
paths:
  /notes/{note_id}:
    get:
      operationId: getNote
      tags: [notes]
      parameters:
        - {name: note_id, in: path, required: true, schema: {type: integer, minimum: 1}}
      responses:
        '200':
          description: The note
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Note'}
        '404':
          description: No such note
components:
  schemas:
    Note:
      type: object
      required: [id, text]
      properties:
        id: {type: integer}
        text: {type: string}
"""

trace: list[str] = []


async def get_session() -> AsyncIterator[str]:
    trace.append("session open")
    try:
        yield "session"
    except Exception as exc:
        trace.append(f"session rollback after {type(exc).__name__}")
        raise
    finally:
        trace.append("session closed")


async def get_transaction() -> AsyncIterator[str]:
    trace.append("transaction begun")
    yield "transaction"
    trace.append("transaction committed")  # scope="function": before the answer is sent


def get_settings() -> str:
    trace.append("settings")
    return "settings"


def get_lock() -> Iterator[str]:
    trace.append("lock taken")
    yield "lock"
    trace.append("lock released")


def fresh() -> int:
    trace.append("fresh")
    return len(trace)


def audit(request: Request, response: Response, tasks: BackgroundTasks) -> str:
    response.headers["X-Audit"] = request.url.path
    response.set_cookie("seen", "yes")
    tasks.add_task(trace.append, "background task")
    return "audit"


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


def notes_class(api: GeneratedApi) -> type:
    models = api.models

    class Notes:
        def __init__(
            self,
            session: Annotated[str, Depends(get_session)],
            again: Annotated[str, Depends(get_session)],  # the same session: cached
            settings: Annotated[str, Depends(get_settings)],
            transaction: Annotated[str, Depends(get_transaction, scope="function")],
            lock: Annotated[str, Depends(get_lock)],
            first: Annotated[int, Depends(fresh, use_cache=False)],
            second: Annotated[int, Depends(fresh, use_cache=False)],
            audit: Annotated[str, Depends(audit)],
        ) -> None:
            assert session is again
            self.text = f"{session} {settings} {lock} {audit} {first != second}"

        async def get_note(self, *, note_id: int) -> Any:
            trace.append("handler")
            if note_id == 13:
                raise LookupError("unlucky")
            return models.Note(id=note_id, text=self.text)

    return Notes


async def _served(app: Any, path: str) -> tuple[Any, list[str]]:
    trace.clear()
    async with client(app) as c:
        res = await c.get(path)
    headers = {k: v for k, v in res.headers.items() if k != "content-length"}
    return (res.status_code, res.text, headers), list(trace)


@pytest.mark.parametrize("path", ["/notes/1", "/notes/13", "/notes/0"])
async def test_a_class_with_dependencies_runs_as_fastapi_runs_it(
    api: GeneratedApi, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    routing = importlib.import_module(f"{api.name}._runtime.routing")
    fast = api.create_app(notes=notes_class(api))
    assert all(isinstance(r, routing.FastRoute) for r in fast.router.routes if "notes" in r.path)
    with monkeypatch.context() as patch:
        patch.setattr(routing, "fast_plan", lambda *args, **kwargs: None)
        solved = api.create_app(notes=notes_class(api))
    assert any(isinstance(r, APIRoute) and "notes" in r.path for r in solved.router.routes)

    answer, ran = await _served(fast, path)
    expected, expected_ran = await _served(solved, path)
    assert answer == expected
    if path == "/notes/0":  # FastAPI builds the service, then answers 422; the plan only answers
        assert expected_ran and ran == []
    else:
        assert ran == expected_ran
    if path == "/notes/1":
        assert answer[0] == 200
        assert answer[1] == '{"id":1,"text":"session settings lock audit True"}'
        assert answer[2]["x-audit"] == "/notes/1" and "seen=yes" in answer[2]["set-cookie"]
        # the session and the lock are closed after the answer; the task runs after it too
        assert ran.index("handler") < ran.index("session closed")
        assert ran.index("transaction committed") < ran.index("background task")
        assert ran.count("session open") == 1 and ran.count("fresh") == 2
        assert "background task" in ran
    elif path == "/notes/13":
        assert answer[0] == 500
        assert "session rollback after LookupError" in ran
    else:
        assert answer[0] == 422


async def test_an_override_of_a_class_dependency_is_compiled_and_then_dropped(
    api: GeneratedApi,
) -> None:
    routing = importlib.import_module(f"{api.name}._runtime.routing")
    app = api.create_app(notes=notes_class(api))
    route = next(r for r in app.router.routes if isinstance(r, routing.FastRoute))

    async def other_session() -> AsyncIterator[str]:
        yield "other"

    async with client(app) as c:
        app.dependency_overrides[get_session] = other_session
        first = await c.get("/notes/2")
        plan = route.overridden(app.dependency_overrides)
        assert plan is not None and plan is not route.plan
        assert (await c.get("/notes/2")).json() == first.json()
        assert route.overridden(app.dependency_overrides) is plan  # compiled once
        assert first.json()["text"].startswith("other settings")
        app.dependency_overrides.clear()
        assert (await c.get("/notes/2")).json()["text"].startswith("session settings")


async def swallowing() -> AsyncIterator[str]:
    try:
        yield "session"
    except Exception:  # the mistake under test: the error is not raised again
        trace.append("swallowed")


async def test_a_generator_that_swallows_the_error_is_a_500_not_a_hang(
    api: GeneratedApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Notes:
        def __init__(self, session: Annotated[str, Depends(swallowing)]) -> None:
            self.session = session

        async def get_note(self, *, note_id: int) -> Any:
            raise LookupError("unlucky")

    routing = importlib.import_module(f"{api.name}._runtime.routing")
    fast = api.create_app(notes=Notes)
    with monkeypatch.context() as patch:
        patch.setattr(routing, "fast_plan", lambda *args, **kwargs: None)
        solved = api.create_app(notes=Notes)
    for app in (fast, solved):
        answer, ran = await _served(app, "/notes/1")
        assert answer[0] == 500 and ran == ["swallowed"]
