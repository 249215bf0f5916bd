"""Domain errors, database conflicts and dependency outages as RFC 9457 problems, registered
once on the app."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from limits.errors import StorageError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from starlette.responses import Response

from generated._runtime import problem_response, undeclared_status
from impl.errors import DomainError, ServiceUnavailable, TooManyRequests
from impl.outages import unavailable_dependency
from impl.storage import StorageUnavailable

log = logging.getLogger(__name__)


def instance(path: str) -> str:
    """The request path as a valid URI reference (the `instance` member's format)."""
    return quote(path, safe="/:@!$&'()*+,;=-._~%")


async def _on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if undeclared_status(request, exc.status) != exc.status:  # logged as a contract violation
        return problem_response(
            500, "the server produced a response the API does not declare",
            instance=instance(request.url.path),
        )  # fmt: skip
    headers: dict[str, str] = {}
    if isinstance(exc, TooManyRequests):
        headers["Retry-After"] = str(exc.retry_after)
    elif isinstance(exc, ServiceUnavailable):
        headers["Retry-After"] = str(request.app.state.runtime.settings.retry_after_seconds)
    return problem_response(
        exc.status,
        exc.detail,
        title=exc.title,
        instance=instance(request.url.path),
        errors=[{"pointer": e.pointer, "detail": e.detail} for e in exc.errors] or None,
        headers=headers,
        extra={"code": exc.instance_code},
    )


async def _on_integrity_error(request: Request, exc: Exception) -> Response:
    # A uniqueness race lost to a concurrent request (e.g. two registrations of one email).
    log.info("integrity error answered with 409: %s", type(exc).__name__)
    return problem_response(
        409,
        "The request conflicts with a concurrent change; retry.",
        instance=instance(request.url.path),
        extra={"code": "conflict"},
    )


def unavailable_response(
    request: Request | None, path: str, dependency: str, exc: BaseException
) -> Response:
    """503 problem+json with `Retry-After` for a dependency outage, logged once per outage."""
    runtime = getattr(request.app.state, "runtime", None) if request is not None else None
    retry_after = runtime.settings.retry_after_seconds if runtime is not None else 5
    if runtime is not None:
        runtime.outages.failed(dependency, exc)
    return problem_response(
        503,
        f"The {dependency} is unavailable or did not answer in time. Retry in {retry_after} s.",
        instance=instance(path),
        headers={"Retry-After": str(retry_after)},
        extra={"code": "unavailable"},
    )


async def _on_dependency_error(request: Request, exc: Exception) -> Response:
    dependency = unavailable_dependency(exc)
    if dependency is None:  # e.g. a DBAPIError that is a bug, not an outage
        log.error("unhandled error in %s %s", request.method, request.url.path, exc_info=exc)
        return problem_response(
            500,
            "An unexpected error occurred; quote the X-Request-ID when reporting it.",
            instance=instance(request.url.path),
            extra={"code": "internal_error"},
        )
    return unavailable_response(request, request.url.path, dependency, exc)


# What a dependency outage raises (`impl.outages.unavailable_dependency` decides).
_DEPENDENCY_ERRORS: tuple[type[Exception], ...] = (
    DBAPIError,
    SATimeoutError,
    StorageError,
    RedisConnectionError,
    RedisTimeoutError,
    TimeoutError,
    ConnectionError,
    StorageUnavailable,
)


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _on_domain_error)
    app.add_exception_handler(IntegrityError, _on_integrity_error)
    for error in _DEPENDENCY_ERRORS:
        app.add_exception_handler(error, _on_dependency_error)
