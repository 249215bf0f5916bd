# Vendored from the specfirst 0.1.0 runtime by `specfirst generate`. DO NOT EDIT.
# Upgrade specfirst and regenerate to update it.
"""Assembling a generated app: implementation checks, route order, spec and docs serving."""

from __future__ import annotations

import functools
import importlib
import inspect
import logging
import typing
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute
from starlette.staticfiles import StaticFiles

from .dispatch import index_routes
from .problems import path_shape
from .providers import provider
from .routing import LazyRoute, OperationRouter, StaticRoute, TagLoader, required_query

logger = logging.getLogger("specfirst")


class StartupError(RuntimeError):
    """``create_app`` refused to build the app; the message lists every problem found."""


@dataclass(frozen=True, slots=True)
class ServiceSlot:
    """One ``create_app`` argument: a tag's service (or the security handler)."""

    argument: str
    protocol: type
    unimplemented: type | None
    operation_ids: Mapping[str, str]  # method name -> operationId


def _target_class(impl: object) -> type | None:
    """The class whose methods serve requests for ``impl`` (instance, class or factory)."""
    if isinstance(impl, type):
        return impl
    if inspect.isfunction(impl) or inspect.ismethod(impl):
        try:
            hints = typing.get_type_hints(impl)
        except Exception:  # unresolvable annotations: checked at first request instead
            return None
        ret = hints.get("return")
        origin = typing.get_origin(ret) or ret
        if isinstance(origin, type) and origin.__module__ not in ("typing", "collections.abc"):
            return origin
        return None
    return type(impl)


def _protocol_methods(protocol: type) -> dict[str, tuple[inspect.Signature, bool]]:
    """Operation methods of a generated Protocol: signature, and whether the operation streams
    (a plain ``def`` returning ``AsyncIterator[...]``, implemented by an async generator)."""
    out: dict[str, tuple[inspect.Signature, bool]] = {}
    for name, member in vars(protocol).items():
        if inspect.iscoroutinefunction(member):
            out[name] = (inspect.signature(member), False)
        elif inspect.isfunction(member) and _streams(member):
            out[name] = (inspect.signature(member), True)
    return out


def _streams(member: Callable[..., Any]) -> bool:
    returns = getattr(member, "__annotations__", {}).get("return")
    text = returns if isinstance(returns, str) else getattr(returns, "__name__", "")
    return text.startswith("AsyncIterator")


def check_implementation(slot: ServiceSlot, impl: object) -> list[str]:
    """Every problem with ``impl`` as an implementation of ``slot.protocol``."""
    cls = _target_class(impl)
    if cls is None:
        return []
    problems: list[str] = []
    proto = slot.protocol.__name__
    for name, (expected, streams) in _protocol_methods(slot.protocol).items():
        op = slot.operation_ids.get(name, name)
        where = (
            f"{proto}.{name} (operationId {op!r})"
            if name in slot.operation_ids
            else f"{proto}.{name}"
        )
        member = getattr(cls, name, None)
        if member is None and not isinstance(impl, type):
            member = getattr(
                impl, name, None
            )  # provided by the instance (``__getattr__``, e.g. RejectAll)
        if member is None:
            problems.append(f"{cls.__qualname__} lacks {where}")
            continue
        if streams and inspect.iscoroutinefunction(member):
            problems.append(
                f"{cls.__qualname__}.{name} must be an async generator ('async def' that "
                f"yields each item) to implement {where}, which streams"
            )
            continue
        if not streams and not inspect.iscoroutinefunction(member):
            problems.append(f"{cls.__qualname__}.{name} must be 'async def' to implement {where}")
            continue
        try:
            actual = inspect.signature(member)
        except (TypeError, ValueError):
            continue
        params = list(actual.parameters.values())
        if params and params[0].name in ("self", "cls") and not inspect.ismethod(member):
            params = params[1:]
        has_kwargs = any(p.kind is p.VAR_KEYWORD for p in params)
        has_args = any(p.kind is p.VAR_POSITIONAL for p in params)
        names = {p.name for p in params if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}
        wanted = [p for p in expected.parameters.values() if p.name != "self"]
        keyword_only = all(p.kind is p.KEYWORD_ONLY for p in wanted)
        missing = [
            p.name
            for p in wanted
            if p.name not in names
            and not (has_kwargs and keyword_only)
            and not (has_args and not keyword_only)
        ]
        extra = [
            p.name
            for p in params
            if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
            and p.default is p.empty
            and p.name not in {w.name for w in wanted}
        ]
        if missing:
            problems.append(
                f"{cls.__qualname__}.{name} does not accept {', '.join(missing)} required by {where}"
            )
        if extra:
            problems.append(
                f"{cls.__qualname__}.{name} requires {', '.join(extra)}, which {where} never passes"
            )
    return problems


def resolve(
    slots: Sequence[ServiceSlot], given: Mapping[str, object | None], *, allow_unimplemented: bool
) -> dict[str, Callable[..., Any]]:
    """Check every implementation; raise :class:`StartupError` naming each problem."""
    problems: list[str] = []
    resolved: dict[str, Callable[..., Any]] = {}
    for slot in slots:
        impl = given.get(slot.argument)
        if impl is None:
            if allow_unimplemented and slot.unimplemented is not None:
                # generated with the protocol's own signatures: nothing to check (on
                # GitHub's API, inspecting them was a third of ``create_app``)
                resolved[slot.argument] = provider(slot.unimplemented(), protocol=slot.protocol)
                continue
            ops = ", ".join(sorted(slot.operation_ids.values())) or "its operations"
            problems.append(
                f"missing implementation of {slot.protocol.__name__}: pass create_app({slot.argument}=...) "
                f"to serve {ops} (or allow_unimplemented=True to answer 501)"
            )
            continue
        problems.extend(check_implementation(slot, impl))
        resolved[slot.argument] = provider(impl, protocol=slot.protocol)
    if problems:
        raise StartupError("cannot start the app:\n  " + "\n  ".join(problems))
    return resolved


def _specificity(route: Any) -> tuple[tuple[tuple[int, int, int], ...], int]:
    return path_shape(getattr(route, "path", "")), required_query(route)


def include_routers(app: FastAPI, routers: Sequence[APIRouter]) -> None:
    """Add every route to the app, literal path segments before templated ones.

    Routes are added directly rather than through ``include_router`` so that their order
    across tags is ours: ``/users/me`` must be tried before ``/users/{userId}``.
    """
    _add_sorted(app, [route for router in routers for route in router.routes])


def _add_sorted(app: FastAPI, routes: list[BaseRoute]) -> None:
    routes.sort(key=_specificity)
    app.router.routes.extend(routes)
    mark_changed = getattr(app.router, "_mark_routes_changed", None)
    if callable(mark_changed):
        mark_changed()


class _LazyModule:
    """Stands for a module until one of its attributes is first read."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def lazy_module(name: str) -> Any:
    """``name``, imported when an attribute is first read (run-time type hints still resolve)."""
    return _LazyModule(name)


def add_routers(
    app: FastAPI,
    package: str,
    routers: Sequence[tuple[str, Callable[..., Any]]],
    handler: Callable[..., Any],
    base_path: str,
    *,
    lazy: bool,
) -> None:
    """Add each tag's routes: built now, or (``lazy``) on the first request to one of them.

    ``routers`` holds (router module, service provider) per tag. Lazily, the package's
    ``routers.ROUTES`` table gives every operation's method and path, so importing the
    package and serving ``/openapi.json`` import no router and no model: on GitHub's API,
    4,700 models and 1,200 endpoints, that is most of the start-up.

    Requests find their route through an index of the app's routes by path shape
    (:mod:`.dispatch`), not by asking each route in turn.
    """

    def build(module: str, service: Callable[..., Any]) -> Callable[[], APIRouter]:
        def router() -> APIRouter:
            routes = importlib.import_module(f"{package}.routers.{module}")
            built: APIRouter = routes.build_router(service, handler, base_path)
            if isinstance(built, OperationRouter):
                built.bind(app)  # its routes honour app.dependency_overrides
            return built

        return router

    index = index_routes(app.router)
    if not lazy:
        include_routers(app, [build(module, service)() for module, service in routers])
        return
    table = importlib.import_module(f"{package}.routers").ROUTES
    placeholders: list[BaseRoute] = []
    for module, service in routers:
        loader = TagLoader(app.router, build(module, service), index)
        for method, path, name, operation_id, query in table[module]:
            placeholders.append(
                LazyRoute(
                    base_path + path,
                    method=method,
                    name=name,
                    operation_id=operation_id,
                    required_query=query,
                    loader=loader,
                )
            )
    _add_sorted(app, placeholders)


def _static_dir() -> Path | None:
    try:
        import fastapi_offline
    except ImportError:
        return None
    path = Path(fastapi_offline.__file__).parent / "static"
    return path if path.is_dir() else None


def _ahead_of_templates(app: FastAPI, count: int) -> None:
    """Move the last ``count`` routes ahead of the API's, unless the API declares their path.

    ``/openapi.json`` must not be captured by a templated API route such as ``/{resource}``;
    a spec that declares ``/openapi.json`` itself keeps its own operation.
    """
    routes = app.router.routes
    added = routes[-count:]
    del routes[-count:]
    declared = {getattr(r, "path", None) for r in routes}
    front = [r for r in added if getattr(r, "path", None) not in declared]
    back = [r for r in added if getattr(r, "path", None) in declared]
    routes[:0] = front
    routes.extend(back)


def serve_spec(app: FastAPI, package: str, title: str, *, docs: bool = True) -> None:
    """Serve the bundled source document and offline docs; each read once, when first asked for."""
    before = len(app.router.routes)
    _serve_spec(app, package, title, docs=docs)
    _ahead_of_templates(app, len(app.router.routes) - before)


def _document(package: str, name: str, media_type: str) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint serving the bundled document ``name``: checked now, read on its first
    request and kept (Microsoft Graph's two are 45 MB, which a process that never serves them,
    or not yet, need neither read nor hold)."""
    resource = files(package).joinpath(name)
    if not resource.is_file():
        raise FileNotFoundError(
            f"{package}: the bundled {name} is missing (regenerate the package)"
        )
    read = functools.cache(resource.read_bytes)

    async def document(_request: Request) -> Response:
        return Response(read(), media_type=media_type)

    return document


def _serve_spec(app: FastAPI, package: str, title: str, *, docs: bool = True) -> None:
    openapi_json = _document(package, "openapi.json", "application/json")
    openapi_yaml = _document(package, "openapi.yaml", "application/yaml")
    for path, endpoint in (("/openapi.json", openapi_json), ("/openapi.yaml", openapi_yaml)):
        # ahead of the API's routes: every request tries them, at the cost of a string compare
        app.router.routes.append(StaticRoute(path, endpoint, include_in_schema=False))
    static = _static_dir()
    if not docs or static is None:
        if docs:
            logger.warning("API docs disabled: install fastapi-offline for offline assets")
        return
    app.mount("/docs/static", StaticFiles(directory=static), name="specfirst-docs-static")
    swagger = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title=f"{title} - docs",
        swagger_js_url="/docs/static/swagger-ui-bundle.js",
        swagger_css_url="/docs/static/swagger-ui.css",
        swagger_favicon_url="/docs/static/favicon.png",
    ).body
    redoc = get_redoc_html(
        openapi_url="/openapi.json",
        title=f"{title} - reference",
        redoc_js_url="/docs/static/redoc.standalone.js",
        redoc_favicon_url="/docs/static/favicon.png",
        with_google_fonts=False,
    ).body

    async def swagger_ui(_request: Request) -> Response:
        return HTMLResponse(swagger)

    async def redoc_ui(_request: Request) -> Response:
        return HTMLResponse(redoc)

    app.add_route("/docs", swagger_ui, include_in_schema=False)
    app.add_route("/redoc", redoc_ui, include_in_schema=False)


__all__ = [
    "ServiceSlot",
    "StartupError",
    "add_routers",
    "check_implementation",
    "include_routers",
    "lazy_module",
    "provider",  # made in .providers; generated apps import it from here
    "resolve",
    "serve_spec",
]
