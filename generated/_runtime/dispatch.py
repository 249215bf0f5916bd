# Vendored from the specfirst 0.1.0 runtime by `specfirst generate`. DO NOT EDIT.
# Upgrade specfirst and regenerate to update it.
"""Finding a request's route without asking every route: the app's routes indexed by path shape.

Starlette's router asks each route in turn whether it matches the request; on Microsoft
Graph's API (11,422 operations) that is 11,422 ``matches`` calls for every request, tens of
milliseconds, far more than the request itself. :class:`RouteIndex` files each route under
its path template's segments (a literal segment, or one that holds parameters and so matches
any one segment) and gives a request the few routes whose template fits its path's segments,
in the router's order. The router's own dispatch then runs over those alone
(:class:`IndexedDispatch`): the first full match wins, a partial one answers 405, a miss tries
the path with its trailing slash added or removed, exactly as before, because every route left
out is one that could only have answered "no match".

A route is filed by its template only where its matching is known to follow it: the runtime's
own route classes, and Starlette's plain ``Route``. Any other route (a ``Mount``, a route a
user's code adds, an included router) is offered to every request, in its place.

The index is built on the first request and again whenever the route list changes (its
length, or FastAPI's count of changes to it); a tag's router built on first use replaces its
placeholders in place with routes of the same templates (:class:`~.routing.TagLoader`), which
keeps the index (:meth:`RouteIndex.replaced`).
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette._utils import get_route_path
from starlette.convertors import (
    CONVERTOR_TYPES,
    FloatConvertor,
    IntegerConvertor,
    StringConvertor,
    UUIDConvertor,
)
from starlette.routing import PARAM_REGEX, BaseRoute, Route, Router
from starlette.types import Receive, Scope, Send

from .routing import (
    Choice,
    FastQueryRoute,
    FastRoute,
    LazyRoute,
    QueryRoute,
    StaticRoute,
)
from .routing import _encoded_slash_path as encoded_slash_path

# Route classes whose ``matches`` answers "no match" for every path their template's regex
# does not match (Starlette's ``compile_path`` of ``route.path``).
_FILED = frozenset({Route, StaticRoute, LazyRoute, FastRoute, FastQueryRoute, QueryRoute})
# Convertors whose regex never matches a "/" (a Choice's values hold none): a parameter of one
# stays in its segment.
_IN_SEGMENT = (StringConvertor, IntegerConvertor, FloatConvertor, UUIDConvertor, Choice)

Shape = tuple[tuple[str | None, ...], bool]
"""A template's segments (the literal text, or None for one holding parameters) and whether
its last parameter may span segments (a ``:path`` one): then any deeper path may match."""


@functools.cache
def template_shape(path: str) -> Shape | None:
    """The segments a path template matches, or None for one not rooted at ``/``."""
    if not path.startswith("/"):
        return None
    segments: list[str | None] = []
    for segment in path.split("/")[1:]:
        params = PARAM_REGEX.findall(segment)
        if not params:
            segments.append(segment)
        elif all(isinstance(_convertor(kind), _IN_SEGMENT) for _name, kind in params):
            segments.append(None)
        else:
            return tuple(segments), True
    return tuple(segments), False


def _convertor(kind: str) -> object:
    return CONVERTOR_TYPES.get(kind.lstrip(":") or "str")


def route_shape(route: BaseRoute) -> Shape | None:
    """The shape :class:`RouteIndex` files ``route`` under, or None to offer it to every request."""
    if type(route) not in _FILED:
        return None
    if isinstance(route, LazyRoute) and route.regex_given:
        return None
    return template_shape(typing.cast(Route, route).path)


@dataclass(slots=True)
class _Node:
    literal: dict[str, _Node] = field(default_factory=dict)
    param: _Node | None = None
    here: list[int] = field(default_factory=list)  # routes whose template ends here
    below: list[int] = field(default_factory=list)  # routes matching anything from here down


class RouteIndex:
    """The positions in ``router.routes`` of the routes that may match a path (see the module)."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self._key: tuple[int, int, object] | None = None
        self._root = _Node()
        self._always: list[int] = []
        self._shapes: list[Shape | None] = []

    def _current_key(self) -> tuple[int, int, object]:
        routes = self.router.routes
        return id(routes), len(routes), getattr(self.router, "_routes_version", None)

    def fresh(self) -> bool:
        """Whether the index describes the route list as it is now."""
        return self._key == self._current_key()

    def _build(self) -> None:
        self._root = _Node()
        self._always = []
        self._shapes = []
        for position, route in enumerate(self.router.routes):
            shape = route_shape(route)
            self._shapes.append(shape)
            if shape is None:
                self._always.append(position)
                continue
            node = self._root
            segments, spans = shape
            for segment in segments:
                if segment is None:
                    if node.param is None:
                        node.param = _Node()
                    node = node.param
                else:
                    node = node.literal.setdefault(segment, _Node())
            (node.below if spans else node.here).append(position)
        self._key = self._current_key()

    def replaced(self, positions: Sequence[int], fresh: bool) -> None:
        """The routes at ``positions`` were replaced in place; ``fresh``: the index described
        the list before. It still does when each new route has the shape of the old one."""
        routes = self.router.routes
        if fresh and all(
            position < len(self._shapes) and route_shape(routes[position]) == self._shapes[position]
            for position in positions
        ):
            self._key = self._current_key()
        else:
            self._key = None

    def candidates(self, scope: Scope) -> list[BaseRoute]:
        """The routes that may match ``scope``'s path, or a trailing-slash redirect of it, in
        the router's order."""
        if self._key != self._current_key():
            self._build()
        path = get_route_path(scope)
        found: set[int] = set(self._always)
        paths = [path]
        kept = encoded_slash_path(scope)  # what routes match again for a %2F in a segment
        if kept is not None:
            paths.append(kept)
        for each in paths:
            self._collect(self._root, each.split("/")[1:], 0, found)
            # the redirect the router tries when nothing matches
            other = each[:-1] if each.endswith("/") else each + "/"
            self._collect(self._root, other.split("/")[1:], 0, found)
        routes = self.router.routes
        return [routes[position] for position in sorted(found)]

    def _collect(self, node: _Node, segments: list[str], depth: int, found: set[int]) -> None:
        found.update(node.below)
        if depth == len(segments):
            found.update(node.here)
            return
        child = node.literal.get(segments[depth])
        if child is not None:
            self._collect(child, segments, depth + 1, found)
        if node.param is not None:
            self._collect(node.param, segments, depth + 1, found)


SCAN_BELOW = 32
"""Route lists shorter than this are scanned as before: asking a few routes costs no more
than looking them up."""


class IndexedDispatch:
    """The router's own dispatch (``dispatch``, its ``app`` method) run over the routes the
    index offers an HTTP request; other scopes (lifespan, websockets), and every scope while
    the router has fewer than ``scan_below`` routes, go to it unchanged."""

    def __init__(
        self,
        router: Router,
        dispatch: Callable[..., Any],
        index: RouteIndex,
        scan_below: int = SCAN_BELOW,
    ) -> None:
        self.router = router
        self.dispatch = dispatch
        self.index = index
        self.scan_below = scan_below

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        router = self.router
        if scope["type"] != "http" or len(router.routes) < self.scan_below:
            await self.dispatch(router, scope, receive, send)
            return
        # the router as it is, but for its route list: a copy made for this request
        view = object.__new__(type(router))
        view.__dict__.update(router.__dict__)
        view.routes = self.index.candidates(scope)
        scope.setdefault("router", router)  # as the router's dispatch would set it: itself
        await self.dispatch(view, scope, receive, send)


def index_routes(router: Router, *, scan_below: int = SCAN_BELOW) -> RouteIndex | None:
    """Dispatch ``router``'s HTTP requests through a :class:`RouteIndex` of its routes.

    The router calls its own ``app`` method innermost in its middleware (FastAPI adds one for
    a body size limit); that call is replaced by an :class:`IndexedDispatch`. A router whose
    middleware does not hold its ``app`` that way keeps asking every route (None).
    """
    index = RouteIndex(router)
    dispatch = type(router).app
    holder: Any = router
    attribute = "middleware_stack"
    for _depth in range(16):
        inner = getattr(holder, attribute, None)
        if getattr(inner, "__self__", None) is router:
            if getattr(inner, "__func__", None) is not dispatch:
                return None  # some other method of the router's: not its dispatch
            setattr(holder, attribute, IndexedDispatch(router, dispatch, index, scan_below))
            return index
        if isinstance(inner, IndexedDispatch):
            return inner.index
        if inner is None:
            return None
        holder, attribute = inner, "app"
    return None


__all__ = [
    "SCAN_BELOW",
    "IndexedDispatch",
    "RouteIndex",
    "index_routes",
    "route_shape",
    "template_shape",
]
