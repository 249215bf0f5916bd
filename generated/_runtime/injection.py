# Vendored from the specfirst 0.1.0 runtime by `specfirst generate`. DO NOT EDIT.
# Upgrade specfirst and regenerate to update it.
"""Dependency injection compiled once per operation: what a generated route does per request.

FastAPI resolves an endpoint's dependencies by walking its ``Dependant`` tree on every
request: classifying each callable, looking up overrides, building the sub-dependants of
overridden ones, collecting errors. A generated endpoint's tree is small and known at start
(the service provider, the security requirement, styled parameters) and so is a service
class's or factory's own (a ``yield`` session, settings, ``Request``, ``BackgroundTasks`` …).
:func:`compile_step` turns one such tree into :class:`Step`s: the call, how to call it (a
coroutine awaited, a ``def`` in the thread pool, a generator entered on the request's exit
stack) and where each argument comes from, all decided once. A shared instance becomes a
constant (:class:`~.providers.Shared`), so an instance service costs no call at all.

The semantics are FastAPI's (``fastapi.dependencies.utils.solve_dependencies``), for the
subset compiled here: one value per dependency and request unless ``use_cache=False``; one
``Response`` and one ``BackgroundTasks`` shared by every dependency of a request; a
generator's code after ``yield`` runs after the response is sent (``scope="function"``:
before), with the endpoint's exception thrown into it. A tree with anything else (a
dependency reading path, query, header, cookie or body parameters itself, ``SecurityScopes``,
OAuth scopes, a ``concurrency`` limit, websockets) raises :class:`Unsupported` and its route
keeps FastAPI's own solving (:mod:`.routing`).
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncGenerator, Callable
from contextlib import AbstractAsyncContextManager, contextmanager
from typing import Any

from fastapi.concurrency import contextmanager_in_threadpool
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_dependant
from starlette.background import BackgroundTasks
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from .providers import Shared

Lookup = Callable[[Callable[..., Any]], Callable[..., Any]]

VALUE, ASYNC, SYNC, ASYNC_GEN, SYNC_GEN = range(5)


class Unsupported(Exception):
    """A dependency tree this module does not compile; FastAPI solves it instead."""


def no_overrides(call: Callable[..., Any]) -> Callable[..., Any]:
    return call


def kind_of(call: Any) -> int:
    """How FastAPI calls ``call``: awaited, in the thread pool, or entered as a generator."""
    for candidate in (call, getattr(call, "__call__", None)):  # noqa: B004 (a callable object)
        if candidate is None or (candidate is not call and inspect.isclass(call)):
            break
        if inspect.isasyncgenfunction(candidate):
            return ASYNC_GEN
        if inspect.isgeneratorfunction(candidate):
            return SYNC_GEN
        if inspect.iscoroutinefunction(candidate):
            return ASYNC
    return SYNC


class State:
    """What the dependencies of one request share: the request, the ``Response`` and
    ``BackgroundTasks`` they may ask for, the values already made, and the generators entered
    (``exits`` close after the response is sent, ``function_exits`` before)."""

    __slots__ = ("background", "cache", "exits", "function_exits", "request", "response")

    def __init__(self, request: Request) -> None:
        self.request = request
        self.cache: dict[Callable[..., Any], Any] = {}
        self.response: Response | None = None
        self.background: BackgroundTasks | None = None
        self.exits: list[Exit] = []
        self.function_exits: list[Exit] = []

    def sub_response(self) -> Response:
        """The ``Response`` every dependency of the request writes headers and cookies to."""
        if self.response is None:
            response = Response()
            del response.headers["content-length"]  # its headers are added to the answer's
            self.response = response
        return self.response

    def background_tasks(self) -> BackgroundTasks:
        if self.background is None:
            self.background = BackgroundTasks()
        return self.background


class Step:
    """One dependency, compiled: its call, its kind and the source of each argument."""

    __slots__ = (
        "background_name",
        "call",
        "function_scope",
        "kind",
        "request_name",
        "response_name",
        "subs",
        "use_cache",
        "value",
    )

    def __init__(self, call: Callable[..., Any], kind: int) -> None:
        self.call = call
        self.kind = kind
        self.value: Any = None
        self.subs: tuple[tuple[str, Step], ...] = ()
        self.request_name: str | None = None
        self.response_name: str | None = None
        self.background_name: str | None = None
        self.use_cache = True
        self.function_scope = False

    @classmethod
    def constant(cls, value: Any) -> Step:
        step = cls(Shared.__call__, VALUE)
        step.value = value
        return step

    def walk(self) -> list[Step]:
        """This step and every step it depends on."""
        found = [self]
        for _name, sub in self.subs:
            found += sub.walk()
        return found

    async def solve(self, state: State) -> Any:
        if self.kind == VALUE:
            return self.value
        call = self.call
        if self.use_cache and call in state.cache:
            return state.cache[call]
        kwargs = {}
        for name, sub in self.subs:
            kwargs[name] = await sub.solve(state)
        if self.request_name is not None:
            kwargs[self.request_name] = state.request
        if self.response_name is not None:
            kwargs[self.response_name] = state.sub_response()
        if self.background_name is not None:
            kwargs[self.background_name] = state.background_tasks()
        kind = self.kind
        if kind == ASYNC:
            value = await call(**kwargs)
        elif kind == SYNC:
            value = await run_in_threadpool(call, **kwargs)
        else:
            exits = state.function_exits if self.function_scope else state.exits
            if kind == ASYNC_GEN:  # entered by hand: asynccontextmanager costs 3x as much
                generator = call(**kwargs)
                try:
                    value = await generator.__anext__()
                except StopAsyncIteration:
                    raise RuntimeError(f"{call!r} did not yield") from None
                exits.append(generator)
            else:
                manager = contextmanager_in_threadpool(contextmanager(call)(**kwargs))
                value = await manager.__aenter__()
                exits.append(manager)
        state.cache.setdefault(call, value)
        return value


Exit = AsyncGenerator[Any, None] | AbstractAsyncContextManager[Any]


async def unwind(exits: list[Exit], failure: BaseException | None) -> BaseException | None:
    """Run the code after each ``yield`` (the last entered first), as an ``AsyncExitStack`` of
    ``asynccontextmanager``s would: the failure so far is thrown into each generator, which may
    handle it, re-raise it or raise another. Returns what is still to be raised."""
    while exits:
        done = exits.pop()
        try:
            if not isinstance(done, AsyncGenerator):
                traceback = failure.__traceback__ if failure is not None else None
                kind = type(failure) if failure is not None else None
                if await done.__aexit__(kind, failure, traceback):
                    failure = None
            elif failure is None:
                try:
                    await done.__anext__()
                except StopAsyncIteration:
                    continue
                raise RuntimeError(f"{done!r} yielded more than once")
            else:
                try:
                    await done.athrow(failure)
                except StopAsyncIteration:
                    failure = None  # handled, as a context manager may
                    continue
                raise RuntimeError(f"{done!r} did not stop after the exception thrown into it")
        except BaseException as raised:
            if raised is not failure:
                raised.__context__ = raised.__context__ or failure
                failure = raised
    return failure


def compile_step(dependant: Dependant, lookup: Lookup = no_overrides) -> Step:
    """The :class:`Step` for one dependency (``dependant``), overrides applied by ``lookup``.

    ``dependant`` is the dependency as its parent declared it; when ``lookup`` replaces its
    call, the replacement's own parameters are read, as FastAPI does.
    """
    call = dependant.call
    if call is None:
        raise Unsupported("a dependency without a call")
    replaced = lookup(call)
    if replaced is not call:
        dependant = get_dependant(
            path=dependant.path or "",
            call=replaced,
            name=dependant.name,
            scope=dependant.scope,
        )
        call = replaced
    if isinstance(call, Shared):
        return Step.constant(call.instance)
    if (
        dependant.path_params
        or dependant.query_params
        or dependant.header_params
        or dependant.cookie_params
        or dependant.body_params
        or dependant.security_scopes_param_name
        or dependant.websocket_param_name
        or dependant.own_oauth_scopes
        or getattr(dependant, "concurrency", None) is not None
    ):
        raise Unsupported(f"{call!r} reads parameters or scopes itself")
    step = Step(call, kind_of(call))
    step.subs = tuple((str(sub.name), compile_step(sub, lookup)) for sub in dependant.dependencies)
    step.request_name = dependant.request_param_name or dependant.http_connection_param_name
    step.response_name = dependant.response_param_name
    step.background_name = dependant.background_tasks_param_name
    step.use_cache = dependant.use_cache
    step.function_scope = dependant.scope == "function"
    return step


__all__ = [
    "Exit",
    "State",
    "Step",
    "Unsupported",
    "compile_step",
    "kind_of",
    "no_overrides",
    "unwind",
]
