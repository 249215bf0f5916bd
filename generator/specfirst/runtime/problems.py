"""RFC 9457 problem details: the exceptions behind every error, and the app's error handlers.

Exceptions drawn in one place::

    ProblemError             raise from an implementation: any status, title, detail, headers
    NotImplementedOperation  raised by ``Unimplemented…`` services → 501 (marked by a header)
    UndeclaredResponseError  an implementation returned what the spec does not declare → 500

A ``ProblemError`` whose status the operation does not declare is a contract violation too
(:func:`undeclared_status`): logged, and answered 500 unless the app was built with
``undeclared_problems="log"`` (production), where the problem goes out as raised.

Every handler answers through :func:`error_response`: problem+json, or the format the
operation declares for the status (:mod:`.errors`: a vendor's ``{"error": …}``, text …).
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException
from starlette.responses import Response
from starlette.routing import Match

from .errors import (
    ERROR_FORMATS,
    ERROR_HOOK,
    ErrorHookError,
    FieldError,
    Problem,
    admits,
    declared_format,
    render,
)

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger("specfirst")


class ProblemError(Exception):
    """Answer the current request with ``application/problem+json``."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        title: str | None = None,
        type: str = "about:blank",
        headers: Mapping[str, str] | None = None,
        errors: Sequence[Mapping[str, Any]] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or title or str(status))
        self.status = status
        self.detail = detail
        self.title = title
        self.type = type
        self.headers = dict(headers or {})
        self.errors = list(errors) if errors is not None else None
        self.extra = dict(extra or {})


class ProtocolProblem(ProblemError):
    """A problem the runtime itself answers for HTTP's sake (an unsupported media type, a
    missing body, missing credentials): not an implementation's choice, so not checked
    against the operation's declared statuses the way a raised :class:`ProblemError` is."""


UNIMPLEMENTED_HEADER = "Specfirst-Unimplemented"
"""Marks the 501 of :class:`NotImplementedOperation` (its value: the operationId,
percent-encoded), so that a contract run tells a stub from a server error whatever format the
error body takes."""


class NotImplementedOperation(ProblemError):
    """An operation has no implementation yet (``Unimplemented…`` services raise it), or
    none that can answer a success: ``why`` says so (the example stub of an operation that
    declares only errors)."""

    def __init__(self, operation_id: str, why: str = "is not implemented yet") -> None:
        super().__init__(
            501,
            f"operation {operation_id!r} {why}",
            headers={UNIMPLEMENTED_HEADER: quote(operation_id, safe="")},
        )
        self.operation_id = operation_id


class UndeclaredResponseError(Exception):
    """An implementation returned a value the spec does not declare for the operation."""

    def __init__(self, operation_id: str, value: object, reason: str | None = None) -> None:
        kind = type(value).__name__
        message = f"operation {operation_id!r} returned an undeclared response of type {kind}"
        super().__init__(f"{message} ({reason})" if reason else message)
        self.operation_id = operation_id


# RFC 9110's reason phrases where Python before 3.13 still has RFC 7231's, so a status has one
# title whichever Python serves it and whichever layer (validation, handler) answers.
_RFC9110_TITLES = {
    413: "Content Too Large",
    414: "URI Too Long",
    416: "Range Not Satisfiable",
    422: "Unprocessable Content",
}


def _title(status: int) -> str:
    if status in _RFC9110_TITLES:
        return _RFC9110_TITLES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    type: str = "about:blank",
    instance: str | None = None,
    errors: Sequence[Mapping[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
    media_type: str = PROBLEM_JSON,
) -> Response:
    body: dict[str, Any] = {"type": type, "title": title or _title(status), "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    if errors is not None:
        body["errors"] = list(errors)
    if extra:
        body.update({k: v for k, v in extra.items() if k not in body})
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(content, status_code=status, media_type=media_type, headers=dict(headers or {}))


def error_response(
    request: Request,
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    type: str = "about:blank",
    errors: Sequence[Mapping[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """The answer to ``request`` for a problem: :func:`problem_response`, in the format the
    request's operation declares for ``status`` (:mod:`.errors`).

    Where that is a body the error hook builds and the hook fails (or builds one the schema
    refuses), the failure is logged and the answer is a 500 problem.
    """
    instance = request_instance(request)
    endpoint = request.scope.get("endpoint")
    declared, fmt = declared_format(getattr(endpoint, ERROR_FORMATS, None), status) or (None, None)

    def plain() -> Response:
        media_type = fmt.media_type if fmt is not None else None
        return problem_response(
            status,
            detail,
            title=title,
            type=type,
            instance=instance,
            errors=errors,
            headers=headers,
            extra=extra,
            media_type=media_type or PROBLEM_JSON,
        )

    if fmt is None or (fmt.tp is None and fmt.xml is None):
        return plain()  # problem+json, or its document as declared JSON without a schema
    if fmt.problem:  # a declared problem+json schema: the document where it admits it
        document = plain()
        if admits(fmt.tp, bytes(document.body)):
            return document
    field_errors = (
        FieldError(str(e.get("pointer", "")), str(e.get("detail", ""))) for e in errors or ()
    )
    problem = Problem(
        status=status,
        title=title or _title(status),
        detail=detail,
        type=type,
        instance=instance,
        errors=tuple(field_errors),
        extra=dict(extra or {}),
        headers=dict(headers or {}),
        operation_id=getattr(endpoint, OPERATION_ID, None),
        declared=declared or "default",
    )
    try:
        body = render(fmt, problem, getattr(request.app.state, ERROR_HOOK, None))
    except ErrorHookError as exc:
        logger.error("%s (%s %s)", exc, request.method, request.url.path, exc_info=exc.__cause__)
        detail = "the server could not answer in the error format the API declares"
        return problem_response(500, detail, instance=instance)
    return Response(body, status_code=status, media_type=fmt.media_type, headers=problem.headers)


def request_instance(request: Request) -> str:
    """The request path as the ``instance`` member: a valid URI reference (RFC 3986).

    Starlette hands us the percent-decoded path; a client may have sent any octets there, so
    encode everything outside RFC 3986's path characters (``%`` included: it is a literal here).
    """
    return quote(request.url.path, safe="/:@!$&'()*+,;=-._~")


def json_pointer(loc: Sequence[Any]) -> str:
    """A JSON pointer (RFC 6901) for a validation error location."""
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in loc]
    return "/" + "/".join(parts)


def validation_errors(
    exc: RequestValidationError, path_names: Mapping[str, str] | None = None
) -> list[dict[str, str]]:
    """Field errors with JSON pointers that name parameters as the spec does."""
    out: list[dict[str, str]] = []
    for error in exc.errors():
        loc = list(error.get("loc") or ())
        if path_names and len(loc) > 1 and loc[0] == "path":
            loc[1] = path_names.get(str(loc[1]), loc[1])
        out.append({"pointer": json_pointer(loc), "detail": str(error.get("msg", "invalid value"))})
    return out


VALIDATION_STATUS = "__sf_validation_status__"
PATH_NAMES = "__sf_path_names__"
OPERATION_ID = "__sf_operation_id__"


def validation_problem(
    exc: RequestValidationError, status: int, path_names: Mapping[str, str] | None = None
) -> ProtocolProblem:
    """The problem for invalid parameters: the status the spec declares, one error per field."""
    return ProtocolProblem(
        status,
        "the request does not match the API contract",
        title="Invalid request" if status == 400 else _title(status),
        errors=validation_errors(exc, path_names),
    )


def _required_problem(status: int, at: tuple[str, ...] = ()) -> ProtocolProblem:
    """A required body (``at`` empty) or body field is absent."""
    detail = "the request body does not match the API contract" if at else None
    return ProtocolProblem(
        status,
        detail or "a request body is required",
        errors=[{"pointer": json_pointer(("body", *at)), "detail": "required"}],
    )


def _body_problem(
    exc: ValidationError, status: int, at: tuple[str | int, ...] = ()
) -> ProtocolProblem:
    """The problem for an invalid body (or body field ``at``): one error per failed field."""
    errors = [
        {
            "pointer": json_pointer(("body", *at, *error["loc"])),
            "detail": error["msg"],
        }
        for error in exc.errors(include_url=False, include_input=False)
    ]
    return ProtocolProblem(
        status, "the request body does not match the API contract", errors=errors
    )


async def _on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    endpoint = request.scope.get("endpoint")
    status = int(getattr(endpoint, VALIDATION_STATUS, 422))
    path_names: Mapping[str, str] = getattr(endpoint, PATH_NAMES, {})
    return await _on_problem(request, validation_problem(exc, status, path_names))


PATH_ITEM = "sf.path_item"
"""Scope key: the path template a URL belongs to and its :func:`path_shape`, once a route of
it matched the URL's path (OpenAPI: a concrete path is matched before its templated
counterparts, and the operation is then looked up in that path item only). Set and read by
the routes of ``.routing``."""


_VARIABLE = re.compile(r"{[^{}]*}")


@functools.lru_cache(maxsize=4096)
def path_shape(path: str) -> tuple[tuple[int, int, int], ...]:
    """How specific a path template is, segment by segment (smaller is more specific): kind 0 a
    literal segment, 1 a template with literal text (``{name}:cancel``), 2 a bare ``{name}``.
    Among templates with literal text, fewer variables then more literal text come first:
    ``{y}.pbf`` before ``{y}.{format}``, which also matches ``0.pbf``."""
    shape: list[tuple[int, int, int]] = []
    for segment in path.strip("/").split("/"):
        if "{" not in segment:  # most segments: no regex to run (Graph has 54,000)
            shape.append((0, 0, 0))
            continue
        variables = segment.count("{")
        literal = len(_VARIABLE.sub("", segment))
        if variables == 1 and not literal:
            shape.append((2, 1, 0))
        else:
            shape.append((1, variables, -literal))
    return tuple(shape)


REQUIRED_QUERY = "__sf_required_query__"
"""Endpoint attribute: the fixed query pairs of a path key such as ``/rest?method=search``."""


def _path_key(route: Any) -> tuple[Any, ...]:
    """A route's path key: its path, templates unnamed, and the fixed query pairs it requires,
    if any. Path keys that differ only in their templates' names (``/s/{dutyId}``,
    ``/s/{scheduleId}``) are one path to OpenAPI and to HTTP: one resource."""
    query = getattr(route, "required_query", None) or getattr(
        getattr(route, "endpoint", None), REQUIRED_QUERY, None
    )
    path = getattr(route, "path", None)
    unnamed = _VARIABLE.sub("{}", path) if isinstance(path, str) else path
    return unnamed, tuple(sorted((query or {}).items()))


def _allowed_methods(request: Request) -> str | None:
    """The methods of the path item the URL belongs to: its most specific matching path key
    (``/templates/{id}?full=true`` is a path item of its own, as the spec writes it), with
    those of the path keys that differ from it only in their templates' names."""
    found: list[tuple[tuple[tuple[int, int, int], ...], tuple[Any, ...], set[str]]] = []
    probe = {**request.scope, "method": "\x00"}
    probe.pop(PATH_ITEM, None)
    for route in getattr(request.app, "routes", ()):
        match, _ = route.matches(probe)
        if match is not Match.NONE:
            key = _path_key(route)
            found.append((path_shape(str(key[0])), key, set(getattr(route, "methods", ()) or ())))
    if not found:
        return None
    _, owner, _ = min(found, key=lambda item: item[0])  # the first of the most specific
    methods = set().union(*(names for _, key, names in found if key == owner))
    return ", ".join(sorted(methods)) if methods else None


_UNPARSED_BODY = "There was an error parsing the body"
"""FastAPI's detail for a 400 on a body it could not read (a form, a multipart body)."""


def _unreadable_body(exc: StarletteHTTPException) -> bool:
    """Whether a 400 is Starlette's or FastAPI's refusal of a body it could not parse (a
    malformed multipart body, a bad boundary), raised before the endpoint ran."""
    if exc.status_code != 400:
        return False
    if exc.detail == _UNPARSED_BODY:
        return True
    cause: BaseException | None = exc.__cause__ or exc.__context__
    while cause is not None:
        if isinstance(cause, MultiPartException):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    if _unreadable_body(exc):
        # an invalid request like any other: the status the operation declares for those
        status = int(getattr(request.scope.get("endpoint"), VALIDATION_STATUS, status))
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != _title(status) else None
    headers = dict(exc.headers or {})
    if status == 405:
        allowed = _allowed_methods(request)
        if allowed:
            headers["Allow"] = allowed
    return error_response(request, status, detail, headers=headers)


DECLARED_STATUSES = "__sf_statuses__"
UNDECLARED_PROBLEMS = "sf_undeclared_problems"
"""``app.state`` key: ``"error"`` (the default) or ``"log"``, set by ``create_app``."""


def _declares(declared: Sequence[str], status: int) -> bool:
    code = str(status)
    return any(
        d == code or d == "default" or (len(d) == 3 and d[1:].upper() == "XX" and d[0] == code[0])
        for d in declared
    )


def undeclared_status(request: Request, status: int) -> int:
    """The status to answer with when a handler raises a problem with ``status``.

    ``status`` itself when the operation declares it (or a range or ``default`` covers it),
    or when the request matched no generated operation. Otherwise it is a contract
    violation, logged at ERROR: answered as a 500 in ``"error"`` mode (development and test,
    so that a contract run reports it), with ``status`` in ``"log"`` mode (production).
    """
    endpoint = request.scope.get("endpoint")
    declared: Sequence[str] | None = getattr(endpoint, DECLARED_STATUSES, None)
    if declared is None or _declares(declared, status):
        return status
    mode = getattr(request.app.state, UNDECLARED_PROBLEMS, "error")
    logger.error(
        "contract violation: %s %s raised a %d problem, which its operation does not declare "
        "(declared: %s)%s",
        request.method,
        request.url.path,
        status,
        ", ".join(declared),
        "; answered 500" if mode == "error" else "",
    )
    return 500 if mode == "error" else status


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    if not isinstance(exc, ProtocolProblem | NotImplementedOperation) and (
        undeclared_status(request, exc.status) != exc.status
    ):
        return error_response(
            request, 500, "the server produced a response the API does not declare"
        )
    return error_response(
        request,
        exc.status,
        exc.detail,
        title=exc.title,
        type=exc.type,
        errors=exc.errors,
        headers=exc.headers,
        extra=exc.extra,
    )


async def _on_undeclared(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, UndeclaredResponseError)
    logger.error("%s (%s %s)", exc, request.method, request.url.path)
    return error_response(
        request,
        500,
        f"the server produced a response the API does not declare for {exc.operation_id!r}",
    )


async def _on_error(request: Request, exc: Exception) -> Response:
    logger.exception("unhandled error in %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500)


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error the app can produce: problem+json, or the operation's declared format."""
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(UndeclaredResponseError, _on_undeclared)
    app.add_exception_handler(Exception, _on_error)
    # A malformed multipart body is answered like any invalid request (``_on_http``), but
    # python-multipart logs each one as a warning too: the client's mistake, already answered
    # 4xx, as noise in the server's log. Quieted, unless the application set that level.
    parser_log = logging.getLogger("python_multipart")
    if parser_log.level == logging.NOTSET:
        parser_log.setLevel(logging.ERROR)
