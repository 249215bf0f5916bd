"""Registering generated operations: each a route that runs a plan compiled at start.

Each generated endpoint is an ordinary FastAPI endpoint: its parameters are declared with
``Path``/``Query``/``Header``/``Cookie`` (or a :class:`~.params.StyledParam` dependency), the
principal with the operation's security dependency and the service with a dependency on its
provider. :class:`OperationRouter` compiles that signature once into a :class:`_Plan` and
registers a :class:`FastRoute`: parameters are read with FastAPI's own per-field validation
(the same rules, aliases and error locations), and the dependencies (a shared instance, or a
service class or factory with its own: a ``yield`` database session, settings, ``Request``,
``BackgroundTasks``) are called as compiled :class:`~.injection.Step`s, without FastAPI's
per-request walk of the dependency tree, about a quarter of the server CPU of a small request
(and a thread-pool hop for every class it builds). A tree the plan does not compile (form
fields, uploads, a dependency reading parameters itself: see :mod:`.injection`) keeps the
FastAPI route.

Both honour ``app.dependency_overrides`` (:class:`~.providers.Overrides`): a FastAPI route
reads it through its overrides provider; a fast route checks it per request (an empty dict:
nothing more) and, while overrides are set, runs a plan compiled with them applied, made again
only when they change; one it cannot compile hands the request to the FastAPI route it stands
for, made on first need.

Path keys that carry a query string, such as ``/rest?method=flickr.photos.search``, are
registered at the path without the query with the fixed pairs as ``required_query``; both
route classes then match only requests whose query carries them.

A path parameter that shares its segment with another, nothing between them (``/{page}{ext}``),
and takes only a list of values is matched by a :class:`Choice` convertor of them
(``{ext:choice_…}``, registered by :func:`register_choices`): Starlette's ``[^/]+`` would give
the first all but the last character of ``readme.json``.

A path parameter's value may hold a slash, sent percent-encoded (``/livefeeds/2018%2F10%2F15``,
shutterstock's livefeed ids); ASGI servers decode it in ``scope["path"]``, where it would split
the segment and match no route. Every route class matches through :func:`_match_encoded`,
which tries such a URL again with the slashes its raw path encodes kept inside their segment.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import functools
import re
import typing
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from typing import Any, ClassVar, TypeVar
from urllib.parse import parse_qsl, unquote

from fastapi import APIRouter, params
from fastapi._compat import ModelField, field_annotation_is_sequence, get_missing_field_error
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette._exception_handler import wrap_app_handling_exceptions
from starlette._utils import get_route_path
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route, compile_path, request_response
from starlette.types import Receive, Scope, Send

from .base import collector_paused
from .errors import ERROR_FORMATS, ErrorFormat
from .injection import (
    ASYNC_GEN,
    SYNC_GEN,
    VALUE,
    Lookup,
    State,
    Step,
    Unsupported,
    compile_step,
    no_overrides,
    unwind,
)
from .params import StyledParam, parsed_query
from .problems import (
    DECLARED_STATUSES,
    OPERATION_ID,
    PATH_ITEM,
    PATH_NAMES,
    REQUIRED_QUERY,
    VALIDATION_STATUS,
    path_shape,
    validation_problem,
)
from .providers import Overrides
from .security import authorize, dependency, enforced

EndpointT = TypeVar("EndpointT", bound=Callable[..., Awaitable[Response]])

_DEFERRED: contextvars.ContextVar[bool] = contextvars.ContextVar("sf_deferred_plans", default=False)


@contextlib.contextmanager
def deferred_plans() -> Iterator[None]:
    """Within it, :class:`OperationRouter` registers each operation without compiling its plan:
    the route compiles it on its own first request (a tag's router built on the first request
    to one of its operations, :class:`TagLoader`)."""
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


def _query_matches(
    required: Mapping[str, str] | None, scope: Scope, match: Match, child: Scope
) -> tuple[Match, Scope]:
    if match is Match.NONE or not required:
        return match, child
    raw = scope.get("query_string", b"").decode("latin-1")
    given: dict[str, list[str]] = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        given.setdefault(key, []).append(value)
    if all(value in given.get(key, ()) for key, value in required.items()):
        return match, child
    return Match.NONE, {}


_SLASH = "\uf8ff"
"""Stands for an encoded slash (``%2F``) inside a segment while a route matches (private use)."""
_ENCODED_PATH = "sf.encoded_slash_path"


def _encoded_slash_path(scope: Scope) -> str | None:
    """``scope["path"]`` with each slash the raw path encodes (``%2F``) as :data:`_SLASH`, or
    ``None`` when it encodes none (or the two paths disagree); worked out once per request."""
    if _ENCODED_PATH in scope:
        return typing.cast("str | None", scope[_ENCODED_PATH])
    found: str | None = None
    raw = scope.get("raw_path")
    path = scope.get("path", "")
    if isinstance(raw, bytes) and b"%2f" in raw.lower() and _SLASH not in path:
        raw_path = raw.split(b"?", 1)[0].decode("latin-1")
        segments = [unquote(segment).replace("/", _SLASH) for segment in raw_path.split("/")]
        kept = "/".join(segments)
        found = kept if kept.replace(_SLASH, "/") == path else None
    scope[_ENCODED_PATH] = found
    return found


def _match_encoded(
    matches: Callable[[Scope], tuple[Match, Scope]], scope: Scope
) -> tuple[Match, Scope]:
    """A route's own ``matches``; for a URL it does not match whose raw path encodes a slash,
    ``matches`` again with those slashes inside their segments, each given back as ``/`` in
    the path parameters."""
    match, child = matches(scope)
    if match is not Match.NONE:
        return match, child
    kept = _encoded_slash_path(scope)
    if kept is None:
        return match, child
    match, child = matches({**scope, "path": kept})
    if match is Match.NONE:
        return match, child
    params = child.get("path_params") or {}
    child["path_params"] = {
        key: value.replace(_SLASH, "/") if isinstance(value, str) else value
        for key, value in params.items()
    }
    return match, child


def _path_item(path: str, scope: Scope, match: Match, child: Scope) -> tuple[Match, Scope]:
    """OpenAPI's path matching: a URL belongs to the most specific path that matches it, and
    the method is looked up in that path item only.

    Routes are tried most specific first (``app.include_routers``). The first whose path
    matches but not its method records its path in the scope; a later route of another, less
    specific path (:func:`path_shape`) then does not match, so ``GET /boundaries/query`` is a
    405 when only ``POST /boundaries/query`` is declared, not ``GET /boundaries/{id}`` with
    ``id="query"``. Paths as specific as each other keep the order they were tried in.
    """
    if match is Match.PARTIAL:
        scope.setdefault(PATH_ITEM, path)
    elif match is Match.FULL:
        owner = scope.get(PATH_ITEM, path)
        if owner != path and path_shape(owner) < path_shape(path):
            return Match.NONE, {}
    return match, child


def _static_matches(route: Route, scope: Scope) -> tuple[Match, Scope] | None:
    """``route.matches(scope)`` for a path without parameters, by comparing the path with a
    string instead of running the path's regex (a request tries each route before its own);
    None when the route has parameters or the scope is not HTTP (Starlette's way then)."""
    if route.param_convertors or scope["type"] != "http":
        return None
    if get_route_path(scope) != route.path:
        return Match.NONE, {}
    child = {"endpoint": route.endpoint, "path_params": dict(scope.get("path_params", {}))}
    if route.methods and scope["method"] not in route.methods:
        return Match.PARTIAL, child
    return Match.FULL, child


class StaticRoute(Route):
    """A Starlette route at a path without parameters (``/openapi.json``), matched cheaply."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        found = _static_matches(self, scope)
        return super().matches(scope) if found is None else found


class QueryRoute(APIRoute):
    """An APIRoute of a path item, which also requires fixed query parameters when its endpoint
    names some."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        required = getattr(self.endpoint, REQUIRED_QUERY, None)
        return _path_item(
            self.path,
            scope,
            *_query_matches(required, scope, *_match_encoded(super().matches, scope)),
        )


def required_query(route: Any) -> int:
    """Sort key part: routes with a fixed query are tried before the same path without one."""
    if isinstance(route, LazyRoute):
        return 0 if route.required_query else 1
    endpoint = getattr(route, "endpoint", None)
    return 0 if getattr(endpoint, REQUIRED_QUERY, None) else 1


class _Param:
    """One path/query/header/cookie parameter, read and validated as FastAPI would.

    Worked out once per route from FastAPI's own field (alias, sequence or not, default,
    validator), so a request costs a lookup and one validation call per parameter.
    """

    __slots__ = ("alias", "default", "field", "loc", "name", "required", "sequence", "source")

    def __init__(self, field: ModelField, source: str) -> None:
        info = field.field_info
        assert isinstance(info, params.Param)
        alias = field.alias
        if isinstance(info, params.Header) and info.convert_underscores and alias == field.name:
            alias = alias.replace("_", "-")
        self.name = field.name
        self.alias = alias
        self.field = field
        self.source = source
        self.loc = (info.in_.value, alias)
        self.sequence = source != "path_params" and field_annotation_is_sequence(info.annotation)
        self.required = info.is_required()
        self.default = None if self.required or info.validate_default else field.default

    def read(
        self,
        request: Request,
        values: dict[str, Any],
        errors: list[Any],
        query: dict[str, list[str]] | None,
    ) -> None:
        if query is not None and self.source == "query_params":
            given = query.get(self.alias)
            if self.sequence:
                value: Any = given if given is not None else []
            else:
                value = given[-1] if given else None  # the last, as Starlette's QueryParams
        else:
            received = getattr(request, self.source)
            value = received.getlist(self.alias) if self.sequence else received.get(self.alias)
        if value is None or (self.sequence and not value):
            if self.required:
                errors.append(get_missing_field_error(loc=self.loc))
                return
            if self.default is not None or not self.field.field_info.validate_default:
                values[self.name] = copy.deepcopy(self.default)
                return
            value = copy.deepcopy(self.field.default)
        value, failed = self.field.validate(value, values, loc=self.loc)
        if failed:
            errors.extend(failed)
        else:
            values[self.name] = value


class _Plan:
    """What one fast route does per request, compiled once from the endpoint's signature.

    Parameters are read by :class:`_Param`, styled ones by their :class:`StyledParam`, and
    every other dependency (the service, the security requirement, and theirs) is a
    :class:`~.injection.Step`; a shared instance is a constant passed as is.
    """

    def __init__(self, endpoint: Callable[..., Awaitable[Response]], dependant: Dependant) -> None:
        self.endpoint = endpoint
        self.params = [
            _Param(field, source)
            for fields, source in (
                (dependant.path_params, "path_params"),
                (dependant.query_params, "query_params"),
                (dependant.header_params, "headers"),
                (dependant.cookie_params, "cookies"),
            )
            for field in fields
        ]
        self.queries = any(param.source == "query_params" for param in self.params)
        self.status: int = getattr(endpoint, VALIDATION_STATUS)
        self.path_names: Mapping[str, str] = getattr(endpoint, PATH_NAMES)
        self.fixed: dict[str, Any] = {}
        self.styled: list[tuple[str, StyledParam]] = []
        self.security: tuple[str, Any, Any] | None = None  # name, requirements, handler
        self.first: list[tuple[str, Step]] = []  # a security requirement with dependencies
        self.steps: list[tuple[str, Step]] = []  # the service and any other dependency
        self.request_name = dependant.request_param_name
        self.response_name = dependant.response_param_name
        self.solves = False  # whether a request needs a State (any step beyond constants)
        self.stacks = False  # whether a step is a generator (exit stacks around the response)

    def finish(self) -> _Plan:
        """Work out, once, what each request needs besides the steps."""
        steps = [step for _, s in self.first + self.steps for step in s.walk()]
        self.solves = bool(self.first or self.steps)
        self.stacks = any(step.kind in (ASYNC_GEN, SYNC_GEN) for step in steps)
        if self.response_name and not any(step.response_name for step in steps):
            self.fixed[self.response_name] = None  # nothing can set headers on it
        return self

    async def __call__(self, request: Request, state: State | None = None) -> Response:
        kwargs = dict(self.fixed)
        if self.security is not None:  # first: an anonymous caller learns nothing else
            name, requirements, handler = self.security
            kwargs[name] = await authorize(request, handler, requirements)
        if state is not None:
            for name, step in self.first:
                kwargs[name] = await step.solve(state)
        errors: list[Any] = []
        query = parsed_query(request.scope) if self.queries else None
        for param in self.params:
            param.read(request, kwargs, errors, query)
        for name, styled in self.styled:
            try:
                kwargs[name] = styled(request)
            except RequestValidationError as exc:
                errors += exc.errors()
        if errors:
            raise validation_problem(RequestValidationError(errors), self.status, self.path_names)
        if state is not None:
            for name, step in self.steps:
                kwargs[name] = await step.solve(state)
            if self.response_name and self.response_name not in self.fixed:
                kwargs[self.response_name] = state.sub_response()
        if self.request_name:
            kwargs[self.request_name] = request
        response = await self.endpoint(**kwargs)
        if state is not None and state.background is not None and response.background is None:
            response.background = state.background
        return response

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The plan as an ASGI app: Starlette's ``request_response``, with FastAPI's exit
        stacks when a dependency is a generator (its cleanup runs after the response)."""
        request = Request(scope, receive, send)

        async def respond(scope: Scope, receive: Receive, send: Send) -> None:
            state = State(request) if self.solves else None
            if state is None or not self.stacks:
                response = await self(request, state)
                await response(scope, receive, send)
                return
            answer: Response | None = None
            failure: BaseException | None = None
            try:
                answer = await self(request, state)
            except BaseException as exc:
                failure = exc
            failure = await unwind(state.function_exits, failure)
            if failure is None and answer is not None:
                try:
                    await answer(scope, receive, send)
                except BaseException as exc:
                    failure = exc
            failure = await unwind(state.exits, failure)
            if failure is not None:
                raise failure
            if answer is None:  # a generator swallowed the endpoint's exception
                raise RuntimeError(
                    "no response: a dependency with yield caught an exception and did not "
                    "raise it again (a bare except, or except Exception, around its yield)"
                )

        await wrap_app_handling_exceptions(respond, request)(scope, receive, send)


def fast_plan(
    endpoint: Callable[..., Awaitable[Response]],
    path: str,
    lookup: Lookup = no_overrides,
    dependant: Dependant | None = None,
) -> _Plan | None:
    """The compiled plan of ``endpoint`` (``lookup`` applies ``app.dependency_overrides``),
    or None when it needs FastAPI's dependency solving (see :mod:`.injection`)."""
    if dependant is None:
        dependant = get_dependant(path=path, call=endpoint)
    if (
        dependant.body_params
        or dependant.background_tasks_param_name
        or dependant.security_scopes_param_name
        or dependant.websocket_param_name
        or dependant.http_connection_param_name
    ):
        return None
    plan = _Plan(endpoint, dependant)
    try:
        for sub in dependant.dependencies:
            call = sub.call
            name = str(sub.name)
            if isinstance(call, StyledParam) and lookup(call) is call:
                plan.styled.append((name, call))
            elif call is not None and (found := enforced(call)) is not None:
                requirements, handler = found
                step = compile_step(get_dependant(path=path, call=handler), lookup)
                if step.kind == VALUE:  # a shared handler: authorize with it directly
                    plan.security = (name, requirements, step.value)
                else:
                    plan.first.append((name, compile_step(sub, lookup)))
            else:
                step = compile_step(sub, lookup)
                if step.kind == VALUE:
                    plan.fixed[name] = step.value
                else:
                    plan.steps.append((name, step))
    except Unsupported:
        return None
    return plan.finish()


_MISSING = object()


class FastRoute(Route):
    """A route that calls a generated endpoint through its compiled :class:`_Plan`.

    ``app.dependency_overrides`` is consulted per request: while it is empty the plan made at
    start serves; while it holds anything, a plan compiled with the overrides applied (made
    again only when the overrides change). An override the plan cannot compile hands the
    request to ``solved()``, the FastAPI route of the same endpoint.

    ``plan`` None defers compiling to the route's first request (:func:`deferred_plans`, for a
    tag's router built on its first request): FastAPI's analysis of the signature, a
    ``TypeAdapter`` per parameter, is then paid by the operation called, not by every
    operation of its tag. An endpoint no plan compiles hands each request to ``solved()``.
    """

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Awaitable[Response]],
        plan: _Plan | None,
        *,
        method: str,
        name: str,
        operation_id: str,
        overrides: Overrides,
        solved: Callable[[], BaseRoute],
    ) -> None:
        super().__init__(path, endpoint, methods=[method], name=name)
        self._plan = plan
        self._compiled = plan is not None
        if plan is not None:
            self.app = plan.app
        self.operation_id = operation_id
        self.methods = {method}  # Starlette would add HEAD to GET; the spec decides that
        self.endpoint = endpoint  # request.scope["endpoint"], as FastAPI sets it
        self.overrides = overrides
        self._solve = solved
        self._solved: BaseRoute | None = None
        self._dependant: Dependant | None = None
        self._overridden: tuple[tuple[tuple[Any, Any], ...], _Plan | None] | None = None

    @property
    def plan(self) -> _Plan | None:
        """The plan serving requests without overrides (compiled now if it was deferred), or
        None when the endpoint needs FastAPI's dependency solving."""
        if not self._compiled:
            self._dependant = get_dependant(path=self.path, call=self.endpoint)
            self._plan = fast_plan(self.endpoint, self.path, dependant=self._dependant)
            self._compiled = True
            if self._plan is not None:
                self.app = self._plan.app
        return self._plan

    def solved(self) -> BaseRoute:
        """The FastAPI route serving this endpoint for overrides no plan compiles (made once)."""
        if self._solved is None:
            self._solved = self._solve()
        return self._solved

    def overridden(self, given: Mapping[Any, Any]) -> _Plan | None:
        """The plan with ``given`` overrides applied: compiled again only when they changed."""
        cached = self._overridden
        if cached is not None:
            seen, plan = cached
            if len(seen) == len(given) and all(given.get(k, _MISSING) is v for k, v in seen):
                return plan
        if self._dependant is None:
            self._dependant = get_dependant(path=self.path, call=self.endpoint)
        aliased = self.overrides.dependency_overrides

        def lookup(call: Callable[..., Any]) -> Callable[..., Any]:
            return typing.cast(Callable[..., Any], aliased.get(call, call))

        plan = fast_plan(self.endpoint, self.path, lookup, self._dependant)
        self._overridden = (tuple(given.items()), plan)
        return plan

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        found = _static_matches(self, scope)  # a path without parameters holds no slash to keep
        if found is None:
            found = _match_encoded(super().matches, scope)
        return _path_item(self.path, scope, *found)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self.overrides.app
        given = app.dependency_overrides if app is not None else None
        if given and scope["method"] in (self.methods or ()):
            plan = self.overridden(given)
            if plan is None:
                await self.solved().handle(scope, receive, send)
            else:
                await plan.app(scope, receive, send)
            return
        if self.plan is None:  # compiled on this first request: FastAPI's solving it is
            await self.solved().handle(scope, receive, send)
            return
        await super().handle(scope, receive, send)


class FastQueryRoute(FastRoute):
    """A :class:`FastRoute` that also requires the fixed query pairs of its path key."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        required = getattr(self.endpoint, REQUIRED_QUERY, None)
        own = functools.partial(Route.matches, self)  # FastRoute's adds the path item
        matched = _query_matches(required, scope, *_match_encoded(own, scope))
        return _path_item(self.path, scope, *matched)


class RouteTable(typing.Protocol):
    """What :class:`TagLoader` tells an index of the app's routes (:mod:`.dispatch`)."""

    def fresh(self) -> bool: ...

    def replaced(self, positions: Sequence[int], fresh: bool) -> None: ...


class TagLoader:
    """Builds one tag's router on first use and puts its routes where the placeholders were."""

    def __init__(
        self, router: Any, build: Callable[[], APIRouter], index: RouteTable | None = None
    ) -> None:
        self.router = router  # the app's router, whose route list holds the placeholders
        self.build = build
        self.index = index  # told which routes were replaced, so it need not be made again
        self.loaded: dict[str, BaseRoute] | None = None

    def route(self, operation_id: str) -> BaseRoute:
        if self.loaded is None:  # no await in here: one build even under concurrent requests
            # each route compiles its plan on its own first request; the collector is paused
            # while the tag's modules run: they allocate hundreds of thousands of objects that
            # all live on (a Graph tag's 1,400 model classes), which the collector would
            # otherwise walk again and again, everything made at start-up included
            with deferred_plans(), collector_paused():
                built = self.build().routes
            self.loaded = {str(getattr(r, "operation_id", "")): r for r in built}
            routes = self.router.routes
            fresh = self.index is not None and self.index.fresh()
            replaced: list[int] = []
            for index, route in enumerate(routes):
                if isinstance(route, LazyRoute) and route.loader is self:
                    routes[index] = self.loaded[route.operation_id]
                    replaced.append(index)
            mark_changed = getattr(self.router, "_mark_routes_changed", None)
            if callable(mark_changed):
                mark_changed()
            if self.index is not None:
                self.index.replaced(replaced, fresh)
        return self.loaded[operation_id]


class Choice(Convertor[str]):
    """A path convertor matching one of ``values`` (each subclass its own, made by
    :func:`register_choices`); the value is passed on as the text it is."""

    values: ClassVar[tuple[str, ...]] = ()

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: Any) -> str:
        text = str(getattr(value, "value", value))  # an enum member: its value
        assert text in self.values, f"{text!r} is none of {self.values!r}"
        return text


def register_choices(choices: Mapping[str, Sequence[str]]) -> None:
    """Register a :class:`Choice` under each name (with Starlette's ``register_url_convertor``)
    for route paths such as ``/blog/{page}{ext:choice_1f2e}``; longer values are tried first."""
    for name, values in choices.items():
        ordered = tuple(values)
        if not ordered or any(not value or "/" in value for value in ordered):
            raise ValueError(f"path convertor {name!r}: each value is a text without a '/'")
        regex = "|".join(re.escape(value) for value in sorted(ordered, key=len, reverse=True))
        kind = type(name, (Choice,), {"values": ordered, "regex": regex})
        register_url_convertor(name, kind())


@functools.cache
def _compiled_path(path: str) -> tuple[re.Pattern[str], str, dict[str, Convertor[Any]]]:
    """Starlette's ``compile_path``, once per path template (several methods share one)."""
    return compile_path(path)


async def _unreachable(request: Request) -> Response:  # pragma: no cover
    raise AssertionError("a lazy route hands requests to the real one")


_UNREACHABLE_APP = request_response(_unreachable)


class LazyRoute(Route):
    """Stands for one operation until its tag's router is first needed (``lazy_routes``).

    It matches exactly what the real route will match (same path template, method and fixed
    query pairs); on the first request it has the :class:`TagLoader` import and build the
    tag's router, which replaces every placeholder of the tag, and hands the request over.

    Its path's regex is compiled only when a request's path starts with the literal text
    before the template's first parameter, which every path the regex matches does: a big
    API's start-up compiles none of its thousand regexes, and a request those of the
    routes with its prefix (GitHub's 1,223 took most of ``create_app``).
    """

    def __init__(
        self,
        path: str,
        *,
        method: str,
        name: str,
        operation_id: str,
        required_query: Mapping[str, str],
        loader: TagLoader,
    ) -> None:
        # What Route.__init__ sets, but the path's regex (on first need: _compiled_path)
        assert path.startswith("/"), "Routed paths must start with '/'"
        self.path = path
        self.endpoint = _unreachable
        self.name = name
        self.include_in_schema = True
        self.app = _UNREACHABLE_APP  # one for every placeholder: Graph has 11,422
        self.methods = {method}
        self.operation_id = operation_id
        self.required_query = dict(required_query)
        self.loader = loader
        self._prefix = path.split("{", 1)[0]
        self._given: dict[str, Any] = {}

    @property
    def regex_given(self) -> bool:
        """Whether a path regex was set in place of the one its path compiles to."""
        return "path_regex" in self._given

    # Route's attributes, worked out on first use (a value set replaces the path's own)
    @property
    def path_regex(self) -> re.Pattern[str]:
        given = self._given.get("path_regex")
        return given if given is not None else _compiled_path(self.path)[0]

    @path_regex.setter
    def path_regex(self, value: re.Pattern[str]) -> None:
        self._given["path_regex"] = value

    @property
    def path_format(self) -> str:
        given = self._given.get("path_format")
        return given if given is not None else _compiled_path(self.path)[1]

    @path_format.setter
    def path_format(self, value: str) -> None:
        self._given["path_format"] = value

    @property
    def param_convertors(self) -> dict[str, Convertor[Any]]:
        given = self._given.get("param_convertors")
        return given if given is not None else _compiled_path(self.path)[2]

    @param_convertors.setter
    def param_convertors(self, value: dict[str, Convertor[Any]]) -> None:
        self._given["param_convertors"] = value

    def _matches_path(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and not get_route_path(scope).startswith(self._prefix):
            return Match.NONE, {}  # the regex would not match either: no need to compile it
        return super().matches(scope)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        matched = _query_matches(
            self.required_query, scope, *_match_encoded(self._matches_path, scope)
        )
        return _path_item(self.path, scope, *matched)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = self.loader.route(self.operation_id)
        _match, child = route.matches(scope)
        scope.update(child)
        await route.handle(scope, receive, send)


class OperationRouter(APIRouter):
    """The routes of one tag, registered by :meth:`operation` with their metadata."""

    def __init__(
        self,
        service: Callable[..., Any],
        security_handler: Callable[..., Any],
        *,
        tag: str,
        prefix: str = "",
    ) -> None:
        self.overrides = Overrides()  # the app's dependency_overrides, once bound to it
        super().__init__(prefix=prefix, tags=[tag], dependency_overrides_provider=self.overrides)
        self.service = service
        self.security_handler = security_handler

    def bind(self, app: Any) -> None:
        """Honour ``app.dependency_overrides`` in this router's routes (``add_routers``)."""
        self.overrides.bind(app)

    def requirement(self, requirements: Any) -> Callable[..., Awaitable[Any]]:
        """The dependency enforcing one ``security`` requirement list with this router's handler."""
        return dependency(requirements, self.security_handler)

    def operation(
        self,
        method: str,
        path: str,
        *,
        name: str,
        operation_id: str,
        summary: str | None = None,
        deprecated: bool = False,
        validation_status: int = 422,
        path_names: Mapping[str, str] | None = None,
        required_query: Mapping[str, str] | None = None,
        statuses: tuple[str, ...] | None = None,
        errors: Mapping[str, ErrorFormat] | None = None,
    ) -> Callable[[EndpointT], EndpointT]:
        """Register the decorated endpoint for ``method`` ``path``.

        ``validation_status`` answers invalid parameters (400 or 422, as the spec declares),
        ``path_names`` maps renamed path parameters back to the spec's names for error
        pointers, ``required_query`` holds the fixed query pairs of the path key,
        ``statuses`` the declared response statuses (a raised problem with another status is a
        contract violation), and ``errors`` the declared error responses by status where one
        is not problem+json (the format of every error answer: :mod:`.errors`).
        """

        def register(endpoint: EndpointT) -> EndpointT:
            # read by the validation error handler (FastAPI routes) and route ordering
            setattr(endpoint, VALIDATION_STATUS, validation_status)
            setattr(endpoint, PATH_NAMES, dict(path_names or {}))
            setattr(endpoint, OPERATION_ID, operation_id)
            if errors:
                setattr(endpoint, ERROR_FORMATS, dict(errors))
            if required_query:
                setattr(endpoint, REQUIRED_QUERY, dict(required_query))
            if statuses is not None:
                setattr(endpoint, DECLARED_STATUSES, statuses)

            def solved() -> APIRoute:
                return QueryRoute(
                    self.prefix + path,
                    endpoint,
                    methods=[method.upper()],
                    name=name,
                    operation_id=operation_id,
                    summary=summary,
                    deprecated=deprecated or None,
                    response_class=Response,
                    tags=list(self.tags),
                    dependency_overrides_provider=self.overrides,
                )

            plan = None
            if not _DEFERRED.get():
                plan = fast_plan(endpoint, self.prefix + path)
                if plan is None:
                    self.routes.append(solved())
                    return endpoint
            fast_class = FastQueryRoute if required_query else FastRoute
            self.routes.append(
                fast_class(
                    self.prefix + path,
                    endpoint,
                    plan,
                    method=method.upper(),
                    name=name,
                    operation_id=operation_id,
                    overrides=self.overrides,
                    solved=solved,
                )
            )
            return endpoint

        return register


__all__ = [
    "Choice",
    "FastQueryRoute",
    "FastRoute",
    "LazyRoute",
    "OperationRouter",
    "QueryRoute",
    "RouteTable",
    "StaticRoute",
    "TagLoader",
    "deferred_plans",
    "fast_plan",
    "register_choices",
    "required_query",
]
