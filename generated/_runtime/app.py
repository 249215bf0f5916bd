# Vendored from the specfirst 0.1.0 runtime by `specfirst generate`. DO NOT EDIT.
# Upgrade specfirst and regenerate to update it.
"""Assembling a generated app: implementation checks, route order, spec and docs serving."""

from __future__ import annotations

import inspect
import logging
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

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


def provider(impl: object) -> Callable[..., Any]:
    """A FastAPI dependency yielding the implementation for each request.

    An instance is shared; a class or a factory function is called per request with its
    own dependencies resolved by FastAPI (database session, settings, ``Request`` …).

    Every provider is a coroutine function: FastAPI runs a plain ``def`` dependency (and a
    class, whose ``__init__`` is one) in a worker thread, which costs more than the whole
    request. Constructing an object is not blocking work, so it is done inline; generator
    and async dependencies are passed to FastAPI untouched.
    """
    if (
        inspect.isasyncgenfunction(impl)
        or inspect.isgeneratorfunction(impl)
        or inspect.iscoroutinefunction(impl)
    ):
        return typing.cast(Callable[..., Any], impl)
    if isinstance(impl, type) or inspect.isfunction(impl) or inspect.ismethod(impl):
        factory = typing.cast(Callable[..., Any], impl)

        async def construct(**kwargs: Any) -> object:
            return factory(**kwargs)

        signature = inspect.signature(factory)
        target = getattr(factory, "__init__", factory) if isinstance(factory, type) else factory
        try:  # resolve string annotations where the factory was written, not here
            hints = typing.get_type_hints(target, include_extras=True)
        except Exception:  # unresolvable: FastAPI gets the annotations as written
            hints = {}
        parameters = [
            p.replace(annotation=hints.get(p.name, p.annotation))
            for p in signature.parameters.values()
        ]
        resolved = signature.replace(
            parameters=parameters, return_annotation=inspect.Signature.empty
        )
        setattr(construct, "__signature__", resolved)  # noqa: B010
        return construct

    async def shared() -> object:
        return impl

    return shared


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
                impl = slot.unimplemented()
            else:
                ops = ", ".join(sorted(slot.operation_ids.values())) or "its operations"
                problems.append(
                    f"missing implementation of {slot.protocol.__name__}: pass create_app({slot.argument}=...) "
                    f"to serve {ops} (or allow_unimplemented=True to answer 501)"
                )
                continue
        problems.extend(check_implementation(slot, impl))
        resolved[slot.argument] = provider(impl)
    if problems:
        raise StartupError("cannot start the app:\n  " + "\n  ".join(problems))
    return resolved


def _specificity(route: Any) -> tuple[tuple[int, ...], int]:
    from .routing import required_query

    path = getattr(route, "path", "")
    shape = tuple(1 if "{" in segment else 0 for segment in path.strip("/").split("/"))
    return shape, required_query(route)


def include_routers(app: FastAPI, routers: Sequence[APIRouter]) -> None:
    """Add every route to the app, literal path segments before templated ones.

    Routes are added directly rather than through ``include_router`` so that their order
    across tags is ours: ``/users/me`` must be tried before ``/users/{userId}``.
    """
    routes = [route for router in routers for route in router.routes]
    routes.sort(key=_specificity)
    app.router.routes.extend(routes)
    mark_changed = getattr(app.router, "_mark_routes_changed", None)
    if callable(mark_changed):
        mark_changed()


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
    """Serve the bundled source document and offline docs; read once, at start-up."""
    before = len(app.router.routes)
    _serve_spec(app, package, title, docs=docs)
    _ahead_of_templates(app, len(app.router.routes) - before)


def _serve_spec(app: FastAPI, package: str, title: str, *, docs: bool = True) -> None:
    spec_json = files(package).joinpath("openapi.json").read_bytes()
    spec_yaml = files(package).joinpath("openapi.yaml").read_bytes()

    async def openapi_json(_request: Request) -> Response:
        return Response(spec_json, media_type="application/json")

    async def openapi_yaml(_request: Request) -> Response:
        return Response(spec_yaml, media_type="application/yaml")

    app.add_route("/openapi.json", openapi_json, include_in_schema=False)
    app.add_route("/openapi.yaml", openapi_yaml, include_in_schema=False)
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
